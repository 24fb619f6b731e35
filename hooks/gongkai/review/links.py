"""The links and images a changed text adds, found in the HTML the build would publish.

A body diff shows only its first lines; a link added further down must still reach
the reviewer. The old and the new text are converted with the site's own Markdown
setup (so reference links, autolinks and raw ``<a>``/``<img>`` count alike) and every
target the new text has that the old one lacked is listed, in full.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from gongkai.guards.markup import BodyJudge

Link = tuple[str, str]  # (what a reader sees: link text or "图片 alt", target)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self._open: list[tuple[str, list[str]]] = []  # href, text parts of open <a>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in values:
            self._open.append((values["href"], []))
        for attr in ("src", "srcset", "data", "poster", "action", "formaction"):
            if attr in values:
                kind = "图片" if tag == "img" else f"<{tag}>"
                self.links.append((f"{kind} {values.get('alt', '')}".strip(), values[attr]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, parts = self._open.pop()
            self.links.append(("".join(parts).strip(), href))

    def handle_data(self, data: str) -> None:
        for _, parts in self._open:
            parts.append(data)

    def close(self) -> None:
        super().close()
        while self._open:  # an <a> never closed still links
            href, parts = self._open.pop()
            self.links.append(("".join(parts).strip(), href))


def links_in(judge: BodyJudge, markdown_text: str) -> list[Link]:
    collector = _Collector()
    collector.feed(judge.html(markdown_text))
    collector.close()
    return collector.links


def added_links(judge: BodyJudge, old: str, new: str) -> list[Link]:
    """Links of ``new`` not in ``old`` (by text and target), in the order they appear."""
    before = Counter(links_in(judge, old)) if old else Counter()
    out = []
    for link in links_in(judge, new):
        if before[link] > 0:
            before[link] -= 1
        else:
            out.append(link)
    return out
