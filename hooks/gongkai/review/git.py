"""What the review diff asks git: a revision's files, dates, renames, history.

Only plain ``git`` commands are used, so the same code runs on a developer's
machine and in any forge's CI (which must check out with full history).
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """A git command failed: not a repository, or an unknown revision."""


def _git(cwd: Path, *args: str, binary: bool = False) -> str | bytes:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=not binary)
    if result.returncode != 0:
        err = result.stderr if isinstance(result.stderr, str) else result.stderr.decode("utf-8", "replace")
        raise GitError(err.strip() or f"git {' '.join(args)} 失败")
    return result.stdout


def _git_bytes(cwd: Path, *args: str) -> bytes:
    out = _git(cwd, *args, binary=True)
    return out if isinstance(out, bytes) else out.encode()


@dataclass(frozen=True)
class GitSite:
    """The site at ``root`` inside the git work tree at ``toplevel``."""

    root: Path
    toplevel: Path

    @classmethod
    def at(cls, root: Path) -> GitSite:
        root = root.resolve()
        try:
            top = Path(str(_git(root, "rev-parse", "--show-toplevel")).strip())
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
            return str(_git(self.root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")).strip()
        except GitError:
            raise GitError(f"找不到 git 版本“{rev}”（分支、标签或提交号）") from None

    def export(self, sha: str, dest: Path) -> Path:
        """Write the site's files as of ``sha`` under ``dest``; returns the site root there."""
        tree = f"{sha}:{self.prefix.rstrip('/')}" if self.prefix else sha
        data = _git_bytes(self.toplevel, "archive", "--format=tar", tree)
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")
        return dest

    def changed_files(self, base: str, head: str | None) -> list[tuple[str, str]]:
        """(status A/D/M, path relative to the repository root) of every file that differs
        between ``base`` and ``head`` (None: the work tree, untracked files included).
        Renames are split into a removal and an addition, so both files are named."""
        args = ["diff", "--no-renames", "--name-status", "-z", base] + ([head] if head else [])
        parts = str(_git(self.toplevel, *args)).split("\0")
        # a type change (T: a file became a symbolic link) is a modification to the reviewer
        out = [(parts[i][:1] if parts[i][:1] in ("A", "D") else "M", parts[i + 1])
               for i in range(0, len(parts) - 1, 2)]
        if head is None:
            untracked = str(_git(self.toplevel, "ls-files", "--others", "--exclude-standard", "-z"))
            out += [("A", path) for path in untracked.split("\0") if path]
        return sorted(out, key=lambda entry: entry[1])

    def read(self, sha: str | None, path: str) -> bytes | None:
        """A file's bytes at ``sha`` (None: the work tree), by its path from the repository
        root; None when it does not exist there."""
        if sha is None:
            file = self.toplevel / path
            return file.read_bytes() if file.is_file() else None
        try:
            return _git_bytes(self.toplevel, "cat-file", "blob", f"{sha}:{path}")
        except GitError:
            return None

    def site_path(self, path: str) -> str:
        """A repository path as the site names it (relative to the site root, when inside)."""
        return self._site_path(path)

    def renames(self, base: str, head: str | None) -> dict[str, str]:
        """Old path -> new path for files git sees as moved (head None: the work tree)."""
        args = ["diff", "-M", "--name-status", "-z", base] + ([head] if head else [])
        out = str(_git(self.toplevel, *args, "--", self.prefix + "content"))
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
        out = str(_git(self.toplevel, "log", "-p", "--format=%x00", f"-S{item_id}", base, "--",
                       self.prefix + "content"))
        key = re.compile(r"^[+-]\s*(?:id|索引号)\s*:\s*[\"']?" + re.escape(item_id) + r"[\"']?\s*$")
        title = re.compile(r"^[+-]\s*(?:title|标题)\s*:\s*(.+?)\s*$")
        for commit in out.split("\0"):  # newest first
            for patch in re.split(r"^diff --git ", commit, flags=re.M):
                lines = [ln for ln in patch.splitlines() if not ln.startswith(("+++", "---"))]
                if any(key.match(ln) for ln in lines):
                    titles = [m[1].strip("\"'") for ln in lines if (m := title.match(ln))]
                    return titles[-1] if titles else ""
        return None
