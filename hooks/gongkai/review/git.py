"""What the review diff asks git: a revision's files, dates, renames, history.

Only plain ``git`` commands are used, so the same code runs on a developer's
machine and in any forge's CI (which must check out with full history).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

CHINA = dt.timezone(dt.timedelta(hours=8))


class GitError(Exception):
    """A git command failed: not a repository, or an unknown revision."""


@overload
def _git(cwd: Path, *args: str, binary: Literal[False] = False) -> str: ...
@overload
def _git(cwd: Path, *args: str, binary: Literal[True]) -> bytes: ...
def _git(cwd: Path, *args: str, binary: bool = False) -> str | bytes:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=not binary)
    if result.returncode != 0:
        err = result.stderr if isinstance(result.stderr, str) else result.stderr.decode("utf-8", "replace")
        raise GitError(err.strip() or f"git {' '.join(args)} 失败")
    return result.stdout


@dataclass(frozen=True)
class GitSite:
    """The site at ``root`` inside the git work tree at ``toplevel``."""

    root: Path
    toplevel: Path

    @classmethod
    def at(cls, root: Path) -> GitSite:
        root = root.resolve()
        try:
            top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
        except (GitError, FileNotFoundError) as exc:
            raise GitError(f"{root} 不在 git 仓库中：{exc}") from None
        return cls(root, top.resolve())

    @property
    def prefix(self) -> str:
        """The site's folder relative to the repository root, '' at the root."""
        rel = self.root.relative_to(self.toplevel).as_posix()
        return "" if rel == "." else rel + "/"

    def resolve(self, rev: str) -> str:
        try:
            return _git(self.root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
        except GitError:
            raise GitError(f"找不到 git 版本“{rev}”（分支、标签或提交号）") from None

    def export(self, sha: str, dest: Path) -> Path:
        """Write the site's files as of ``sha`` under ``dest``; returns the site root there."""
        tree = f"{sha}:{self.prefix.rstrip('/')}" if self.prefix else sha
        data = _git(self.toplevel, "archive", "--format=tar", tree, binary=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")
        return dest

    def commit_date(self, sha: str) -> dt.date:
        stamp = _git(self.root, "show", "-s", "--format=%cI", sha).strip()
        return dt.datetime.fromisoformat(stamp).astimezone(CHINA).date()

    def first_commit_touching(self, base: str, head: str, file: str) -> str | None:
        """The earliest commit in base..head that touched ``file`` (site-relative)."""
        out = _git(self.toplevel, "log", "--format=%H", "--reverse", f"{base}..{head}", "--",
                   self.prefix + file)
        return out.split()[0] if out.split() else None

    def renames(self, base: str, head: str | None) -> dict[str, str]:
        """Old path -> new path for files git sees as moved (head None: the work tree)."""
        args = ["diff", "-M", "--name-status", "-z", base] + ([head] if head else [])
        out = _git(self.toplevel, *args, "--", self.prefix + "content")
        parts = out.split("\0")
        moved: dict[str, str] = {}
        i = 0
        while i < len(parts) - 1:
            status = parts[i]
            if status.startswith("R") or status.startswith("C"):
                old, new = parts[i + 1], parts[i + 2]
                if status.startswith("R"):
                    moved[self._site_path(old)] = self._site_path(new)
                i += 3
            else:
                i += 2
        return moved

    def _site_path(self, path: str) -> str:
        return path[len(self.prefix):] if self.prefix and path.startswith(self.prefix) else path

    def earlier_title(self, base: str, item_id: str) -> str | None:
        """If a commit up to ``base`` wrote or removed ``item_id`` as an item's 索引号, the
        title that item had then ('' if the patch does not show it); else None."""
        out = _git(self.toplevel, "log", "-p", "--format=%x00", f"-S{item_id}", base, "--",
                   self.prefix + "content")
        key = re.compile(r"^[+-]\s*(?:id|索引号)\s*:\s*[\"']?" + re.escape(item_id) + r"[\"']?\s*$")
        title = re.compile(r"^[+-]\s*(?:title|标题)\s*:\s*(.+?)\s*$")
        for commit in out.split("\0"):  # newest first
            for patch in re.split(r"^diff --git ", commit, flags=re.M):
                lines = [line for line in patch.splitlines() if not line.startswith(("+++", "---"))]
                if any(key.match(line) for line in lines):
                    titles = [m[1].strip("\"'") for line in lines if (m := title.match(line))]
                    return titles[-1] if titles else ""
        return None
