"""HTML bodies to clean Markdown: what an old CMS or Word stored, as an editor would write it.

The conversion is markdownify's (BeautifulSoup-based, MIT, maintained); before it the tree is
cleaned of what Word and CMS editors leave behind: inline styles, ``class="MsoNormal"`` and
other ``mso-`` markup, ``<font>``/``<span>`` wrappers, conditional comments, ``&nbsp;`` runs,
empty paragraphs and the full-width spaces that indent Chinese paragraphs. A paragraph that
is only a bold ``一、…`` or ``（一）…`` line becomes a heading, as 公文 are structured.
Links and images are handed to ``rewrite`` so the caller can bring files along.
"""

from __future__ import annotations

import re
from typing import Callable

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
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
_LEAD = re.compile(r"^[\s\u3000\xa0]+")
_HEADING_1 = re.compile(r"^[一二三四五六七八九十]{1,3}、\S")
_HEADING_2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\S")
_HEADING_3 = re.compile(r"^\d{1,2}[.．]\S")
_SENTENCE_END = "。；;！？"


class _Converter(MarkdownConverter):
    def escape(self, text, parent_tags):
        # A "<" in the text must stay text: Markdown passes raw HTML through to the page.
        text = super().escape(text, parent_tags)
        return text.replace("<", "&lt;")

    def convert_img(self, el, text, parent_tags):
        # markdownify keeps images inside table cells and headings only as alt text; keep them
        src = el.attrs.get("src") or ""
        alt = (el.attrs.get("alt") or "").replace("]", "")
        return f"![{alt}]({src})" if src else alt


_OPTIONS = dict(heading_style="ATX", bullets="-", strong_em_symbol="*", table_infer_header=True,
                keep_inline_images_in=["td", "th", "h1", "h2", "h3", "h4", "h5", "h6"])


def html_to_markdown(html: str, rewrite: Rewrite) -> str:
    soup = BeautifulSoup(html, "html.parser")
    _clean(soup, rewrite)
    text = _Converter(**_OPTIONS).convert_soup(soup)
    return _tidy(text)


def _clean(soup: BeautifulSoup, rewrite: Rewrite) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()  # also Word's <!--[if gte mso 9]> blocks
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(True):
        name = tag.name.lower()
        if ":" in name or name in _UNWRAP:  # o:p, v:shape, w:… and the wrappers
            if name.startswith("v:") or name.startswith("w:"):
                tag.decompose()
            else:
                tag.unwrap()
            continue
        keep = _KEEP_ATTRS.get(name, ())
        tag.attrs = {k: v for k, v in tag.attrs.items() if k in keep}
    for a in soup.find_all("a"):
        href = (a.get("href") or "").strip()
        target = rewrite(href, False) if href and not href.startswith("#") else None
        if target is None:
            a.unwrap()
        else:
            a["href"] = target
    for img in soup.find_all("img"):
        src = (img.get("src") or "").strip()
        target = rewrite(src, True) if src else None
        if target is None:
            img.decompose()
        elif re.match(r"^(https?:)?//", target):
            # the site loads nothing from another host: an image left there becomes a link to it
            link = soup.new_tag("a", href=target)
            link.string = "图片：" + (img.get("alt") or "").strip() if img.get("alt") else "图片"
            img.replace_with(link)
        else:
            img["src"] = target
    for table in soup.find_all("table"):
        first = table.find("tr")
        for b in first.find_all(["b", "strong"]) if first is not None else ():
            b.unwrap()  # the heading row is bold already: "**序号**" would only be noise
    for p in soup.find_all(["p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"]):
        _strip_indent(p)
    for p in soup.find_all("p"):
        if not p.get_text(strip=True) and not p.find("img"):
            p.decompose()
            continue
        _heading(p)


def _strip_indent(block: Tag) -> None:
    """Full-width spaces and &nbsp; that indent a paragraph are layout, not text."""
    for node in block.descendants:
        if isinstance(node, NavigableString):
            if node.strip("\u3000\xa0 \t\r\n"):
                node.replace_with(_LEAD.sub("", str(node)))
                return
            node.replace_with("")


def _heading(p: Tag) -> None:
    text = p.get_text().strip()
    bold = p.find(["b", "strong"])
    whole_bold = bold is not None and bold.get_text().strip() == text
    if len(text) > 40 or text[-1:] in _SENTENCE_END or not (whole_bold or p.find("img") is None):
        return
    level = 2 if _HEADING_1.match(text) else 3 if _HEADING_2.match(text) else 0
    if not level and _HEADING_3.match(text) and (whole_bold or len(text) <= 20):
        level = 4
    if level and (whole_bold or len(text) <= 25):
        for b in p.find_all(["b", "strong"]):
            b.unwrap()
        p.name = f"h{level}"


def _tidy(text: str) -> str:
    lines = []
    for line in text.replace("\r", "").split("\n"):
        line = _SPACES.sub(" ", line).rstrip()
        lines.append(line)
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out + "\n" if out else ""
