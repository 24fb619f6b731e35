"""The text of an attachment, for the search index.

The security issue's extraction module (``gongkai.read.extract.attachment_text``:
PDF, DOCX, XLSX, CSV/TXT in any encoding) is used when it is installed; until
then plain-text formats are read here and other kinds contribute their title
only. Nothing here raises: an unreadable attachment is still listed by title.
"""

from __future__ import annotations

from pathlib import Path

try:  # pragma: no cover - depends on which branch is merged
    from gongkai.read.extract import attachment_text as _extract  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    _extract = None

MAX_CHARS = 20_000  # a long table's first pages say what it is; the rest would bloat the index
_TEXT_KINDS = {"TXT", "CSV", "MD"}
_ENCODINGS = ("utf-8-sig", "gb18030")


def attachment_text(path: Path, kind: str) -> str:
    """Plain text of the file at ``path`` ("" if it cannot be read)."""
    try:
        if _extract is not None:
            return (_extract(path) or "")[:MAX_CHARS]
        if kind.upper() not in _TEXT_KINDS:
            return ""
        data = path.read_bytes()[: MAX_CHARS * 4]
    except Exception:  # noqa: BLE001 - a broken file must not stop the build; its title stays searchable
        return ""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)[:MAX_CHARS]
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")[:MAX_CHARS]
