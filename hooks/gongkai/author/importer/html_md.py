"""HTML bodies to clean Markdown: what an old CMS or Word stored, as an editor would write it.

The conversion is markdownify's (BeautifulSoup-based, MIT, maintained); before it lxml cleans
the markup of what Word and CMS editors leave behind: inline styles, ``class="MsoNormal"`` and
other ``mso-`` markup, ``<font>``/``<span>`` wrappers, conditional comments, ``&nbsp;`` runs,
empty paragraphs and the full-width spaces that indent Chinese paragraphs. A paragraph that
is only a bold ``一、…`` or ``（一）…`` line becomes a heading, as 公文 are structured.
Links and images are handed to ``rewrite`` so the caller can bring files along.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import lxml.html
from bs4 import BeautifulSoup
from lxml import etree
from markdownify import MarkdownConverter

#: (url, is_image) -> the URL to write, or None to keep only the text
Rewrite = Callable[[str, bool], "str | None"]

_DROP = ("script", "style", "xml", "head", "title", "meta", "link", "noscript", "template",
         "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
         "select", "textarea", "base")
_UNWRAP = ("font", "span", "u", "ins", "center", "small", "big", "abbr", "section", "article",
           "o:p", "st1:chsdate", "st1:personname", "label", "nobr")
_KEEP_ATTRS = {"a": ("href", "title"), "img": ("src", "alt", "title"), "td": ("colspan", "rowspan"),
               "th": ("colspan", "rowspan"), "ol": ("start",)}
_SPACES = re.compile(r"[ \t\xa0\u2002\u2003\u2009\u200b\ufeff]+")
_INDENT = re.compile(r"^ *[\u3000\xa0][\s\u3000\xa0]*")
_HEADING_1 = re.compile(r"^[一二三四五六七八九十]{1,3}、\S")
_HEADING_2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\S")
_HEADING_3 = re.compile(r"^\d{1,2}[.．]\S")
_SENTENCE_END = "。；;！？"


_PARSER = "lxml"  # BeautifulSoup's tree built by lxml: a third faster than html.parser
_WHITE = " \t\r\n\xa0\u3000\u2002\u2003\u200b\ufeff"


class _Converter(MarkdownConverter):
    def escape(self, text, parent_tags):
        # A "<" in the text must stay text: Markdown passes raw HTML through to the page.
        text = super().escape(text, parent_tags)  # type: ignore[misc]  # markdownify's stub omits escape()
        return text.replace("<", "&lt;")

    def convert_hN(self, n, el, text, parent_tags):
        # the page's one H1 is the item's title: a body's headings start at H2 (guards.body_policy)
        return super().convert_hN(max(n, 2), el, text, parent_tags)  # type: ignore[misc]  # not in the stub

    def convert_img(self, el, text, parent_tags):
        # markdownify keeps images inside table cells and headings only as alt text; keep them
        src = el.attrs.get("src") or ""
        alt = (el.attrs.get("alt") or "").replace("]", "")
        return f"![{alt}]({src})" if src else alt


def _converter() -> _Converter:
    return _Converter(heading_style="ATX", bullets="-", strong_em_symbol="*", table_infer_header=True,
                      keep_inline_images_in=["td", "th", "h1", "h2", "h3", "h4", "h5", "h6"])


def html_to_markdown(html: str, rewrite: Rewrite) -> str:
    urls: list[str] = []
    cleaned = _clean(html, rewrite, urls)
    if not cleaned.strip():
        return ""
    text = _converter().convert_soup(BeautifulSoup(cleaned, _PARSER))
    # lxml's serialiser percent-encodes non-ASCII URLs (附件1.pdf): the targets travel as
    # tokens and are put back as written
    text = _TOKEN.sub(lambda m: _target(urls[int(m[1])]), text)
    return _tidy(text)


_TOKEN = re.compile(r"gkref-(\d+)-")


def _target(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def _clean(html: str, rewrite: Rewrite, urls: list[str]) -> str:
    """The body without the noise, as HTML. lxml does this part: in C, on the whole Word
    markup, so that BeautifulSoup and markdownify only see the much smaller rest."""
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):  # nothing but whitespace or comments
        return ""
    body = doc.find("body")
    if body is None:
        return ""
    etree.strip_elements(body, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    names = {el.tag for el in body.iter() if isinstance(el.tag, str)}
    etree.strip_elements(body, *[n for n in names if n in _DROP or n.startswith(("v:", "w:"))],
                         with_tail=False)
    etree.strip_tags(body, *[n for n in names if ":" in n or n in _UNWRAP])
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        keep = _KEEP_ATTRS.get(el.tag, ())
        for key in [k for k in el.attrib if k not in keep]:
            del el.attrib[key]
    for a in list(body.iter("a")):
        href = (a.get("href") or "").strip()
        target = rewrite(href, False) if href and not href.startswith("#") else None
        if target is None:
            a.drop_tag()
        else:
            a.set("href", f"gkref-{len(urls)}-")
            urls.append(target)
    for img in list(body.iter("img")):
        src = (img.get("src") or "").strip()
        target = rewrite(src, True) if src else None
        if target is None:
            img.drop_tree()
        elif re.match(r"^(https?:)?//", target):
            # the site loads nothing from another host: an image left there becomes a link to it
            alt = (img.get("alt") or "").strip()
            link = lxml.html.Element("a", href=f"gkref-{len(urls)}-")
            urls.append(target)
            link.text = f"图片：{alt}" if alt else "图片"
            link.tail = img.tail
            img.getparent().replace(img, link)
        else:
            img.set("src", f"gkref-{len(urls)}-")
            urls.append(target)
    for table in body.iter("table"):
        first = next(table.iter("tr"), None)
        if first is not None:  # the heading row is bold already: "**序号**" would only be noise
            etree.strip_tags(first, "b", "strong")
    for p in list(body.iter("p")):
        text = p.text_content().strip(_WHITE)
        if not text and next(p.iter("img"), None) is None:
            p.drop_tree()
        else:
            _heading(p, text)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in body) \
        if len(body) else (body.text or "")


def _heading(p, text: str) -> None:
    """A short paragraph that is only ``一、…``/``（一）…``/``1.…`` (bold, as 公文 set them)."""
    level = 2 if _HEADING_1.match(text) else 3 if _HEADING_2.match(text) else 4 if _HEADING_3.match(text) else 0
    if not level or len(text) > 40 or text[-1:] in _SENTENCE_END or next(p.iter("img"), None) is not None:
        return
    bold = "".join(b.text_content() for b in p.iter("b", "strong")).strip(_WHITE)
    whole_bold = bold == text
    if whole_bold or len(text) <= (20 if level == 4 else 25):
        etree.strip_tags(p, "b", "strong")
        p.tag = f"h{level}"


def _tidy(text: str) -> str:
    lines = []
    for line in text.replace("\r", "").split("\n"):
        # full-width spaces and &nbsp; that indent a paragraph are layout, not text
        line = _SPACES.sub(" ", _INDENT.sub("", line)).rstrip()
        lines.append(line)
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out + "\n" if out else ""
