"""The text of an attachment, for the search index.

``gongkai.read.extract.attachment_text`` reads every format the attachment guard accepts
(PDF text layer, DOCX, XLSX, XLS, OFD, CSV/TXT in any encoding ...). Nothing here raises: an
unreadable attachment is still listed by its title.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.read.extract import attachment_text as _extract

MAX_CHARS = 20_000  # a long table's first pages say what it is; the rest would bloat the index


def attachment_text(path: Path, kind: str) -> str:
    """Plain text of the file at ``path`` ("" if it cannot be read). ``kind`` is kept for
    callers; the extractor tells formats apart by name and content itself."""
    extracted = _extract(path)
    return extracted.text[:MAX_CHARS] if extracted.refused is None else ""
