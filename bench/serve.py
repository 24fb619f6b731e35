"""Preview latency: from saving a changed item to the new page under ``mkdocs serve``.

    python bench/serve.py --sample            # a copy of this repository's sample site
    python bench/serve.py --items 2000        # a generated site of N items
    python bench/serve.py --items 2000 --edits 5 --dirty

Starts ``mkdocs serve`` on loopback in a throw-away copy, waits for the first
build, then saves an edited item (a new sentence in its body) several times and
polls the item's page until the served HTML contains the new sentence. Prints
each latency and the median, and the CPU seconds the serve process spent on
each rebuild (on a busy machine the latency mostly measures waiting for a
core; the CPU figure does not). The repository itself is never touched.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ROOT, generate  # noqa: E402

BUILD_DATE = "2026-11-26"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process (its own, not its children's)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def copy_sample(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("catalog", "hooks", "overrides", "content"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def pick_item(root: Path) -> tuple[Path, str]:
    """A published item's file and its URL path (items/<agency>/<year>-<seq>/)."""
    sys.path.insert(0, str(root / "hooks"))
    import datetime as dt

    from gongkai.pipeline import load_site
    site = load_site(root, dt.date.fromisoformat(BUILD_DATE))
    item = site.public_items[len(site.public_items) // 2]
    return root / item.source, item.url


def base_path(root: Path) -> str:
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    m = re.search(r"^site_url:\s*\S+?://[^/\s]+(/\S*)?\s*$", text, re.M)
    path = (m[1] if m and m[1] else "/")
    return path if path.endswith("/") else path + "/"


def measure(root: Path, edits: int, dirty: bool, timeout: float) -> tuple[list[float], list[float], float]:
    """(latency per edit, serve CPU seconds per edit, serve CPU seconds per idle second)."""
    port = free_port()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
           "-f", str(root / "mkdocs.yml")] + (["--dirty"] if dirty else [])
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        item_file, url_path = pick_item(root)
        url = f"http://127.0.0.1:{port}{base_path(root)}{url_path}"
        start = time.perf_counter()
        while fetch(url) is None:
            if proc.poll() is not None:
                raise SystemExit(f"mkdocs serve exited, see {root / 'serve.log'}")
            if time.perf_counter() - start > timeout * 10:
                raise SystemExit("mkdocs serve did not come up")
            time.sleep(0.2)
        print(f"first build served after {time.perf_counter() - start:.1f} s: {url}", flush=True)
        time.sleep(1.0)  # let the watcher settle after the first build
        idle_cpu = cpu_seconds(proc.pid)
        time.sleep(5.0)  # what watching the files costs while nobody edits
        idle = (cpu_seconds(proc.pid) - idle_cpu) / 5.0
        original = item_file.read_text(encoding="utf-8")
        latencies, cpus = [], []
        try:
            for i in range(edits):
                token = f"预览延迟测试第{i + 1}次修改{time.time_ns()}"
                before = cpu_seconds(proc.pid)
                saved = time.perf_counter()
                item_file.write_text(original.rstrip("\n") + f"\n\n{token}。\n", encoding="utf-8")
                while True:
                    page = fetch(url)
                    if page and token in page:
                        break
                    if time.perf_counter() - saved > timeout:
                        raise SystemExit(f"edit {i + 1} not visible after {timeout} s")
                    time.sleep(0.02)
                latency = time.perf_counter() - saved
                time.sleep(1.0)
                used = cpu_seconds(proc.pid) - before - idle * (time.perf_counter() - saved)
                latencies.append(latency)
                cpus.append(used)
                print(f"edit {i + 1}: visible after {latency:.2f} s; the rebuild took {used:.2f} s of CPU",
                      flush=True)
        finally:
            item_file.write_text(original, encoding="utf-8")
        return latencies, cpus, idle
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="mkdocs serve 预览延迟")
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--sample", action="store_true", help="use a copy of the repository's sample site")
    src.add_argument("--items", type=int, help="generate a site of N items")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--dirty", action="store_true", help="pass --dirty to mkdocs serve")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one edit")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="gongkai-serve-"))
    try:
        root = copy_sample(work / "site") if args.sample else generate(args.items, work / "site", args.seed).root
        latencies, cpus, idle = measure(root, args.edits, args.dirty, args.timeout)
        what = "sample site" if args.sample else f"{args.items} items"
        print(f"{what}: visible after median {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s "
              f"over {len(latencies)} edits; rebuild CPU median {statistics.median(cpus):.2f} s; "
              f"watching costs {idle:.2f} s CPU per second while idle")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
