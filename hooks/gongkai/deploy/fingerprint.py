"""Content-hashed names for the site's own assets, so they can be cached for a year.

Material's bundle and stylesheets already carry a hash in their names; gongkai's own
(``assets/gongkai.css``, the search scripts, the 长者版 script, the footer marks, the favicon)
do not. Each page's references to them are pointed at a copy named by its content
(``assets/gongkai.1a2b3c4d.css``), written beside the original. A changed file gets a new
name, so a cached copy is never stale, and during a deploy the old pages keep the old copy
while the new pages use the new one (see ``plan.py``). The originals stay: Material's bundle
names the ResizeObserver polyfill by its plain path.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

#: the kinds of file named from a page that get a hashed copy
EXTENSIONS = ("css", "js", "svg", "png")
#: a name that already carries a hash: Material's ``bundle.a5f9d56c.min.js``, ours ``x.1a2b3c4d.css``
HASHED = re.compile(r"\.[0-9a-f]{8}(?:\.min)?\.(?:" + "|".join(EXTENSIONS) + r")$")
_REF = re.compile(r'(\s(?:src|href)=")((?:\.\./)*|\./|/[^"\s]*?/)(assets/[^"?#\s]+\.(?:'
                  + "|".join(EXTENSIONS) + r'))"')

_copies: dict[tuple[str, str], tuple[int, int, str]] = {}


def hashed_name(rel: str, content: bytes) -> str:
    stem, dot, ext = rel.rpartition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:8]}{dot}{ext}"


def _copy(site_dir: str, rel: str) -> str | None:
    """The hashed name of ``site_dir/rel``, its copy written once; None when there is no such file."""
    path = Path(site_dir, rel)
    try:
        stat = path.stat()
    except OSError:
        return None
    known = _copies.get((site_dir, rel))
    if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    content = path.read_bytes()
    name = hashed_name(rel, content)
    target = Path(site_dir, name)
    if not target.exists():
        # pages are written by more than one process; a whole file or none appears
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temp.write_bytes(content)
        os.replace(temp, target)
    _copies[(site_dir, rel)] = (stat.st_mtime_ns, stat.st_size, name)
    return name


def fingerprint(html: str, site_dir: str) -> str:
    """The page with its references to unhashed assets pointed at their hashed copies."""
    def swap(match: re.Match[str]) -> str:
        rel = match.group(3)
        if HASHED.search(rel) or ".." in rel.split("/"):
            return match.group(0)
        name = _copy(site_dir, rel)
        if name is None:
            return match.group(0)
        return f'{match.group(1)}{match.group(2)}{name}"'

    return _REF.sub(swap, html)
