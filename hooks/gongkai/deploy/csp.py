"""The Content-Security-Policy of a page, computed from the inline scripts it actually carries.

Scripts are allowed from the site itself and, inline, only by the SHA-256 of their exact text
(no ``'unsafe-inline'``, no ``'unsafe-eval'``): an inline handler (``onerror=``) or a
``<script>`` that slipped into an author's text never runs, whatever the HTML judge missed.
Only inline scripts of the page frame are hashed: anything between the first ``<article`` and
the last ``</article>`` is where authors' text sits (Material's ``md-content__inner``), and a
script there is left without a hash on purpose, so the policy blocks it.

Styles: ``style-src 'self'`` with no inline allowance. The pages carry no ``<style>`` element
and no ``style=`` attribute; Material sets positions through the CSSOM (``el.style.top = …``,
``style.setProperty``), which a policy does not govern, so it needs no ``'unsafe-inline'``.
An inline ``<style>`` outside the content would be hashed like a script.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.S | re.I)
_SRC = re.compile(r"\ssrc\s*=", re.I)
_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
#: script types a browser runs; any other (application/json: Material's __config) is data
_RUNNABLE = {"", "text/javascript", "application/javascript", "module"}
_CHARSET = re.compile(r"<meta charset=\"utf-8\">", re.I)
_HEAD = re.compile(r"<head>", re.I)
_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?')


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _frame_spans(html: str) -> tuple[int, int]:
    """Where authors' text may sit: from the first <article to the end of the last </article>."""
    start = html.find("<article")
    if start < 0:
        return len(html), len(html)
    end = html.rfind("</article>")
    return start, max(end + len("</article>"), start)


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """The hashes of the page frame's inline scripts and styles, in order of appearance."""
    start, end = _frame_spans(html)
    scripts: list[str] = []
    for match in _SCRIPT.finditer(html):
        if start <= match.start() < end or _SRC.search(match.group(1)):
            continue
        kind = _TYPE.search(match.group(1))
        if (kind.group(1).lower() if kind else "") not in _RUNNABLE:
            continue
        scripts.append(_digest(match.group(2)))
    styles = [_digest(m.group(1)) for m in _STYLE.finditer(html) if not start <= m.start() < end]
    return list(dict.fromkeys(scripts)), list(dict.fromkeys(styles))


def policy(scripts: Iterable[str], styles: Iterable[str], *, header: bool = False,
           report_uri: str | None = None) -> str:
    """The policy text. ``header``: the HTTP header's form, which adds what a <meta> policy
    may not carry (``frame-ancestors``, reporting); a browser ignores them in <meta> with a
    console warning."""
    directives = [
        "default-src 'none'",
        # 'report-sample': a violation report (and the securitypolicyviolation event) quotes
        # the start of what was blocked, so a slip is found from the report alone
        "script-src " + " ".join(["'self'", "'report-sample'", *scripts]),
        "style-src " + " ".join(["'self'", *styles]),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    if header:
        directives.append("frame-ancestors 'self'")
        if report_uri:
            directives.append(f"report-uri {report_uri}")
    return "; ".join(directives)


def add_meta(html: str) -> str:
    """The page with its policy as the first thing after <meta charset>, before any script."""
    html = _META.sub("", html, count=1)  # a page written again (the preview) is not doubled
    scripts, styles = inline_hashes(html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts, styles)}">'
    match = _CHARSET.search(html) or _HEAD.search(html)
    if match is None:
        return html
    return html[:match.end()] + "\n" + tag + html[match.end():]


def page_policy(html: str) -> tuple[list[str], list[str]]:
    """The hashes a built page's policy names (for the server's header: their union)."""
    return inline_hashes(_META.sub("", html, count=1))
