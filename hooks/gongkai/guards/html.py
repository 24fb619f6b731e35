"""Find unsafe HTML in HTML/SVG attachments.

Markdown bodies are not scanned here: ``markup`` judges the HTML they convert to, as a
browser parses it. This tokenizer only looks at attachment files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

#: elements that run code or embed another page or plug-in
UNSAFE_TAGS = {
    "script": "脚本",
    "iframe": "内嵌页面",
    "frame": "内嵌页面",
    "frameset": "框架页面",
    "object": "插件对象",
    "embed": "插件对象",
    "applet": "Java 小程序",
    "base": "改变全部链接地址的 base 标签",
}
#: attributes that hold a URL a browser may follow or load
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background",
                  "srcset", "cite", "longdesc", "lowsrc", "dynsrc"}
# Browsers drop ASCII whitespace and control characters inside a scheme, so
# "java\tscript:" is still javascript:.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|livescript):|^data:text/html", re.I)


@dataclass(frozen=True, slots=True)
class HtmlFinding:
    line: int  # 1-based within the scanned text
    column: int
    message: str


def _unsafe_url(value: str) -> bool:
    return bool(_UNSAFE_SCHEME.match(_IGNORED_IN_SCHEME.sub("", value)))


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[HtmlFinding] = []

    def _add(self, message: str) -> None:
        line, offset = self.getpos()
        self.findings.append(HtmlFinding(line, offset + 1, message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_TAGS:
            self._add(f"含有 <{tag}> 标签（{UNSAFE_TAGS[tag]}）：公开内容不能包含脚本或嵌入其他网页")
        if tag == "meta" and any(k == "http-equiv" and (v or "").lower() == "refresh" for k, v in attrs):
            self._add("含有自动跳转的 <meta http-equiv=\"refresh\">：不能把读者带离本站")
        for name, value in attrs:
            if name.startswith("on"):
                self._add(f"<{tag}> 标签带有事件处理属性 {name}：公开内容不能包含脚本")
            elif name == "srcdoc":
                self._add(f"<{tag}> 标签带有 srcdoc 属性：不能内嵌页面")
            elif value and name in URL_ATTRIBUTES and _unsafe_url(value):
                scheme = _IGNORED_IN_SCHEME.sub("", value).split(":", 1)[0].lower()
                self._add(f"<{tag}> 标签的 {name} 使用了 {scheme}: 地址：链接只能指向网页或文件")

    handle_startendtag = handle_starttag


def scan_html(text: str) -> list[HtmlFinding]:
    """Unsafe elements, handlers and URLs in an HTML (or SVG) document."""
    if "<" not in text:  # no tag, nothing to report: skip the (pure Python) tokenizer
        return []
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.findings
