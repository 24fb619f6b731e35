"""CPU time of loading and validating a synthetic site (``load_site`` and ``gongkai check``).

    python bench/load.py --items 2000 [--items 10000] [--runs 3] [--profile] [--ref COMMIT]

Generates each site once under a temporary folder (or ``--keep DIR``), then
prints the best of ``--runs`` CPU seconds (``time.process_time``) of
``load_site`` in this process and of ``gongkai check`` as a subprocess
(user + system time of the child, interpreter start-up included). CPU time,
not wall time: the machine is shared, and CPU time is what a busy CI runner
bills. ``--profile`` prints the top of a cProfile of one ``load_site`` run.
``--ref COMMIT`` measures ``hooks/gongkai`` as it was at that commit (extracted
with ``git archive``) on the same sites, for before/after figures taken side by
side on a busy machine.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

BUILD_DATE = dt.date(2026, 11, 26)
HOOKS = ROOT / "hooks"  # or the extracted --ref


def load_cpu(root: Path) -> float:
    from gongkai.pipeline import load_site
    from gongkai.problems import Problems

    start = time.process_time()
    site = load_site(root, BUILD_DATE, Problems())
    elapsed = time.process_time() - start
    assert site.items, "the generated site loaded no items"
    return elapsed


def check_cpu(root: Path) -> float:
    """User + system seconds of a ``gongkai check`` child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "gongkai.cli", "check", str(root),
                             "--date", BUILD_DATE.isoformat()],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(HOOKS)},
                            capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"gongkai check failed:\n{result.stdout}\n{result.stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def profile(root: Path, top: int = 25) -> None:
    from gongkai.pipeline import load_site
    from gongkai.problems import Problems

    profiler = cProfile.Profile()
    profiler.enable()
    load_site(root, BUILD_DATE, Problems())
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, action="append", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into (and reuse) DIR/<items> instead of a temp dir")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--ref", help="measure hooks/gongkai as at this commit instead of the worktree")
    args = parser.parse_args(argv)
    global HOOKS
    with tempfile.TemporaryDirectory(prefix="gk-load-") as tmp:
        if args.ref:
            archive = subprocess.run(["git", "archive", args.ref, "hooks/gongkai"], cwd=ROOT, check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            HOOKS = Path(tmp) / "hooks"
        sys.path.insert(0, str(HOOKS))
        print(f"gongkai from {HOOKS}" + (f" ({args.ref})" if args.ref else ""))
        base = args.keep or Path(tmp)
        print(f"{'items':>7} {'load_site CPU s':>16} {'gongkai check CPU s':>20}")
        for n in args.items:
            root = base / str(n)
            if not (root / "content").is_dir():
                generate(n, root, 1)
            load_cpu(root)  # warm the page cache and the imports
            if args.profile:
                profile(root)
            load = min(load_cpu(root) for _ in range(args.runs))
            check = min(check_cpu(root) for _ in range(args.runs))
            print(f"{n:>7} {load:>16.2f} {check:>20.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
