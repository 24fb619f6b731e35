"""``gongkai compress``: precompressed copies beside the text files of a built site.

nginx's ``gzip_static`` sends ``x.gz`` to a browser that accepts gzip instead of compressing
``x`` on every request, at the best level; an object-storage upload sends the ``.gz`` under
the original name with Content-Encoding (``storage.py``). Brotli copies are written too when
the ``brotli`` package is installed (optional; nginx needs its brotli module to send them).
"""

from __future__ import annotations

import gzip
import importlib
from dataclasses import dataclass
from pathlib import Path

from gongkai.deploy import rules

MIN_BYTES = 512  # below this, the headers outweigh what compression saves


@dataclass
class Compressed:
    files: int = 0
    original: int = 0
    gzipped: int = 0
    brotli: bool = False


def compress_site(site_dir: Path) -> Compressed:
    try:
        brotli = importlib.import_module("brotli")
    except ImportError:
        brotli = None
    done = Compressed(brotli=brotli is not None)
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or not rules.rule(path.name).compressible:
            continue
        data = path.read_bytes()
        if len(data) < MIN_BYTES:
            continue
        # mtime 0: the same site compresses to the same bytes, so a deploy sees no change
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        if len(packed) >= len(data):
            continue
        path.with_name(path.name + ".gz").write_bytes(packed)
        if brotli is not None:
            path.with_name(path.name + ".br").write_bytes(brotli.compress(data))
        done.files += 1
        done.original += len(data)
        done.gzipped += len(packed)
    return done
