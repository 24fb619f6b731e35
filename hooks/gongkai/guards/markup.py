"""Judge the HTML a page publishes, not the Markdown it came from.

Markdown extensions (attr_list, tables, admonition …) and raw HTML blocks turn an
author's text into HTML that a source-side scanner cannot predict; browsers then
parse that HTML by the HTML5 rules, comments, CDATA, ``<textarea>`` and ``<svg>``
included. So the converted HTML itself is handed to ammonia (nh3, a real HTML5
parser and sanitizer) twice: once with the allowlist below, once with an allowlist
that keeps everything (which only normalises how the same tree is written). If the
two differ, the sanitizer would change what the author published: that is an error,
never a silent repair. The fragment is wrapped in the elements that surround it on
a page and followed by a sentinel paragraph, so an element left open or a stray end
tag that would reach into the page around it is caught too.

``locate`` finds the source line of a finding: where the offending tag, attribute or
address is written in the Markdown.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import nh3

from gongkai.guards import markdown_cost

if TYPE_CHECKING:
    import markdown

#: test-only: set to "1", the judge passes everything, so tests/test_csp_browser.py can show
#: that a page's Content-Security-Policy alone stops what the judge would have refused
TEST_SWITCH_OFF = "GONGKAI_TEST_MARKUP_JUDGE_OFF"

# --- the allowlist: what an author's text may become ----------------------------------------

#: elements Markdown produces plus plain text-level and table markup an author may write
TAGS = frozenset({
    "a", "abbr", "address", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code",
    "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    "var", "wbr",
})
#: the elements around a page's content in Material's frame (the wrapper below); an author
#: may not write them
_FRAME_TAGS = ("main", "div", "article")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    **{h: {"id"} for h in _HEADINGS},  # the toc extension's anchors
}
#: python-markdown's tables extension aligns columns with exactly these
_ALIGN = {f"text-align: {a};" for a in ("left", "center", "right")}
TAG_ATTRIBUTE_VALUES = {"td": {"style": _ALIGN}, "th": {"style": _ALIGN}}
#: the admonition extension's classes (the types Material styles)
ADMONITION_TYPES = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success",
    "check", "done", "question", "help", "faq", "warning", "caution", "attention", "failure",
    "fail", "missing", "danger", "error", "bug", "example", "quote", "cite",
})
ALLOWED_CLASSES = {"div": {"admonition", *ADMONITION_TYPES}, "p": {"admonition-title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_STRICT = nh3.Cleaner(
    tags=set(TAGS) | set(_FRAME_TAGS), clean_content_tags=set(), attributes=ATTRIBUTES,
    tag_attribute_values=TAG_ATTRIBUTE_VALUES, allowed_classes=ALLOWED_CLASSES,
    url_schemes=set(URL_SCHEMES), strip_comments=False, link_rel=None)

# --- the canonical form: the same parse, nothing removed ------------------------------------

#: every element name of HTML, SVG and MathML (SVG's as html5ever writes them), so the
#: permissive run keeps whatever a browser would build
_ALL_TAGS = frozenset(TAGS | set(_FRAME_TAGS) | {
    "acronym", "applet", "area", "aside", "audio", "base", "basefont", "bgsound", "big", "blink",
    "body", "button", "canvas", "center", "data", "datalist", "dialog", "dir", "embed", "fieldset",
    "font", "footer", "form", "frame", "frameset", "head", "header", "hgroup", "html", "iframe",
    "image", "input", "isindex", "keygen", "label", "legend", "link", "listing", "map", "marquee",
    "menu", "menuitem", "meta", "meter", "multicol", "nav", "nextid", "nobr", "noembed",
    "noframes", "noscript", "object", "optgroup", "option", "output", "param", "picture",
    "plaintext", "portal", "progress", "rb", "rtc", "script", "search", "section", "select",
    "slot", "source", "spacer", "strike", "style", "template", "textarea", "title", "track", "tt",
    "video", "xmp", "math", "svg",
    # SVG
    "a", "altGlyph", "altGlyphDef", "altGlyphItem", "animate", "animateColor", "animateMotion",
    "animateTransform", "circle", "clipPath", "cursor", "defs", "desc", "discard", "ellipse",
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood",
    "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge",
    "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting",
    "feSpotLight", "feTile", "feTurbulence", "filter", "font-face", "foreignObject", "g",
    "glyph", "glyphRef", "handler", "hkern", "line", "linearGradient", "marker", "mask",
    "metadata", "mpath", "path", "pattern", "polygon", "polyline", "radialGradient", "rect",
    "set", "stop", "switch", "symbol", "text", "textPath", "tref", "tspan", "use", "view",
    "vkern",
    # MathML
    "annotation", "annotation-xml", "maction", "maligngroup", "malignmark", "menclose",
    "merror", "mfenced", "mfrac", "mglyph", "mi", "mlabeledtr", "mlongdiv", "mmultiscripts",
    "mn", "mo", "mover", "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms",
    "mscarries", "mscarry", "msgroup", "msline", "mspace", "msqrt", "msrow", "mstack", "mstyle",
    "msub", "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover",
    "semantics", "none",
})
_BASE_SCHEMES = frozenset(URL_SCHEMES | {"javascript", "vbscript", "livescript", "data", "file",
                                         "ftp", "blob", "filesystem", "about", "view-source"})


def _permissive(tags: set[str], schemes: set[str]) -> nh3.Cleaner:
    return nh3.Cleaner(tags=tags, clean_content_tags=set(), attributes={},
                       generic_attribute_prefixes={""}, url_schemes=schemes, strip_comments=False,
                       link_rel=None)


_CANONICAL = _permissive(set(_ALL_TAGS), set(_BASE_SCHEMES))
# A tag name as the HTML tokenizer reads it; a URL scheme as the URL parser reads it
# (after entities are decoded and tabs and newlines dropped)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*(?=:)")


def _canonical(fragment: str) -> str:
    """``fragment`` as ammonia parses and writes it, with nothing removed."""
    tags = {m.group(1).lower() for m in _TAG_NAME.finditer(fragment)}
    decoded = html_lib.unescape(fragment).translate(_DROP_IN_URL) if ":" in fragment else ""
    schemes = {s.lower() for s in _SCHEME.findall(decoded)}
    if tags <= _ALL_TAGS and schemes <= _BASE_SCHEMES:
        return _CANONICAL.clean(fragment)
    return _permissive(set(_ALL_TAGS) | tags, set(_BASE_SCHEMES) | schemes).clean(fragment)


_DROP_IN_URL = {ord("\t"): None, ord("\n"): None, ord("\r"): None}

_OPEN = "<main><div><article>"
_CLOSE = "</article></div></main>"
_SENTINEL = "<p>gk-end</p>"


@dataclass(frozen=True, slots=True)
class Change:
    """One thing the sanitizer would remove or rewrite."""

    message: str  # Chinese, for the editor
    needle: str | None  # text to look for in the source to find the line (lower case)


def judge(fragment: str) -> list[Change]:
    """What the sanitizer would change in an HTML fragment that sits inside a page's
    content; empty when it is published exactly as written."""
    if os.environ.get(TEST_SWITCH_OFF) == "1":
        return []
    if _plain(fragment):
        return foreign_images(fragment)
    wrapped = _OPEN + fragment + _CLOSE + _SENTINEL
    canonical = _canonical(wrapped)
    strict = _STRICT.clean(wrapped)
    if strict == canonical and canonical.startswith(_OPEN) and canonical.endswith(_CLOSE + _SENTINEL):
        inner = canonical[len(_OPEN):-len(_CLOSE + _SENTINEL)]
        if not _FRAME_INSIDE.search(inner):
            return foreign_images(canonical)
    return foreign_images(canonical) + _describe(canonical, strict)


# --- what a page loads: only this site's files ----------------------------------------------
#
# An image from another host is fetched by every visitor's browser: that host learns who reads
# what, and can swap the picture (a seal, a signature) after the page was reviewed. The
# allowlist keeps every other loading attribute and element out (srcset, style, <link>,
# <iframe> …); an <img src> must be a relative address on this site. Both fragments judged
# here are written with attributes as ` name="value"` (python-markdown's and html5ever's form).

_IMG = re.compile(r"<img\b([^>]*)>", re.I)
_SRC = re.compile(r'\ssrc="([^"]*)"', re.I)


def foreign_images(fragment: str) -> list[Change]:
    out: list[Change] = []
    for m in _IMG.finditer(fragment):
        src = _SRC.search(m.group(1))
        if src is None:
            continue
        raw = html_lib.unescape(src.group(1))
        url = raw.translate(_DROP_IN_URL).lstrip(_URL_LEADING).replace("\\", "/")
        # other schemes (file:, javascript:, data: …) the allowlist refuses with its own message
        if url.startswith("//") or _scheme(raw) in ("http", "https"):
            shown = raw if len(raw) <= 60 else raw[:60] + "…"
            out.append(Change(f"图片地址“{shown}”不是本站的文件：页面只能加载本站的图片（外站图片会让对方得知谁在"
                              "浏览，审查后还可能被换掉）。请把图片下载下来，放进本条目所在的文件夹作为附件，"
                              "再用相对地址引用，如 ![公章](公章.png)", _needle(raw)))
    return out


def _needle(url: str) -> str:
    """What of ``url`` to look for in the source: its host, or the address itself."""
    host = re.match(r"[^:/]*:?/*([^/?#]+)", url.strip())
    return (host.group(1) if host else url).lower()


_FRAME_INSIDE = re.compile(r"<(?:main|article)[\s>]")

# --- the common case without the sanitizer --------------------------------------------------
#
# Nearly every page is python-markdown's own output: lower-case tags from the allowlist,
# attributes written ` name="value"`, every element closed in order, no comment, no `<` in
# text. Such HTML has one reading in every HTML5 parser and nothing for the sanitizer to
# remove, and recognising it is cheaper than two html5ever passes (a 10,000-item build
# converts 10,000 bodies). Anything else, however harmless, goes to ``judge``'s sanitizer
# runs; tests/test_markup_guard.py checks on random HTML that both always agree.

_PLAIN_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*)((?: [a-z][a-z-]*="[^"<>]*")*)( ?/)?>')
_PLAIN_ATTR = re.compile(r' ([a-z][a-z-]*)="([^"<>]*)"')
_VOID = frozenset({"br", "hr", "img", "wbr", "col"})


def _plain(fragment: str) -> bool:
    if "<!" in fragment or "<?" in fragment:
        return False
    stack: list[str] = []
    at = fragment.find("<")
    while at >= 0:
        m = _PLAIN_TAG.match(fragment, at)
        if m is None:
            return False
        closing, name, attrs, slash = m.groups()
        if name not in TAGS:
            return False
        if closing:
            if attrs or slash or not stack or stack.pop() != name:
                return False
        else:
            if name in _VOID:
                pass
            elif slash:
                return False  # HTML ignores "/>" on <p/>: the element stays open
            else:
                stack.append(name)
            if attrs and not _plain_attrs(name, attrs):
                return False
        at = fragment.find("<", m.end())
    return not stack


def _plain_attrs(tag: str, attrs: str) -> bool:
    allowed = ATTRIBUTES.get(tag, ())
    for name, value in _PLAIN_ATTR.findall(attrs):
        if name in ("href", "src"):
            if name not in allowed:
                return False
            scheme = _scheme(value)
            if scheme is not None and scheme not in URL_SCHEMES:
                return False
        elif name == "class":
            classes = ALLOWED_CLASSES.get(tag)
            if classes is None or not value or any(c not in classes for c in value.split(" ")):
                return False
        elif name == "style":
            if tag not in TAG_ATTRIBUTE_VALUES or value not in _ALIGN:
                return False
        elif name not in allowed and name not in ATTRIBUTES["*"]:
            return False
    return True

# --- saying what is wrong -------------------------------------------------------------------

# html5ever writes text with < escaped and attribute values in double quotes, so its
# output splits into tokens by a regular expression; raw-text elements' content is skipped
_TOKEN = re.compile(r'<!--.*?-->|<(/?)([A-Za-z][^\s/>]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*>', re.S)
_ATTR = re.compile(r'([^\s=>]+)(?:="([^"]*)")?')
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript",
                       "plaintext", "textarea", "title"})
_TAG_WHAT = {
    "script": "脚本", "style": "样式表", "link": "外部资源", "iframe": "内嵌页面", "frame": "内嵌页面",
    "object": "插件对象", "embed": "插件对象", "form": "表单", "input": "表单控件", "button": "按钮",
    "svg": "SVG 图形", "math": "MathML 公式", "textarea": "表单控件", "meta": "页面元信息",
    "base": "改变全部链接地址的 base 标签", "template": "模板",
}
_URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                        "background", "cite", "srcset", "ping", "values", "to", "from", "by"})


#: what the URL parser strips before a scheme: C0 controls and space
_URL_LEADING = "".join(map(chr, range(0x21)))


def _scheme(value: str) -> str | None:
    url = html_lib.unescape(value).translate(_DROP_IN_URL).lstrip(_URL_LEADING)
    m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return m.group(1).lower() if m else None


def _describe(canonical: str, strict: str) -> list[Change]:
    changes: list[Change] = []
    pos = 0
    body = canonical
    if body.startswith(_OPEN):
        body = body[len(_OPEN):]
    while (m := _TOKEN.search(body, pos)) is not None:
        pos = m.end()
        if m.group(0).startswith("<!--") or m.group(1):
            continue
        tag = m.group(2)
        name = tag.lower()
        if name not in TAGS:
            what = _TAG_WHAT.get(name)
            changes.append(Change(f"含有 <{tag}> 标签{f'（{what}）' if what else ''}：正文只能使用文字、链接、"
                                  "图片、列表和表格等基本标签", f"<{name}"))
            if name in _RAW_TEXT:  # its content is text to the parser; do not read it as tags
                end = body.find(f"</{name}", pos)
                pos = len(body) if end < 0 else end
            continue
        for a in _ATTR.finditer(m.group(3)):
            attr, value = a.group(1), html_lib.unescape(a.group(2) or "")
            low = attr.lower()
            if low.startswith("on"):
                changes.append(Change(f"<{tag}> 标签带有事件处理属性 {attr}：正文不能包含脚本", low))
            elif low in ("href", "src") and low in ATTRIBUTES.get(name, ()):
                scheme = _scheme(value)
                if scheme is not None and scheme not in URL_SCHEMES:
                    changes.append(Change(f"<{tag}> 标签的 {attr} 使用了 {scheme}: 地址：链接只能指向"
                                          "网页（http、https）、邮箱（mailto）、电话（tel）或本站文件", scheme + ":"))
            elif low == "class" and name in ALLOWED_CLASSES:
                bad = [c for c in value.split() if c not in ALLOWED_CLASSES[name]]
                if bad:
                    changes.append(Change(f"<{tag}> 标签使用了不允许的 class “{' '.join(bad)}”", bad[0].lower()))
            elif low == "style" and name in TAG_ATTRIBUTE_VALUES:
                if value not in _ALIGN:
                    changes.append(Change(f"<{tag}> 标签带有 style 属性：正文不能自定样式", "style"))
            elif low not in ATTRIBUTES["*"] and low not in ATTRIBUTES.get(name, ()):
                reason = "链接或资源地址" if low in _URL_ATTRS else "属性"
                changes.append(Change(f"<{tag}> 标签带有不允许的{reason} {attr}：正文只能使用基本属性"
                                      "（如链接的 href、图片的 src 和 alt）", low))
    if not changes and strict != canonical:
        changes.append(Change("含有经清理会被改动的 HTML：请只使用 Markdown 和基本标签", None))
    if not changes:
        changes.append(Change("HTML 标签没有正确闭合（或多出结束标签），会影响页面其他部分：请检查正文中的 HTML",
                              None))
    return changes


def locate(changes: list[Change], source: str) -> list[int]:
    """0-based line in ``source`` of each change: where its needle is written, searching on
    from the previous change's place (changes come in document order); 0 if not found."""
    low = source.lower()
    lines: list[int] = []
    cursor = 0
    for change in changes:
        at = -1
        if change.needle is not None:
            needles = [change.needle] + ([change.needle[1:]] if change.needle.startswith("<") else [])
            for needle in needles:
                at = low.find(needle, cursor)
                if at < 0:
                    at = low.find(needle)
                if at >= 0:
                    break
        if at < 0 and change.needle is not None:  # written with entities: &#106;avascript:
            number = next((n for n, line in enumerate(source.split("\n"))
                           if change.needle in html_lib.unescape(line).lower()), None)
            if number is not None:
                lines.append(number)
                continue
        if at < 0:
            lines.append(0)
            continue
        cursor = at + 1
        lines.append(source.count("\n", 0, at))
    return lines


# --- Markdown to HTML, as the build converts it ----------------------------------------------

#: beyond these, python-markdown's inline patterns take seconds (brackets are quadratic in a
#: paragraph) or its block parser recurses too deep; no real document comes near them
MAX_BODY_CHARS = 2_000_000
MAX_INDENT = 64
MAX_QUOTE_DEPTH = 30
_DEEP = re.compile(rf"^(?: {{{MAX_INDENT + 1}}}|(?:[ \t]*>){{{MAX_QUOTE_DEPTH + 1}}})", re.M)


#: the generator's own markers around generated HTML (``render.pages.RAW_OPEN``): in an
#: author's text they would smuggle HTML past the judge
RESERVED = "gk-raw"


def precheck(text: str) -> tuple[int, str] | None:
    """(0-based line, message) when ``text`` may not even be converted: it could take the
    build down (``markdown_cost``), or it carries the generator's reserved markers. The one
    gate before conversion in ``gongkai check`` and in the build."""
    if RESERVED in text:
        return (text.count("\n", 0, text.index(RESERVED)),
                f"正文含有生成器保留的标记“{RESERVED}”：请删去")
    if len(text) > MAX_BODY_CHARS:
        return 0, f"正文超过 {MAX_BODY_CHARS:,} 个字符：请拆分成多个条目或改为附件"
    if (m := _DEEP.search(text)) is not None:
        return (text.count("\n", 0, m.start()),
                f"缩进超过 {MAX_INDENT} 个空格或引用“>”嵌套超过 {MAX_QUOTE_DEPTH} 层：请减少嵌套层数")
    if (over := markdown_cost.overrun(text)) is not None:
        return text.count("\n", 0, over.offset), over.message
    return None


@dataclass(frozen=True, slots=True)
class Finding:
    line: int  # 0-based within the judged text
    message: str


#: verdicts by (extensions and options, digest of the text); a large site's worth
_VERDICTS: dict[tuple, list[Finding]] = {}
_VERDICTS_SIZE = 200_000


class BodyJudge:
    """Converts authors' Markdown with the site's extensions and judges the HTML."""

    def __init__(self, extensions: tuple[str, ...], configs: dict | None = None):
        self.extensions = extensions
        self.configs = configs or {}
        self._md: markdown.Markdown | None = None
        #: what a verdict depends on besides the text
        self._setup = (extensions, repr(sorted(self.configs.items())))

    def html(self, text: str) -> str:
        import markdown  # imported here: only `gongkai check` and tools convert in the core

        if self._md is None:
            self._md = markdown.Markdown(extensions=list(self.extensions),
                                         extension_configs=self.configs)
        return self._md.reset().convert(text)

    def findings(self, text: str) -> list[Finding]:
        """What the build would refuse in a Markdown text, lines 0-based. The verdict on a
        text is kept for the process: ``gongkai import`` judges each item before writing it
        and then checks the whole site, and conversion is most of a judgement's cost."""
        key = (self._setup, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        found = _VERDICTS.get(key)
        if found is None:
            found = self._findings(text)
            if len(_VERDICTS) >= _VERDICTS_SIZE:
                _VERDICTS.clear()
            _VERDICTS[key] = found
        return list(found)

    def _findings(self, text: str) -> list[Finding]:
        slow = precheck(text)
        if slow is not None:
            return [Finding(*slow)]
        if "<" not in text and "{" not in text and "](" not in text and "]:" not in text:
            return []  # no HTML, no attributes, no link address: plain text only
        try:
            html = self.html(text)
        except Exception as exc:  # a converter crash must be a message, not a traceback
            self._md = None
            return [Finding(0, f"Markdown 无法转换（{type(exc).__name__}）：请检查正文的嵌套和特殊符号")]
        changes = judge(html)
        return [Finding(line, c.message) for c, line in zip(changes, locate(changes, text), strict=False)]
