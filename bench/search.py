"""Search at catalogue scale: gongkai's sharded lunr index against Material's search.

    python bench/search.py --items 10000 [--work /tmp/gk-search-bench] [--no-material]

Generates N items with bench/generate.py, then measures, side by side:
- index build time and peak memory (gongkai: ``build_index`` in a child
  process; Material: ``mkdocs build`` of the same items as plain pages with
  its search plugin, ``lang: zh``, which segments Chinese with jieba);
- for every query of the relevance set (tests/data/search_relevance.json), in
  headless Chromium over loopback, each in a fresh browser context (cold cache):
  the gzip bytes of search data fetched before the first results and in total,
  and the time from navigation to the first results;
- Material: its search_index.json (fetched whole before any search works) and
  the time from navigation until its result list shows a count.

The gongkai search page is the one built from the sample site; only its index
is replaced by the N-item one, so no 50,000-page site has to be rendered for it.
Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
BUILD_DATE = "2026-11-26"


def queries() -> list[str]:
    data = json.loads((ROOT / "tests/data/search_relevance.json").read_text(encoding="utf-8"))
    return [q["query"] for q in data["queries"]]


def generate(n: int, dest: Path, generator: Path) -> None:
    marker = dest / ".generated"
    if marker.exists() and marker.read_text() == str(n):
        return
    subprocess.run([sys.executable, str(generator), "--items", str(n), "--out", str(dest)], check=True,
                   stdout=subprocess.DEVNULL)
    marker.write_text(str(n))


def build_gongkai_index(src: Path, out: Path) -> dict:
    """Run in a child: load the N-item site, build the index, write it under ``out``."""
    import datetime as dt

    from gongkai.pipeline import load_site
    from gongkai.search.index import build_index

    t0 = time.perf_counter()
    site = load_site(src, dt.date.fromisoformat(BUILD_DATE))
    t1, c1 = time.perf_counter(), time.process_time()
    index = build_index(site)
    t2, c2 = time.perf_counter(), time.process_time()
    for path, content in index.files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return {"load_s": t1 - t0, "index_s": t2 - t1, "index_cpu_s": c2 - c1, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "documents": index.documents, "terms": index.terms, "shards": index.shards,
            "files": len(index.files), "raw_mb": sum(len(c) for c in index.files.values()) / 1e6}


def gongkai_site(n_src: Path, work: Path, reuse_index: bool = False) -> tuple[Path, dict]:
    """The sample site's pages with the N-item search index (``reuse_index``: the one an
    earlier run built, with its figures, so that only the pages and scripts are new)."""
    sample = work / "sample-site"
    shutil.rmtree(sample, ignore_errors=True)  # rebuilt: the page must carry the current scripts
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"),
                    "-d", str(sample)], cwd=ROOT, env=env, check=True)
    site = work / "gongkai" / "xxgk"
    figures = work / "gongkai-index.json"
    kept = work / "gongkai-idx"
    if reuse_index and figures.exists() and (site / "search" / "idx").is_dir():
        shutil.rmtree(kept, ignore_errors=True)
        (site / "search" / "idx").rename(kept)
    shutil.rmtree(site.parent, ignore_errors=True)
    shutil.copytree(sample, site)
    shutil.rmtree(site / "search" / "idx")
    if kept.is_dir():
        kept.rename(site / "search" / "idx")
        return site, json.loads(figures.read_text())
    out = subprocess.run([sys.executable, __file__, "--child-index", str(n_src), str(site)],
                         capture_output=True, text=True, check=True)
    figures.write_text(out.stdout)
    return site, json.loads(out.stdout)


def material_site(n_src: Path, work: Path, reuse: bool) -> tuple[Path, dict]:
    """The same public items as plain Material pages, indexed by Material's search plugin."""
    import datetime as dt

    from gongkai.pipeline import load_site

    project = work / "material"
    stats = project / "stats.json"
    if reuse and stats.exists():
        return project / "site" / "xxgk", json.loads(stats.read_text())
    shutil.rmtree(project, ignore_errors=True)
    docs = project / "docs"
    docs.mkdir(parents=True)
    site = load_site(n_src, dt.date.fromisoformat(BUILD_DATE))
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    for item in site.public_items:
        path = docs / (item.url.rstrip("/") + ".md")
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = f"索引号：{item.id}　发文字号：{item.doc_number or ''}　发布机构：{item.agency.name}\n\n"
        path.write_text(f"# {item.title}\n\n{meta}{item.body}\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: bench\nuse_directory_urls: true\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\n", encoding="utf-8")
    out = project / "site" / "xxgk"
    t0 = time.perf_counter()
    # the child reports its own peak: RUSAGE_CHILDREN would mix in the gongkai child
    child = ("import resource, runpy, sys\n"
             f"sys.argv = ['mkdocs', 'build', '-q', '-f', {str(project / 'mkdocs.yml')!r}, '-d', {str(out)!r}]\n"
             "try:\n    runpy.run_module('mkdocs', run_name='__main__')\n"
             "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    result = subprocess.run([sys.executable, "-c", child], cwd=project, check=True, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    peak = int(result.stdout.split()[-1])
    index = out / "search" / "search_index.json"
    raw = index.read_bytes()
    figures = {"build_s": time.perf_counter() - t0, "peak_mb": peak / 1024,
               "index_raw_mb": len(raw) / 1e6, "index_gz_kb": len(gzip.compress(raw, 6)) / 1e3}
    stats.write_text(json.dumps(figures))
    return out, figures


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _KeepAlive(_Quiet):
    """HTTP/1.1 with persistent connections, as nginx or a CDN answers: the standard
    library's default (HTTP/1.0, a new connection per file) adds a connection setup to
    every index file the page fetches."""
    protocol_version = "HTTP/1.1"


#: set by --http10: serve as the standard library does by default (the figures before 2026-12-02)
HTTP10 = False
#: set by --slow-link: Chromium's network emulation, a citizen's slow mobile link
SLOW_LINK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
             "uploadThroughput": 750_000 / 8}
SLOW = False


def serve(docroot: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(_Quiet if HTTP10 else _KeepAlive, directory=str(docroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/xxgk/", server


@functools.cache
def gz_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def measure_gongkai(browser, base: str, site: Path, qs: list[str]) -> list[dict]:
    rows = []
    for q in qs:
        context = browser.new_context()
        page = context.new_page()
        if SLOW:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
        page.goto(f"{base}search/?q={quote(q)}")
        page.wait_for_selector("#gk-search[data-state=done], #gk-search[data-state=error]")
        first_ms = float(page.get_attribute("#gk-search", "data-first-at"))
        first_n = int(page.get_attribute("#gk-search", "data-first-resources"))
        urls = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        before = urls[:first_n]
        hits = page.inner_text("#gk-search-status")
        context.close()

        def index_bytes(lst):
            files = {urlparse(u).path for u in lst if "/search/idx/" in u}
            return sum(gz_size(site / p.removeprefix("/xxgk/")) for p in files), len(files)

        b_first, n_first = index_bytes(before)
        b_total, n_total = index_bytes(urls)
        rows.append({"query": q, "first_kb": b_first / 1e3, "total_kb": b_total / 1e3, "files": n_total,
                     "first_ms": first_ms, "status": hits})
    return rows


def measure_material(browser, base: str, qs: list[str]) -> list[dict]:
    rows = []
    for q in qs:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base)
        page.fill("input.md-search__input", q)  # in the header on a desktop-wide window
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta');"
            " return m && /[0-9]|没有/.test(m.textContent); }", timeout=600_000)
        ms = page.evaluate("performance.now()")
        meta = page.inner_text(".md-search-result__meta")
        context.close()
        rows.append({"query": q, "ms": ms, "status": meta})
    return rows


def median(values):
    return statistics.median(values) if values else float("nan")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child-index":
        print(json.dumps(build_gongkai_index(Path(sys.argv[2]), Path(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description="站内搜索性能：gongkai 分片索引与 Material 搜索对比")
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--generator", type=Path, default=ROOT / "bench" / "generate.py")
    parser.add_argument("--no-material", action="store_true", help="skip Material's build and queries")
    parser.add_argument("--reuse-material", action="store_true",
                        help="reuse Material's build (and its figures) from an earlier run in --work")
    parser.add_argument("--material-queries", type=int, default=0,
                        help="time Material on the first K queries only (it fetches its whole index every time)")
    parser.add_argument("--queries", type=int, default=0, help="only the first K relevance queries")
    parser.add_argument("--http10", action="store_true",
                        help="serve over HTTP/1.0, a connection per file (the standard library's default)")
    parser.add_argument("--reuse-index", action="store_true",
                        help="keep the index (and its build figures) of an earlier run in --work; rebuild only the pages")
    parser.add_argument("--slow-link", action="store_true",
                        help="time gongkai's queries over an emulated 1.6 Mbit/s link with 150 ms latency")
    args = parser.parse_args()
    global HTTP10, SLOW
    HTTP10, SLOW = args.http10, args.slow_link
    work = args.work or Path(f"/tmp/gk-search-bench-{args.items}")
    work.mkdir(parents=True, exist_ok=True)
    qs = queries()[: args.queries or None]

    t = time.perf_counter()
    generate(args.items, work / "src", args.generator)
    print(f"generated {args.items} items in {time.perf_counter() - t:.0f} s", flush=True)
    site, g = gongkai_site(work / "src", work, args.reuse_index)
    print(f"gongkai index: {g['documents']} public items, {g['terms']} terms in {g['shards']} shards, "
          f"{g['raw_mb']:.0f} MB raw; load {g['load_s']:.1f} s + index {g['index_s']:.1f} s "
          f"({g['index_cpu_s']:.1f} s CPU), "
          f"peak {g['peak_mb']:.0f} MB", flush=True)
    mat = None
    if not args.no_material:
        mat_site, mat = material_site(work / "src", work, args.reuse_material)
        print(f"Material: build {mat['build_s']:.0f} s, peak {mat['peak_mb']:.0f} MB, "
              f"search_index.json {mat['index_raw_mb']:.1f} MB raw / {mat['index_gz_kb']:.0f} kB gzip", flush=True)

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        base, server = serve(site.parent)
        ours = measure_gongkai(browser, base, site, qs)
        server.shutdown()
        theirs = []
        if mat:
            base, server = serve(mat_site.parent)
            theirs = measure_material(browser, base, qs[: args.material_queries or None])
            server.shutdown()
        browser.close()

    print(f"\n{'query':<24} {'first kB':>9} {'total kB':>9} {'files':>5} {'ms':>6}" +
          (f" {'Material kB':>11} {'Material ms':>11} {'bytes ×':>8}" if mat else ""))
    for i, r in enumerate(ours):
        line = f"{r['query'][:22]:<24} {r['first_kb']:>9.1f} {r['total_kb']:>9.1f} {r['files']:>5} {r['first_ms']:>6.0f}"
        if mat:
            their_ms = f"{theirs[i]['ms']:>11.0f}" if i < len(theirs) else f"{'-':>11}"
            line += (f" {mat['index_gz_kb']:>11.0f} {their_ms}"
                     f" {mat['index_gz_kb'] / max(r['total_kb'], 0.001):>8.1f}")
        print(line)
    first = [r["first_kb"] for r in ours]
    total = [r["total_kb"] for r in ours]
    ms = [r["first_ms"] for r in ours]
    print(f"\n== {args.items} items, {len(ours)} queries ==")
    print(f"gongkai: index build {g['load_s'] + g['index_s']:.1f} s (load {g['load_s']:.1f} + index "
          f"{g['index_s']:.1f}, {g['index_cpu_s']:.1f} s CPU), peak {g['peak_mb']:.0f} MB; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"gongkai: gzip kB before first results median {median(first):.1f} max {max(first):.1f}; "
          f"total median {median(total):.1f} max {max(total):.1f}")
    print(f"gongkai: navigation to first results median {median(ms):.0f} ms, max {max(ms):.0f} ms, "
          f"{sum(m > 1000 for m in ms)} of {len(ms)} over 1 s (served over {'HTTP/1.0' if HTTP10 else 'HTTP/1.1 keep-alive'}"
          f"{', 1.6 Mbit/s and 150 ms emulated' if SLOW else ''})")
    if mat:
        mms = [r["ms"] for r in theirs]
        print(f"Material: build {mat['build_s']:.0f} s, peak {mat['peak_mb']:.0f} MB; every query fetches "
              f"{mat['index_gz_kb']:.0f} kB gzip; navigation to results median {median(mms):.0f} ms, "
              f"max {max(mms):.0f} ms over {len(mms)} queries")
        print(f"ratios (Material / gongkai): bytes median {mat['index_gz_kb'] / median(total):.1f}×, "
              f"min {mat['index_gz_kb'] / max(total):.1f}× (fewer bytes for every query: "
              f"{all(t < mat['index_gz_kb'] for t in total)}); time median {median(mms) / median(ms):.1f}×; "
              f"build {mat['build_s'] / (g['load_s'] + g['index_s']):.1f}×")


if __name__ == "__main__":
    main()
