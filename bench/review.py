"""Time the review workflow on the sample site: ``gongkai check`` and ``gongkai diff``.

Usage: .venv/bin/python bench/review.py [RUNS]

Prints the median wall time of each command run as a subprocess, the way an
editor or a pipeline runs it (interpreter start-up included).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GONGKAI = [sys.executable, "-m", "gongkai.cli"]
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))


def timed(args: list[str], cwd: Path, runs: int) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run([*GONGKAI, *args], cwd=cwd, env=ENV, capture_output=True).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    items = sum(1 for _ in (ROOT / "content").rglob("*.md"))
    seconds, code = timed(["check", str(ROOT), "--date", "2026-11-26"], ROOT, runs)
    print(f"gongkai check, sample site ({items} Markdown files): {seconds:.2f} s median of {runs} "
          f"(exit {code})")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "site"
        repo.mkdir()
        for name in ("catalog", "content"):
            shutil.copytree(ROOT / name, repo / name)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.org", "add", "-A")
        git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "-qm", "base")
        # a typical pull request: ten items edited in the work tree
        for path in sorted((repo / "content").rglob("*.md"))[:10]:
            path.write_text(path.read_text(encoding="utf-8") + "\n补充说明一段。\n", encoding="utf-8")
        seconds, code = timed(["diff", "main", "--path", str(repo), "--date", "2026-11-26"], repo, runs)
        print(f"gongkai diff main (work tree, 10 items edited): {seconds:.2f} s median of {runs} (exit {code})")


if __name__ == "__main__":
    main()
