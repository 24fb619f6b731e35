"""CPU time of the wording check against the whole of ``gongkai check`` on a synthetic site.

    python bench/wording.py --items 10000 [--keep DIR] [--runs 3]

Prints, best of ``--runs``: the CPU seconds ``guards.wording`` spends scanning every item's
title and body (as the loader calls it) and the CPU seconds of ``gongkai check`` on the same
site, and the share of the one in the other. The budget (issue 17) is 10 %.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "hooks"))

from generate import generate  # noqa: E402
from load import check_cpu  # noqa: E402


def scan_cpu(root: Path) -> float:
    from gongkai.guards.wording import item_hits
    from gongkai.load.loader import Repository, load_wording
    from gongkai.problems import Problems
    from gongkai.read.source import read_markdown

    repo = Repository(root)
    lexicon = load_wording(repo, Problems())
    files = repo.markdown_files()[0]
    sources = [(read_markdown(path, display), display) for path, display in files]
    start = time.process_time()
    for source, _ in sources:
        item_hits(source, lexicon)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into (and reuse) DIR/<items>")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gk-wording-") as tmp:
        root = (args.keep or Path(tmp)) / str(args.items)
        if not (root / "content").is_dir():
            generate(args.items, root)
        scan = min(scan_cpu(root) for _ in range(args.runs))
        check = min(check_cpu(root) for _ in range(args.runs))
    print(f"{args.items} items: wording scan {scan:.2f} s CPU, gongkai check {check:.2f} s CPU, "
          f"share {scan / check:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
