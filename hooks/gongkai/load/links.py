"""Internal links in item bodies: what counts as one, and where it lands.

An item's body is published inside its page at ``items/<agency>/<year>-<seq>/``
(source ``…/index.md``), so MkDocs and the browser both resolve a relative
link from that folder. Editors therefore write links as they work on the site:

- an attachment of the same item by its file name: ``[名单](名单.csv)``
  (this also works in an editor's preview: the attachment sits beside the file);
- another item by its page: ``[原文](../2025-00005/index.md)`` (or ``../2025-00005/``);
- a column: ``[规范性文件](../../../catalogue/gfxwj/index.md)``.

A link is *internal* when it has no scheme and no host (``https:``,
``mailto:``, ``//host`` are external) and is more than a ``#fragment``.
Root-absolute links (``/items/…``) are internal but never valid: the
disclosure column usually lives under a sub-path of the portal.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True, slots=True)
class Link:
    target: str  # as written
    line: int  # line in the source file


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
# [text](target "title") and ![alt](target); the target may be wrapped in <>
_INLINE = re.compile(r"!?\[(?:[^\[\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
# [label]: target
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)")
# stops at the next "<": on a line of unclosed "<a <a <a …" each try would otherwise scan to the
# line's end, quadratic in the line (minutes for 120 KB, issue 26)
_HTML_ATTR = re.compile(r"""<[a-zA-Z][^<>]*?\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def find_links(body: str, first_line: int = 1) -> list[Link]:
    """Every link target in a Markdown body, outside code, with its source line."""
    links: list[Link] = []
    in_fence = False
    for offset, raw in enumerate(body.splitlines()):
        if _FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        text = _CODE_SPAN.sub("", raw)
        line = first_line + offset
        targets = [m[1] for m in _INLINE.finditer(text)]
        targets += [m[1] for m in _REFERENCE.finditer(text)]
        targets += [m[1] if m[1] is not None else m[2] for m in _HTML_ATTR.finditer(text)]
        for target in targets:
            if target.startswith("<") and target.endswith(">"):
                target = target[1:-1]
            links.append(Link(target.strip(), line))
    return links


def is_internal(target: str) -> bool:
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def resolve(target: str, page_url: str) -> str | None:
    """The site path an internal link lands on, from the page at ``page_url``.

    ``None`` when it cannot land inside the site: root-absolute, or climbing
    above the site root. Directory targets keep their trailing slash.
    """
    path = unquote(urlsplit(target).path)
    if path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(page_url or ".", path))
    if joined == ".":
        return ""
    if joined == ".." or joined.startswith("../"):
        return None
    return joined + "/" if path.endswith("/") else joined


def lands_on(resolved: str, pages: set[str], files: set[str]) -> bool:
    """Whether a resolved path is a page or file of the built site.

    ``x/index.md`` (what MkDocs rewrites) and ``x`` without the slash (which
    static hosts redirect) both reach the page ``x/``.
    """
    if resolved in files or resolved in pages:
        return True
    if resolved == "index.md" or resolved.endswith("/index.md"):
        return resolved[: -len("index.md")] in pages
    return resolved + "/" in pages
