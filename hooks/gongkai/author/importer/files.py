"""Finding an export's attachments in the folder the old system exported, and copying them.

Everything here is author input: a reference may climb out of the folder (``../``), name a
symbolic link or a device, or carry a name no web server should serve. Only regular files
inside the folder are taken, reached without following any symbolic link, and copied under
a safe name that never replaces an existing file.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit


class FileProblem(Exception):
    """The reference cannot be taken; the message says why, in Chinese."""


class AttachmentFolder:
    def __init__(self, root: Path | None):
        self.root = root
        self._by_name: dict[str, list[tuple[str, ...]]] | None = None

    def find(self, reference: str) -> Path:
        """The regular file a reference in the export names (a path, a URL or a bare name)."""
        root = self.root
        if root is None:
            raise FileProblem(f"“{reference}”：没有指定附件目录（--attachments）")
        parts = _parts(reference)
        if not parts:
            raise FileProblem(f"“{reference}”不是文件名")
        # "/xxgk/uploads/2019/a.pdf" is "uploads/2019/a.pdf" or "a.pdf" in the exported folder
        for start in range(len(parts)):
            found = _regular(root, parts[start:])
            if found is not None:
                return found
        matches = self._index(root).get(parts[-1], [])
        if len(matches) == 1:
            found = _regular(root, matches[0])
            if found is not None:
                return found
        if len(matches) > 1:
            raise FileProblem(f"附件目录中有 {len(matches)} 个名为“{parts[-1]}”的文件，无法确定是哪一个")
        raise FileProblem(f"附件目录中找不到“{reference}”（或它不是普通文件，例如符号链接）")

    def _index(self, root: Path) -> dict[str, list[tuple[str, ...]]]:
        if self._by_name is None:
            self._by_name = {}
            for folder, _dirs, files in os.walk(root, followlinks=False):
                rel = Path(folder).relative_to(root).parts
                for name in files:
                    self._by_name.setdefault(name, []).append(rel + (name,))
        return self._by_name


def _regular(root: Path, parts: tuple[str, ...]) -> Path | None:
    path = root
    for i, part in enumerate(parts):
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return None
        if stat.S_ISLNK(mode):
            return None  # never follow a link: it may point anywhere on the machine
        if i < len(parts) - 1 and not stat.S_ISDIR(mode):
            return None
        if i == len(parts) - 1 and not stat.S_ISREG(mode):
            return None
    return path


def _parts(reference: str) -> tuple[str, ...]:
    path = unquote(urlsplit(reference.strip()).path).replace("\\", "/")
    parts = tuple(p for p in PurePosixPath(path).parts if p not in ("/", "", "."))
    if ".." in parts:
        return ()
    return parts


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#%\[\]()]+')


def safe_name(name: str) -> str:
    """A file name that needs no quoting in a link or in YAML and is not hidden."""
    stem, dot, suffix = _UNSAFE.sub("_", name).strip(" ._").rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    stem = stem.strip(" ._") or "附件"
    suffix = re.sub(r"[^0-9A-Za-z]", "", suffix).lower()
    return f"{stem[:80]}.{suffix}" if suffix else stem[:80]


def copy_regular(source: Path, dest: Path) -> None:
    """Copy without following a link at the source and without replacing ``dest``."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(source, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileProblem(f"“{source.name}”不是普通文件")
        with open(fd, "rb", closefd=False) as src, dest.open("xb") as out:
            while chunk := src.read(1 << 20):
                out.write(chunk)
    finally:
        os.close(fd)
