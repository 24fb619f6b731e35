"""How each file of a built site is served: type, caching, download name, compression.

One table for every way of serving the site: the nginx configuration (``nginx.py``) writes
these rules as nginx ``map``s, and the object-storage manifest (``storage.py``) applies them
to each file, so a site behind nginx and one on a bucket send the same headers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

#: a year; the name changes when the content does, so the copy never needs asking again
IMMUTABLE = "public, max-age=31536000, immutable"
#: pages and the search index's entry point: always asked again (a 304 when unchanged)
NO_CACHE = "no-cache"
#: everything else (feeds, open data, attachments, unhashed assets): ten minutes, then asked again
SHORT = "public, max-age=600, must-revalidate"

#: extension -> Content-Type (text types get "; charset=utf-8")
TYPES: dict[str, str] = {
    "html": "text/html", "css": "text/css", "js": "text/javascript", "json": "application/json",
    "xml": "application/xml", "txt": "text/plain", "csv": "text/csv", "svg": "image/svg+xml",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "webp": "image/webp", "ico": "image/x-icon", "woff2": "font/woff2",
    "pdf": "application/pdf", "ofd": "application/ofd", "zip": "application/zip",
    "doc": "application/msword", "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: text types: the charset is named, so Chinese never depends on the browser's guess
CHARSET_TYPES = ("text/html", "text/css", "text/javascript", "application/json", "application/xml",
                 "text/plain", "text/csv", "image/svg+xml", "application/atom+xml")
#: compressed on the fly or ahead (``compress.py``); images and office files are compressed already
COMPRESSIBLE = ("html", "css", "js", "json", "xml", "txt", "csv", "svg")
#: attachments a browser shows itself: opened in place; the rest are downloads
INLINE = ("pdf",)
DOWNLOAD = ("docx", "xlsx", "xls", "doc", "ofd", "csv", "zip")
#: files with a special type by name
NAMED_TYPES = {"feed.xml": "application/atom+xml"}

#: names that carry their content's hash (Material's ``bundle.a5f9d56c.min.js``, ours from
#: ``fingerprint.py``) and the search index's version folders (``search/idx/<12 hex>/``)
IMMUTABLE_PATTERNS = (r"^assets/.+\.[0-9a-f]{8}(?:\.min)?\.(?:js|css|svg|png)$",
                      r"^search/idx/[0-9a-f]{12}/")
NO_CACHE_PATTERNS = (r"\.html$", r"/$", r"^$", r"^search/idx/meta\.json$")
_IMMUTABLE = [re.compile(p) for p in IMMUTABLE_PATTERNS]
_NO_CACHE = [re.compile(p) for p in NO_CACHE_PATTERNS]


@dataclass(frozen=True)
class FileRule:
    content_type: str
    cache_control: str
    disposition: str | None  # Content-Disposition, or None
    compressible: bool


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    kind = NAMED_TYPES.get(name) or TYPES.get(extension(path), "application/octet-stream")
    return f"{kind}; charset=utf-8" if kind in CHARSET_TYPES else kind


def cache_control(path: str) -> str:
    """``path``: relative to the site's root, with / separators."""
    if any(p.search(path) for p in _IMMUTABLE):
        return IMMUTABLE
    if any(p.search(path) for p in _NO_CACHE):
        return NO_CACHE
    return SHORT


def disposition(path: str, named: bool = True) -> str | None:
    """Opened in place or saved; ``named``: with the file's own name (UTF-8, RFC 6266), which a
    browser otherwise takes from the address."""
    ext = extension(path)
    if ext not in INLINE and ext not in DOWNLOAD:
        return None
    kind = "inline" if ext in INLINE else "attachment"
    return f"{kind}; filename*=UTF-8''{quote(path.rsplit('/', 1)[-1], safe='')}" if named else kind


def rule(path: str) -> FileRule:
    return FileRule(content_type(path), cache_control(path), disposition(path),
                    extension(path) in COMPRESSIBLE)
