"""The build cache: what a build's expensive steps made, kept in a folder for the next build.

A build uses it only when told to (``GONGKAI_CACHE=<folder>``, or ``make build CACHE=<folder>``):
without it every build converts and judges everything again. An entry is found by a digest of
everything its result depends on, which always includes ``code_version`` (this package's own
files, the MkDocs side's, and the versions of the libraries that convert and judge), so a code
change or an edit reaches exactly the entries it must.

The folder is not trusted. CI restores it from an earlier run, a disk can cut a file short, and
anyone who can write the folder can write anything into it. So each entry carries its format,
the code version, its kind, its key and a digest of its payload, and is read only if all match
what was asked for; a file that is not a regular file, a folder that is a symbolic link, an
entry of another version or format are ignored (counted, and the entry is written again).
Payloads are JSON, never pickle, and a converted page from the cache is judged by the guards
again like a fresh one (only a clean verdict on the very same bytes is reused, ``Verdicts``).
A plain digest cannot stop someone who writes the folder on purpose and computes digests too:
with ``GONGKAI_CACHE_SECRET`` set, the digest is keyed with that secret, so only builds that
know it can write entries the next build trusts (the pipelines also restore only the caches
main's own publish job saved).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import re
import stat
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

ENV = "GONGKAI_CACHE"
#: optional: a secret only trusted builds know; entries are then signed with it (keyed BLAKE2b),
#: and an entry written by anyone without it (another branch's job, a hand in the folder) is ignored
SECRET_ENV = "GONGKAI_CACHE_SECRET"
#: the on-disk format; a change of it makes every older entry a miss
FORMAT = "gongkai-cache 1"
#: the libraries whose version changes what a page converts to or how it is judged
LIBRARIES = ("markdown", "pymdown-extensions", "mkdocs", "properdocs", "mkdocs-material", "nh3", "jinja2")
#: an entry larger than this is not read (a converted page is well under a megabyte)
MAX_ENTRY = 64 << 20
_KEY = re.compile(r"[0-9a-f]{40}")
_KIND = re.compile(r"[a-z][a-z0-9-]{0,30}")
_HEADER_END = b"\n"


def digest(*parts: str | bytes) -> str:
    """A key made of ``parts``; each part's length goes in too, so no two lists of parts collide."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _package_files(folder: Path) -> Iterable[tuple[str, Path]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            yield path.relative_to(folder).as_posix(), path


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def code_version(folders: Iterable[Path] = ()) -> str:
    """A digest of the code that makes and judges what is cached: every file of this package and
    of ``folders`` (folders or single files: the MkDocs side's), Python's and the libraries' versions."""
    h = hashlib.blake2b(digest_size=20)
    h.update(sys.version.encode())
    for name in LIBRARIES:
        h.update(f"\0{name}={_version(name)}".encode())
    for folder in (Path(__file__).resolve().parent.parent, *folders):
        h.update(f"\0folder {folder.name}".encode())
        files = [(folder.name, folder)] if folder.is_file() else _package_files(folder)
        for rel, path in files:
            h.update(f"\0{rel}\0".encode())
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=20).digest())
    return h.hexdigest()


#: what is counted; the counts live in memory shared with forked processes (the page converters,
#: the background files), so the summary counts their hits too
KINDS = ("page", "markup", "reader", "file")


class Stats:
    def __init__(self) -> None:
        self._counts: Any
        try:
            self._counts = multiprocessing.get_context("fork").Array("q", 2 * len(KINDS) + 1)
        except (ValueError, OSError):  # no fork or no shared memory: this process's counts only
            self._counts = [0] * (2 * len(KINDS) + 1)

    def count(self, kind: str, hit: bool) -> None:
        self._add(2 * KINDS.index(kind) + (0 if hit else 1))

    def reject(self) -> None:
        """An entry found but not trusted: cut short, wrong digest, another version, not a regular file."""
        self._add(2 * len(KINDS))

    def _add(self, at: int) -> None:
        lock = getattr(self._counts, "get_lock", None)
        if lock is None:
            self._counts[at] += 1
            return
        with lock():
            self._counts[at] += 1

    def hits(self, kind: str) -> int:
        return int(self._counts[2 * KINDS.index(kind)])

    def misses(self, kind: str) -> int:
        return int(self._counts[2 * KINDS.index(kind) + 1])

    @property
    def rejected(self) -> int:
        return int(self._counts[2 * len(KINDS)])


class BuildCache:
    """Entries under ``root``/``v-<code version>``/``<kind>``/``<key>``; each of these folders
    is opened once per process, without following a link, and entries are read and written
    relative to it (a folder swapped for a link later is not followed either)."""

    def __init__(self, root: Path, version: str, secret: str = ""):
        self.root = Path(root)
        self.version = version
        self._secret = hashlib.blake2b(secret.encode(), digest_size=32).digest() if secret else b""
        self.stats = Stats()
        self._folder = f"v-{version[:24]}"
        #: kind -> descriptor of its folder (kept open: one ``open`` per entry, not four)
        self._dirs: dict[str, int] = {}

    # -- reading ----------------------------------------------------------------------------

    def get(self, kind: str, key: str, count: bool = True) -> bytes | None:
        """The payload stored under ``kind`` and ``key``, or None (absent or not trusted).
        ``count``: False when the caller counts the hit itself (it checks more first)."""
        payload = self._read(kind, key)
        if count:
            self.stats.count(kind, payload is not None)
        return payload

    def get_json(self, kind: str, key: str, count: bool = True) -> Any:
        payload = self.get(kind, key, count)
        if payload is None:
            return None
        try:
            return json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested too deep
            self.stats.reject()
            return None

    def _read(self, kind: str, key: str) -> bytes | None:
        _check_name(kind, key)
        folder = self._kind_dir(kind, create=False)
        if folder is None:
            return None
        try:
            fd = os.open(key, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, dir_fd=folder)
        except FileNotFoundError:
            return None
        except OSError:  # a symbolic link (ELOOP), never followed, or unreadable
            self.stats.reject()
            return None
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY:
                self.stats.reject()
                return None
            data = f.read(MAX_ENTRY + 1)
        payload = self._verify(data, kind, key)
        if payload is None:
            self.stats.reject()
        return payload

    def _verify(self, data: bytes, kind: str, key: str) -> bytes | None:
        head, sep, payload = data.partition(_HEADER_END)
        if not sep:
            return None
        return payload if head == self._header(kind, key, payload) else None

    def _header(self, kind: str, key: str, payload: bytes) -> bytes:
        sign = hashlib.blake2b(payload, digest_size=20, key=self._secret).hexdigest()
        return f"{FORMAT} {self.version} {kind} {key} {sign}".encode()

    # -- writing ----------------------------------------------------------------------------

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store ``payload``; a cache that cannot be written only makes the next build slower."""
        _check_name(kind, key)
        head = self._header(kind, key, payload)
        folder = self._kind_dir(kind, create=True)
        if folder is None:
            return
        temp = f".{key}.{os.getpid()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            try:
                fd = os.open(temp, flags, 0o644, dir_fd=folder)
            except FileExistsError:  # left by an earlier build that was stopped, or planted
                os.unlink(temp, dir_fd=folder)
                fd = os.open(temp, flags, 0o644, dir_fd=folder)
            with os.fdopen(fd, "wb") as f:
                f.write(head + _HEADER_END + payload)
            # replacing a name never follows it: a symbolic link planted there is replaced, not written through
            os.replace(temp, key, src_dir_fd=folder, dst_dir_fd=folder)
        except OSError:
            pass

    def put_json(self, kind: str, key: str, value: Any) -> None:
        self.put(kind, key, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def _kind_dir(self, kind: str, create: bool) -> int | None:
        fd = self._dirs.get(kind)
        if fd is None:
            fd = self._open_dirs((self._folder, kind), create)
            if fd is not None:
                self._dirs[kind] = fd
        return fd

    def close(self) -> None:
        for fd in self._dirs.values():
            os.close(fd)
        self._dirs.clear()

    def _open_dirs(self, parts: tuple[str, ...], create: bool) -> int | None:
        """A descriptor of root/parts..., each folder below the root opened without following a link."""
        try:
            if create:
                self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            return None
        for part in parts:
            try:
                if create:
                    try:
                        os.mkdir(part, 0o755, dir_fd=fd)
                    except FileExistsError:
                        pass
                child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
            except OSError:
                os.close(fd)
                return None
            os.close(fd)
            fd = child
        return fd

    def summary(self) -> str:
        parts = [f"{_LABELS[k]} 命中 {self.stats.hits(k)}、重新生成 {self.stats.misses(k)}"
                 for k in KINDS if self.stats.hits(k) or self.stats.misses(k)]
        if self.stats.rejected:
            parts.append(f"{self.stats.rejected} 个缓存文件损坏或不可信，已忽略并重新生成")
        return f"构建缓存 {self.root}：" + ("；".join(parts) or "未使用")


_LABELS = {"page": "页面转换", "markup": "页面 HTML 审查", "reader": "页面号码检查", "file": "生成文件号码检查"}


def _check_name(kind: str, key: str) -> None:
    # keys are made by ``digest``: never a path from the outside
    if not _KIND.fullmatch(kind) or not _KEY.fullmatch(key):
        raise ValueError(f"bad cache name {kind}/{key}")


def from_env(folders: Iterable[Path] = (), environ: dict[str, str] | None = None) -> BuildCache | None:
    """The cache named by ``GONGKAI_CACHE``, or None: without it a build is a full clean build."""
    env = environ if environ is not None else os.environ
    value = env.get(ENV, "").strip()
    if not value:
        return None
    return BuildCache(Path(value).expanduser().resolve(), code_version(folders), env.get(SECRET_ENV, ""))


class Verdicts:
    """The guards' "nothing found" on exact bytes, remembered: a verdict is reused only for the
    same bytes, the same build date (a number's plausibility depends on it) and the same code.
    Only clean verdicts are kept: a finding is looked at again every build, with its message."""

    def __init__(self, cache: BuildCache, today: dt.date | None):
        self.cache = cache
        self.today = today.isoformat() if today is not None else "-"

    def _key(self, kind: str, data: tuple[str | bytes, ...]) -> str:
        return digest(kind, self.cache.version, self.today, *data)

    def clean(self, kind: str, *data: str | bytes) -> bool:
        """True: these bytes were judged and nothing was found."""
        return self.cache.get(kind, self._key(kind, data)) == b"clean"

    def remember(self, kind: str, *data: str | bytes) -> None:
        self.cache.put(kind, self._key(kind, data), b"clean")
