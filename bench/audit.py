"""How long `gongkai audit` takes: the sample, then the sample grown to N items.

Usage: .venv/bin/python bench/audit.py [N ...]   (default: 1000 5000)
Prints seconds for loading, collecting the site's pages (for link checks) and auditing one year.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import BUILD_DATE, copy_project  # noqa: E402

from gongkai.audit.findings import run_audit  # noqa: E402
from gongkai.pipeline import load_site  # noqa: E402
from gongkai.render.outputs import site_targets  # noqa: E402

ID = re.compile(r"^(索引号: \d{9}/\d{4}-)(\d{5})$", re.M)


def grow(project: Path, total: int) -> None:
    """Copies of the sample's items under fresh 索引号 (sequence 10000+) until ``total``."""
    originals = [p for p in sorted((project / "content").rglob("*.md"))
                 if "附件" not in p.read_text(encoding="utf-8") and ID.search(p.read_text(encoding="utf-8"))]
    count, n = len(list((project / "content").rglob("*.md"))), 0
    while count < total:
        src = originals[n % len(originals)]
        text = ID.sub(rf"\g<1>{10000 + n:05d}", src.read_text(encoding="utf-8"), count=1)
        text = re.sub(r"^解读对象: .*\n|^替代文件: .*\n", "", text, flags=re.M)
        dest = project / "content" / "bench" / f"{n:06d}.md"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        count, n = count + 1, n + 1


def measure(project: Path, label: str) -> None:
    t0 = time.perf_counter()
    site = load_site(project, dt.date.fromisoformat(BUILD_DATE))
    t1 = time.perf_counter()
    targets = site_targets(site)
    t2 = time.perf_counter()
    audit = run_audit(site, 2025, targets)
    t3 = time.perf_counter()
    print(f"{label:>12}: {len(site.items):6d} items  load {t1 - t0:6.2f}s  site pages {t2 - t1:6.2f}s  "
          f"audit 2025 {t3 - t2:6.2f}s  ({len(audit.findings)} findings)")


def main(sizes: list[int]) -> None:
    measure(ROOT, "sample")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = copy_project(Path(tmp) / "site")
            grow(project, size)
            measure(project, f"{size} items")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
