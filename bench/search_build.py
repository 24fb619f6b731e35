"""CPU cost of building the search index, apart from the rest of the build.

    python bench/search_build.py --items 10000 [--work /tmp/gk-sb] [--runs 3] [--dump DIR]

Generates N items with bench/generate.py (reused when ``--work`` already holds
them), loads the site once, then runs ``search_index.build_index`` ``--runs``
times and prints the best CPU seconds (``time.process_time``) of: loading the
site, the whole ``build_index``, and its phases measured separately (plain
text of the bodies, tokenising every field, posting lists, weights and JSON).
``--dump DIR`` writes the index files there, to ``diff -r`` two versions.
``--mkdocs DIR`` then also builds the whole site with ``mkdocs build`` in this
process (this checkout's ``hooks/`` copied into the generated site first) into
DIR and prints the CPU seconds of ``build_index`` inside that real build, where
the heap holds every page, and of the whole build (``GONGKAI_JOBS=1``: one
process, so that the index is built where it is timed).
Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "bench"))

from gongkai.pipeline import load_site  # noqa: E402
from gongkai.search import index as search_index  # noqa: E402
from gongkai.text import plain_text  # noqa: E402

BUILD_DATE = dt.date(2026, 11, 26)


def _cpu(fn, runs: int):
    """(best CPU seconds, last result) of ``runs`` calls, under the same
    garbage-collection regime as ``build_index`` (if it has one)."""
    paused = getattr(search_index, "_collector_paused", contextlib.nullcontext)
    best, result = float("inf"), None
    for _ in range(runs):
        result = None
        with paused():
            start = time.process_time()
            result = fn()
            best = min(best, time.process_time() - start)
    return best, result


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _site_dir(work: Path, items: int) -> Path:
    out = work / f"items-{items}"
    marker = out / ".generated"
    if not marker.exists():
        from generate import generate
        generate(items, out, 1)
        marker.write_text("ok\n")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="搜索索引构建的 CPU 时间")
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--work", type=Path, default=Path("/tmp/gk-search-build"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dump", type=Path, help="write the index files under this directory")
    parser.add_argument("--mkdocs", type=Path, help="also build the whole site into this directory")
    args = parser.parse_args(argv)

    root = _site_dir(args.work, args.items)
    start = time.process_time()
    site = load_site(root, BUILD_DATE)
    load_s = time.process_time() - start
    from gongkai.search.documents import documents
    docs = documents(site)
    names = search_index.site_names(site)

    rss_loaded = _peak_mb()
    build_s, index = _cpu(lambda: search_index.build_index(site), args.runs)
    rss_built = _peak_mb()
    text_s, _ = _cpu(lambda: [plain_text(i.body) for i in site.public_items], args.runs)
    tok_s, tokens = _cpu(lambda: [search_index.field_tokens(d, names) for d in docs], args.runs)

    def postings():
        p = search_index.Postings(search_index.FIELDS)
        for t in tokens:
            p.add(t)
        return p
    post_s, post = _cpu(postings, args.runs)
    weight_s, _ = _cpu(lambda: sum(1 for _ in post.weighted()), args.runs)

    count = sum(len(f) for t in tokens for f in t)
    size = sum(len(v) for v in index.files.values())
    print(f"items {args.items}: {index.documents} public documents, {count:,} tokens, {index.terms:,} terms, "
          f"{index.shards} shards, {len(index.files):,} files, {size / 1e6:.1f} MB")
    print(f"  load_site          {load_s:7.2f} s CPU (once)")
    print(f"  build_index        {build_s:7.2f} s CPU (best of {args.runs}), {count / build_s:,.0f} tokens/s")
    print(f"    plain_text       {text_s:7.2f} s")
    print(f"    field_tokens     {tok_s:7.2f} s, {count / tok_s:,.0f} tokens/s")
    print(f"    Postings.add     {post_s:7.2f} s")
    print(f"    weighted()       {weight_s:7.2f} s")
    print(f"    rest (JSON, shards, blocks) {max(0.0, build_s - text_s - tok_s - post_s - weight_s):5.2f} s")
    print(f"  peak RSS {rss_loaded:,.0f} MB after load_site, {rss_built:,.0f} MB after build_index")

    if args.dump:
        for path, content in index.files.items():
            target = args.dump / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        print(f"  wrote {len(index.files):,} files under {args.dump}")
    if args.mkdocs:
        _mkdocs_build(root, args.mkdocs)
    return 0


def _mkdocs_build(root: Path, out: Path) -> None:
    import os
    import shutil

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    shutil.copytree(ROOT / "hooks", root / "hooks", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    os.environ.setdefault("GONGKAI_BUILD_DATE", BUILD_DATE.isoformat())
    # one process: by default the index is built in a forked child, out of this timer's sight
    os.environ["GONGKAI_JOBS"] = "1"
    spent: list[float] = []
    plain = search_index.build_index

    def timed(site):
        start = time.process_time()
        try:
            return plain(site)
        finally:
            spent.append(time.process_time() - start)

    search_index.build_index = timed  # contribute() looks it up in the module at call time
    try:
        start = time.process_time()
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(out), strict=True))
        whole = time.process_time() - start
    finally:
        search_index.build_index = plain
    print(f"  mkdocs build       {whole:7.2f} s CPU, of which build_index {sum(spent):.2f} s "
          f"({sum(spent) / whole:.0%}); site in {out}")


if __name__ == "__main__":
    sys.exit(main())
