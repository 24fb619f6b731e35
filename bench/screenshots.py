"""Screenshots of what a citizen sees: the key pages at desktop and phone widths.

Builds the sample site (or takes an already built one), serves it on
loopback under /xxgk/ and drives Debian's Chromium through Playwright. Writes
one full-page PNG per page, width and mode (standard and 长者版) to a folder
outside the repository, and prints each file with the page's size.

    .venv/bin/python bench/screenshots.py [OUT_DIR] [--site BUILT_SITE_DIR]

OUT_DIR defaults to $TMPDIR/gongkai-screenshots.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}
#: pages made by other parts of the project: shot when the build has them
OPTIONAL = ["annual/", "search/", "guide/", "apply/"]


def build(out: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.setdefault("GONGKAI_BUILD_DATE", "2026-11-26")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
                   cwd=ROOT, env=env, check=True)


def key_pages(site: Path) -> dict[str, str]:
    """Name → URL path of the pages worth looking at, found in the built site."""
    pages = {"home": "", "catalogue": "catalogue/", "accessibility": "accessibility/"}
    categories = sorted(site.glob("catalogue/*/index.html"))
    with_items = [p for p in categories if "gk-list" in p.read_text(encoding="utf-8")]
    if with_items:
        pages["category"] = with_items[0].parent.relative_to(site).as_posix() + "/"
    items = sorted(site.glob("items/*/*/index.html"))
    related = [p for p in items if "gk-related" in p.read_text(encoding="utf-8")]
    tables = [p for p in items if re.search(r"<table>|<table (?!class=\"gk-meta)",
                                            p.read_text(encoding="utf-8"))]
    for name, found in (("item", related or items), ("item-table", tables)):
        if found:
            pages[name] = found[0].parent.relative_to(site).as_posix() + "/"
    reports = [p.parent for p in sorted(site.glob("annual/[0-9][0-9][0-9][0-9]/index.html"))
               if "尚未结束" not in p.read_text(encoding="utf-8")]
    if reports:  # the latest finished year: its report and its charts
        pages["annual-report"] = reports[-1].relative_to(site).as_posix() + "/"
        if (reports[-1] / "statistics" / "index.html").exists():
            pages["statistics"] = pages["annual-report"] + "statistics/"
    for url in OPTIONAL:
        if (site / url / "index.html").exists():
            pages[url.strip("/")] = url
    return pages


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path,
                        default=Path(tempfile.gettempdir()) / "gongkai-screenshots")
    parser.add_argument("--site", type=Path, help="an already built site (default: build now)")
    opts = parser.parse_args()
    out = opts.out.resolve()
    if out == ROOT or ROOT in out.parents:
        parser.error(f"write screenshots outside the repository, not into {out}")
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        docroot = Path(tmp)
        site = docroot / "xxgk"
        if opts.site:
            site.symlink_to(opts.site.resolve(), target_is_directory=True)
        else:
            started = time.perf_counter()
            build(site)
            print(f"built the sample site in {time.perf_counter() - started:.1f} s")
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(docroot)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/xxgk/"
        pages = key_pages(site)
        started = time.perf_counter()
        shots = 0
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for mode in ("standard", "elder"):
                for label, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  locale="zh-CN")
                    if mode == "elder":
                        context.add_init_script("localStorage.setItem('gk-elder', '1')")
                    context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"),
                                  lambda route: route.abort())
                    page = context.new_page()
                    for name, url in pages.items():
                        page.goto(base + url, wait_until="networkidle")
                        path = out / f"{name}-{label}-{mode}.png"
                        page.screenshot(path=str(path), full_page=True)
                        size = page.evaluate("[document.documentElement.scrollWidth,"
                                             " document.documentElement.scrollHeight]")
                        print(f"{path}  {size[0]}×{size[1]} px  /{url}")
                        shots += 1
                    context.close()
            browser.close()
        server.shutdown()
        print(f"{shots} screenshots in {time.perf_counter() - started:.1f} s → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
