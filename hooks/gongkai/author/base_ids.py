"""Which 索引号 the base branch gave out while a pull request was open.

Two pull requests opened from the same main can each be given the same next number. Once the
first is merged, the number belongs to it: an id the base branch has now but did not have
where the pull request branched off (the merge base) was taken meanwhile, and the pull request's
item holding it must be numbered anew. An id both had is an item that existed before the
branch, moved or edited on either side: never renumbered here (``gongkai diff`` judges it).
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from gongkai.author.id_line import written_id
from gongkai.load.files import is_page
from gongkai.read.source import SourceError, parse_markdown

#: ids of one revision: 索引号 -> the item files (relative to the site root) that hold it
IdsAt = dict[str, set[str]]

_GIT_TIMEOUT = 300


class BaseError(Exception):
    """The base revision cannot be read; the message (Chinese) says why."""


@dataclass(frozen=True)
class BaseIds:
    at_base: IdsAt  # what the base branch holds now
    at_fork: IdsAt  # what it held where this branch left it

    def taken_meanwhile(self, item_id: str) -> set[str]:
        """The base files holding an id given out after this branch left it (empty if none)."""
        return set() if item_id in self.at_fork else self.at_base.get(item_id, set())

    def holds(self, item_id: str, file: str) -> bool:
        """Whether ``file`` held ``item_id`` before: on the base, or where the branch left it."""
        return file in self.at_base.get(item_id, set()) or file in self.at_fork.get(item_id, set())


def read_base(root: Path, rev: str) -> BaseIds:
    base = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if base is None:
        raise BaseError(f"找不到基准分支“{rev}”：请先 git fetch，或写出存在的分支名或提交")
    base = base.strip()
    fork = _git(root, "merge-base", base, "HEAD")
    # no common history (a shallow clone): every id of the base counts as given out meanwhile
    at_fork = _ids_at(root, fork.strip()) if fork else {}
    return BaseIds(_ids_at(root, base), at_fork)


def _ids_at(root: Path, commit: str) -> IdsAt:
    listing = _git(root, "ls-tree", "-r", "-z", commit, "--", "content")
    ids: IdsAt = defaultdict(set)
    if not listing:
        return ids
    blobs: dict[str, list[str]] = defaultdict(list)
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        # regular files only (a link is never an item), *.md outside hidden folders and pages
        if len(parts) != 3 or parts[0] not in ("100644", "100755") or not path.endswith(".md") \
                or any(p.startswith(".") for p in path.split("/")) or is_page(path):
            continue
        blobs[parts[2]].append(path)
    for sha, text in _blobs(root, list(blobs)):
        found = _id_of(text)
        if found is not None:
            for path in blobs[sha]:
                ids[found].add(path)
    return ids


def _id_of(raw: bytes) -> str | None:
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = raw.decode("utf-8")
        source = parse_markdown(text.replace("\r\n", "\n").replace("\r", "\n"), "")
    except UnicodeDecodeError:
        return None
    except SourceError as exc:
        if exc.partial is None:
            return None
        source = exc.partial
    return written_id(source.front.data)


def _blobs(root: Path, shas: list[str]) -> list[tuple[str, bytes]]:
    """Each blob's content, in one ``git cat-file --batch`` (a large site holds ten thousand)."""
    if not shas:
        return []
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input="\n".join(shas).encode() + b"\n",
                              capture_output=True, timeout=_GIT_TIMEOUT, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BaseError(f"无法读取基准分支的文件（git cat-file）：{exc}") from None
    out, pos, found = done.stdout, 0, []
    header = re.compile(rb"([0-9a-f]+) (\w+) (\d+)\n")
    while pos < len(out):
        m = header.match(out, pos)
        if m is None:  # "<sha> missing": nothing to read
            pos = out.find(b"\n", pos) + 1 or len(out)
            continue
        size = int(m[3])
        found.append((m[1].decode(), out[m.end(): m.end() + size]))
        pos = m.end() + size + 1
    return found


def _git(root: Path, *args: str) -> str | None:
    """git's output, or None when it fails (not a repository, an unknown revision)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=_GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None
