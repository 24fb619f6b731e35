"""How long the web editor (/admin/) takes to show one agency's list of items.

    python bench/cms_list.py                      # the county office with about 2,000 items
    python bench/cms_list.py --items 6100 --runs 5 [--collection zfb-2024] [--keep | --site DIR]

Generates a site (bench/generate.py; the county office, zfb, gets 4/11 of the items), writes
its editor configuration (``gongkai cms-config``) and the /admin/ page with the vendored Decap
bundle (``render/admin``), then serves the repository through Decap's local git proxy
(``decap-server``, in its file-system mode) and the page from a loopback server. In headless
Chromium it opens the editor on another agency's list, then clicks the agency and measures,
in the page, from the click to the moment every one of the agency's entries is in the list.
Prints each run and the median; the configuration is the generated one but for the backend
(``proxy`` to decap-server) and the pull-request mode, which needs a git checkout.
The issue's goal: under 2 s for a 2,000-item agency.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ROOT, generate  # noqa: E402

DECAP_SERVER = ROOT / "cms/node_modules/.bin/decap-server"
CMS = "cms: {backend: forgejo, repo: qinghe/xxgk, base_url: https://git.qinghe.example.gov.cn}\n"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin(root: Path, web: Path, proxy: str) -> None:
    """/admin/ as the build writes it, the configuration pointed at the local proxy."""
    from gongkai.author.cms import write_cms_config
    from gongkai.load.loader import Repository, load_catalog
    from gongkai.problems import Problems
    from gongkai.render import admin

    write_cms_config(root)
    (root / "cms/node_modules").mkdir(parents=True, exist_ok=True)
    (root / admin.PACKAGE).symlink_to(ROOT / admin.PACKAGE)
    catalog = load_catalog(Repository(root), Problems())
    assert catalog is not None
    site = types.SimpleNamespace(settings=catalog.settings, root=root, agencies=catalog.agencies)
    for out in admin.contribute(site, None):  # type: ignore[arg-type]
        target = web / out.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if out.content is not None:
            target.write_bytes(out.content)
        else:
            target.symlink_to(root / out.source)
    text = (root / "overrides/admin/config.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^backend:\n(?:  .*\n)+", f"backend:\n  name: proxy\n  proxy_url: {proxy}\n  branch: main\n", text)
    text = re.sub(r"(?m)^publish_mode: .*\n", "", text)
    (web / "admin/config.yml").write_text(text, encoding="utf-8")


def measure(root: Path, collection: str, other: str | None, runs: int,
            decap_server: Path) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    web = root / "web"
    port = _free_port()
    _admin(root, web, f"http://127.0.0.1:{port}/api/v1")
    expected = sum(1 for _ in (root / "content" / collection.replace("-", "/", 1)).rglob("*.md"))
    if other is None:  # the editor starts on the smallest other list that is not empty
        names = re.findall(r"(?m)^- name: (\S+)\n  label:", (web / "admin/config.yml").read_text(encoding="utf-8"))
        others = [n for n in names if n not in (collection, "all-items")]
        sizes = {n: sum(1 for _ in (root / "content" / n.replace("-", "/", 1)).rglob("*.md")) for n in others}
        other = min((n for n in others if sizes[n]), key=sizes.__getitem__)
    env = dict(os.environ, GIT_REPO_DIRECTORY=str(root), PORT=str(port), MODE="fs", LOG_LEVEL="error",
               BIND_HOST="127.0.0.1")
    proxy = subprocess.Popen([str(decap_server)], env=env)
    while True:  # ready once it accepts a connection
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proxy.poll() is not None:
                raise SystemExit("decap-server stopped before it listened") from None
            time.sleep(0.05)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(web)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/admin/"
    times: list[float] = []
    cpus: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox"])
            cdp = browser.new_browser_cdp_session()
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
                page = context.new_page()
                page.goto(f"{base}#/collections/{other}")
                page.get_by_role("button", name="登录").click()
                page.locator(f'a[href$="/collections/{other}/entries/"], a[href*="/collections/{other}/entries/"]') \
                    .first.wait_for(timeout=120_000)
                cpu = _cpu(cdp, proxy.pid)
                page.evaluate("window.__start = performance.now()")
                page.locator(f'a[href="#/collections/{collection}"]').first.click()
                elapsed = page.wait_for_function(
                    """([name, n]) => document.querySelectorAll(
                           `a[href^="#/collections/${name}/entries/"]`).length >= n
                       && performance.now() - window.__start""",
                    arg=[collection, expected], timeout=300_000, polling=50).json_value()
                cpu = tuple(b - a for a, b in zip(cpu, _cpu(cdp, proxy.pid), strict=True))
                times.append(float(elapsed) / 1000)
                cpus.append(sum(cpu))
                print(f"{collection}: {expected} entries listed in {times[-1]:.2f} s; CPU {sum(cpu):.2f} s "
                      f"(Chromium {cpu[0]:.2f} s, decap-server {cpu[1]:.2f} s)", flush=True)
                context.close()
            browser.close()
    finally:
        server.shutdown()
        proxy.terminate()
        proxy.wait(timeout=30)
    return times, cpus


def _cpu(cdp, pid: int) -> tuple[float, float]:
    """CPU seconds (user+sys) so far of every Chromium process and of decap-server: on a busy
    machine the wall time mostly measures waiting for a core, the CPU time does not."""
    chromium = sum(p["cpuTime"] for p in cdp.send("SystemInfo.getProcessInfo")["processInfo"])
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return chromium, server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=6100, help="items of the whole site (zfb gets about 2,000)")
    parser.add_argument("--collection", default="zfb", help="the collection to open (zfb, zfb-2024, …)")
    parser.add_argument("--other", default=None, help="the collection the editor starts on (default: the smallest)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--decap-server", type=Path, default=DECAP_SERVER)
    parser.add_argument("--keep", action="store_true", help="keep the generated site and print where")
    parser.add_argument("--site", type=Path, default=None, help="a site kept by an earlier --keep run")
    parser.add_argument("--whole", action="store_true",
                        help="no per-year collections (as before they existed): open the agency's whole list")
    args = parser.parse_args()
    if not args.decap_server.exists():
        print(f"{args.decap_server} is missing: run `make cms` (decap-server is in cms/package.json) "
              "or pass --decap-server", file=sys.stderr)
        return 2
    if args.whole:
        from gongkai.load import cms_config

        cms_config.PER_YEAR_FROM = sys.maxsize
    root = args.site or Path(tempfile.mkdtemp(prefix="gk-cms-list-"))
    try:
        if args.site is None:
            generate(args.items, root, args.seed)
            with (root / "catalog/site.yml").open("a", encoding="utf-8") as fh:
                fh.write(CMS)
        else:
            shutil.rmtree(root / "web", ignore_errors=True)
            (root / "cms/node_modules/decap-cms").unlink(missing_ok=True)
        times, cpus = measure(root, args.collection, args.other, args.runs, args.decap_server)
        print(f"median: {statistics.median(times):.2f} s, CPU {statistics.median(cpus):.2f} s "
              f"over {len(times)} runs (goal: under 2 s)")
    finally:
        if args.keep or args.site:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
