"""Relative URLs, so the built site works from a domain root or any sub-path."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit


def relative(target: str, page_url: str) -> str:
    """Link from the page at ``page_url`` (directory style, e.g. ``a/b/``) to ``target``.

    Both are site-relative without a leading slash; ``""`` is the home page.
    """
    base = page_url if page_url.endswith("/") or page_url == "" else posixpath.dirname(page_url) + "/"
    if target == base:
        return "./"
    rel = _relpath(target, base)
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath(target or ".", base or ".")`` by splitting strings: a listing page
    links to every item it shows, and relpath (two abspath calls) was a tenth of rendering."""
    to = [part for part in target.split("/") if part]
    start = [part for part in base.split("/") if part]
    if target.startswith("/") or base.startswith("/") or "." in to or ".." in to or "." in start or ".." in start:
        return posixpath.relpath(target or ".", base or ".")
    common = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def gov_host_problem(site_url: str) -> str | None:
    """Why ``site_url`` is not a government site's address, or None when it is one.

    A government site is served from a .gov.cn domain (国办发〔2017〕47号), on domestic
    hosting with an ICP filing; anything else is a demonstration."""
    host = (urlsplit(site_url).hostname or "").rstrip(".").lower()
    if host == "gov.cn" or host.endswith(".gov.cn"):
        return None
    return (f"site_url 的域名“{host or site_url}”不是 .gov.cn 域名：政府网站应使用 .gov.cn 域名，"
            "部署在境内已备案的对象存储或服务器上（GitHub Pages 只用于演示）")
