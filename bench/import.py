"""Time ``gongkai import`` on a large export, as an agency moving its whole catalogue in would.

    python bench/import.py --rows 10000 [--format xlsx|csv] [--work DIR] [--keep]

Writes an export of N rows (the sample export's rows from tests/data/make_import_sample.py,
repeated with distinct titles and dates, HTML bodies with the usual Word noise, one picture
and two attachments every few rows) and a copy of the sample site, then runs the real command
(``python -m gongkai.cli import``) and prints its wall and CPU time (the check of the whole
site that ends an import included), then times a re-run, which imports nothing. Nothing is
asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data"))

import make_import_sample as sample  # noqa: E402


def export(rows: int, out: Path, fmt: str) -> Path:
    sample.write(out)  # the attachments folder (and the sample files, unused here)
    good = [r for r in sample.rows() if r["n"] < 100]
    path = out / f"bench.{fmt}"
    data = []
    for i in range(rows):
        r = dict(good[i % len(good)])
        r.pop("created_text", None)
        r.pop("serial", None)
        r["old_id"] = ""
        r["title"] = f"{r['title']}（批量 {i + 1}）"
        r["created"] = dt.date(2018, 1, 1) + dt.timedelta(days=i % 2000)
        r["published"] = r["created"] + dt.timedelta(days=i % 5)
        if r["repealed"]:
            r["repealed"] = r["created"] + dt.timedelta(days=400)
        r["number"] = ""
        data.append(sample.cells(r, fmt == "xlsx"))
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(sample.XLSX_HEADINGS)
        for cells in data:
            sheet.append(cells)
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(sample.CSV_HEADINGS)
            writer.writerows(data)
    # the pictures and files the repeated rows name, for every year they now fall in
    uploads = out / "附件" / "uploads"
    for year in range(2018, 2024 + 1):
        folder = uploads / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for r in good:
            for name, content in ((f"tu{r['n']}.png", sample.PNG), (f"附件{r['n']}.pdf", b"%PDF-1.4\n%%EOF\n"),
                                  (f"名单{r['n']}.csv", "序号,姓名\n1,王*明\n".encode())):
                if not (folder / name).exists():
                    (folder / name).write_bytes(content)
    return path


def site(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("catalog", "content"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def _children_cpu() -> float:
    """User + system seconds of the finished child processes: on a shared machine the wall
    time also counts the others' work."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--work", default=None, help="folder for the export and the site (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="gk-import-"))
    try:
        started = time.perf_counter()
        path = export(args.rows, work / "export", args.format)
        print(f"export: {args.rows} rows ({args.format}, {path.stat().st_size / 1e6:.1f} MB) "
              f"written in {time.perf_counter() - started:.1f} s")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "hooks"))
        target = site(work / "site")
        command = [sys.executable, "-m", "gongkai.cli", "import", str(path), "--attachments",
                   str(work / "export" / "附件"), "--path", str(target)]
        started = time.perf_counter()
        cpu_before = _children_cpu()
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        summary = next((line for line in result.stdout.splitlines() if line.startswith("导入完成")), "")
        checked = "导入后检查：gongkai check 通过。" in result.stdout
        print(f"import: {wall:.1f} s wall, {cpu:.1f} s CPU for {args.rows} rows ({args.rows / wall:.0f} rows/s), "
              f"exit {result.returncode}, site check after import {'passed' if checked else 'FAILED'}")
        print(f"  {summary}")
        started = time.perf_counter()
        again = subprocess.run(command, capture_output=True, text=True, env=env)
        print(f"re-run: {time.perf_counter() - started:.1f} s wall, "
              + next((line for line in again.stdout.splitlines() if line.startswith("导入完成")), ""))
        if result.returncode not in (0, 1):
            print(result.stderr[-2000:])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
