"""How long the annual report takes: loading the registers, computing every
year's tables, late replies and statistics, and rendering its pages and data.

    .venv/bin/python bench/annual.py [applications ...]

Runs on a throw-away copy of the sample site whose application register is
replaced by a synthetic one of the given size (default 1000 and 20000 rows).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from gongkai.annual.layout import APPLICANTS, OUTCOMES  # noqa: E402
from gongkai.annual.years import load_annual  # noqa: E402
from gongkai.pipeline import load_site  # noqa: E402
from gongkai.problems import Problems  # noqa: E402
from gongkai.render.annual import annual_outputs  # noqa: E402
from gongkai.render.pages import Renderer  # noqa: E402

BUILD = dt.date(2026, 11, 26)


def synthetic_register(path: Path, rows: int) -> None:
    rng = random.Random(7)
    start = dt.date(2024, 1, 2)
    lines = ["登记号,收到日期,申请人类型,办理结果,答复日期,是否延期,补正日期"]
    for n in range(rows):
        received = start + dt.timedelta(days=rng.randrange((BUILD - start).days))
        replied = received + dt.timedelta(days=rng.randrange(5, 60))
        extended = "是" if replied - received > dt.timedelta(days=28) else "否"
        if replied > BUILD:
            lines.append(f"B{n:06d},{received},{rng.choice(APPLICANTS)},,,否,")
        else:
            lines.append(f"B{n:06d},{received},{rng.choice(APPLICANTS)},{rng.choice(OUTCOMES).short},"
                         f"{replied},{extended},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "site"
        for name in ("catalog", "content"):
            shutil.copytree(ROOT / name, project / name)
        site = load_site(project, BUILD)
        print(f"sample site: {len(site.public_items)} public items, {len(site.annual)} report years")
        for size in sizes:
            synthetic_register(project / "catalog/annual/applications.csv", size)
            shutil.rmtree(project / "content/annual", ignore_errors=True)  # it quotes the sample figures
            best_load = best_render = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                reports = load_annual(project, site, Problems())
                t1 = time.perf_counter()
                site.annual = reports
                outputs = list(annual_outputs(site, Renderer(site)))
                t2 = time.perf_counter()
                best_load, best_render = min(best_load, t1 - t0), min(best_render, t2 - t1)
            late = sum(len(r.late) for r in reports)
            print(f"{size:>6} applications: load + compute {best_load * 1000:7.1f} ms, "
                  f"render {len(outputs)} outputs {best_render * 1000:6.1f} ms "
                  f"({late} late replies found; best of 3)")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 20000])
