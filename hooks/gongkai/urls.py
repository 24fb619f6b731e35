"""Relative URLs, so the built site works from a domain root or any sub-path."""

from __future__ import annotations

import posixpath


def relative(target: str, page_url: str) -> str:
    """Link from the page at ``page_url`` (directory style, e.g. ``a/b/``) to ``target``.

    Both are site-relative without a leading slash; ``""`` is the home page.
    """
    base = page_url if page_url.endswith("/") or page_url == "" else posixpath.dirname(page_url) + "/"
    if target == base:
        return "./"
    rel = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel
