"""The object-storage metadata for the same rules as the nginx configuration.

A bucket sends what was stored with each object, so the manifest names, for every file of the
built site, the Content-Type, Cache-Control, Content-Disposition and (when ``gongkai
compress`` wrote a ``.gz`` beside it) the Content-Encoding to upload it with, and the SHA-256
that ``gongkai publish --plan`` compares. The security headers are response headers of the
CDN in front of the bucket; they are listed once, under ``headers``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from gongkai.deploy import rules

#: files of the site that are never uploaded: precompressed copies are uploaded under their
#: original name (with Content-Encoding), never as files of their own
SKIPPED_SUFFIXES = (".gz", ".br")


def site_files(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*")
                  if p.is_file() and not p.name.endswith(SKIPPED_SUFFIXES))


def file_entry(site_dir: Path, path: str) -> dict[str, str]:
    rule = rules.rule(path)
    entry = {"sha256": hashlib.sha256((site_dir / path).read_bytes()).hexdigest(),
             "Content-Type": rule.content_type, "Cache-Control": rule.cache_control}
    if rule.disposition:
        entry["Content-Disposition"] = rule.disposition
    if rule.compressible and (site_dir / f"{path}.gz").is_file():
        entry["Content-Encoding"] = "gzip"
        entry["upload"] = f"{path}.gz"
    return entry


def manifest(site_dir: Path, headers: dict[str, str]) -> dict[str, object]:
    return {"format": "gongkai-storage-manifest/1", "headers": headers,
            "files": {path: file_entry(site_dir, path) for path in site_files(site_dir)}}
