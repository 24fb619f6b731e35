"""Preview latency: from saving a changed item to the new page under ``make serve``.

    python bench/serve.py --sample            # a copy of this repository's sample site
    python bench/serve.py --items 10000       # a generated site of N items
    python bench/serve.py --items 10000 --edits 20
    python bench/serve.py --items 2000 --mkdocs-serve [--dirty]   # MkDocs' own server, to compare
    python bench/serve.py --items 10000 --first-page [--rounds 3]  # vs `hugo server`, same items

Starts the preview server (``python -m mkdocs_preview``, what ``make serve`` runs) on
loopback in a throw-away copy, waits for the first build, measures the CPU it spends
watching while nobody edits, then saves an edited item (a new sentence in its body)
several times and polls the item's page until the served HTML contains the new sentence.
Prints each latency, the CPU the server spent on each save (its own and its background
process's), its memory (RSS) after each save, and the medians (on a busy machine the
latency mostly measures waiting for a core; the CPU figure does not). The repository
itself is never touched.

``--first-page`` measures only the cold start: seconds from starting the server until an
item's page is served, for ``make serve`` and for ``hugo server`` on the same generated items
(bench/build.py's Hugo project and theme), in interleaved rounds (the order alternates), with
the medians. The preview serves an item page from the loaded model while its full build runs
(``mkdocs_preview.early``); Hugo renders the whole site into memory before it serves.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import string
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


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU of a running process (``children``: of its finished children too)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> float:
    """User + system CPU of a running process, its finished children and its running ones."""
    total = cpu_seconds(pid, True)
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return total
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children = [int(c) for c in f.read().split()]
        except OSError:
            continue
        for child in children:
            try:
                total += tree_cpu(child)
            except OSError:
                pass
    return total


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


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


def measure(root: Path, edits: int, dirty: bool, timeout: float, mkdocs_serve: bool = False
            ) -> tuple[list[float], list[float], float, list[float], float]:
    """(latency per edit, CPU seconds per edit, CPU seconds per idle second, RSS MB after each
    edit, seconds until the first page was served)."""
    port = free_port()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=str(root / "hooks"))
    if mkdocs_serve:
        cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
               "-f", str(root / "mkdocs.yml")] + (["--dirty"] if dirty else [])
    else:
        cmd = [sys.executable, "-m", "mkdocs_preview", "--port", str(port), "-f", str(root / "mkdocs.yml")]
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
        first = time.perf_counter() - start
        print(f"first build served after {first:.1f} s: {url} ({rss_mb(proc.pid):.0f} MB)", flush=True)
        time.sleep(3.0)  # let the server settle after the first build (starting the watcher)
        idle_cpu = cpu_seconds(proc.pid, True)
        time.sleep(10.0)  # what watching the files costs while nobody edits
        idle = (cpu_seconds(proc.pid, True) - idle_cpu) / 10.0
        original = item_file.read_text(encoding="utf-8")
        latencies, cpus, memory = [], [], []
        try:
            for i in range(edits):
                # letters, not time_ns(): a long run of digits may pass a bank card's or an ID
                # number's check digit, and the personal-number guard rightly refuses the save
                token = f"预览延迟测试第{i + 1}次修改" + "".join(random.choices(string.ascii_lowercase, k=12))
                before = cpu_seconds(proc.pid, True)
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
                used = cpu_seconds(proc.pid, True) - before - idle * (time.perf_counter() - saved)
                latencies.append(latency)
                cpus.append(used)
                memory.append(rss_mb(proc.pid))
                print(f"edit {i + 1}: visible after {latency:.2f} s; {used:.2f} s of CPU "
                      f"(with background files finished by then); {memory[-1]:.0f} MB", flush=True)
        finally:
            item_file.write_text(original, encoding="utf-8")
        return latencies, cpus, idle, memory, first
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        # the server's own account of each save: its seconds, and when the saved page was written
        for line in (root / "serve.log").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("已更新", "更新失败")):
                print(f"  server: {line}")


def wait_served(url: str, proc: subprocess.Popen, start: float, limit: float, what: str) -> float:
    """Seconds from ``start`` until ``url`` answers 200."""
    while fetch(url) is None:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited before serving {url}")
        if time.perf_counter() - start > limit:
            raise SystemExit(f"{what} did not serve {url} within {limit} s")
        time.sleep(0.05)
    return time.perf_counter() - start


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def first_page_gongkai(root: Path, url_path: str, limit: float) -> tuple[float, float]:
    """(seconds until the item's page is served, CPU seconds its processes used until then)."""
    port = free_port()
    env = dict(os.environ, GONGKAI_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1",
               PYTHONPATH=str(root / "hooks"))
    cmd = [sys.executable, "-m", "mkdocs_preview", "--port", str(port), "-f", str(root / "mkdocs.yml")]
    with open(root / "serve.log", "w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            seconds = wait_served(f"http://127.0.0.1:{port}{base_path(root)}{url_path}", proc, start, limit,
                                  "make serve")
            return seconds, tree_cpu(proc.pid)
        finally:
            stop(proc)


def first_page_hugo(project: Path, number: str, limit: float) -> tuple[float, float]:
    from build import hugo_binary

    port = free_port()
    cmd = [hugo_binary(), "server", "-s", str(project), "--bind", "127.0.0.1", "--port", str(port),
           "--baseURL", f"http://127.0.0.1:{port}/xxgk/", "--appendPort=false", "--disableFastRender"]
    with open(project / "serve.log", "w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project, stdout=log, stderr=subprocess.STDOUT)
        try:
            seconds = wait_served(f"http://127.0.0.1:{port}/xxgk/items/{number}/", proc, start, limit,
                                  "hugo server")
            return seconds, tree_cpu(proc.pid)
        finally:
            stop(proc)


def first_pages(root: Path, work: Path, rounds: int, limit: float) -> None:
    from build import hugo_project

    hugo_root = work / "hugo"
    hugo_project(root, hugo_root)
    item_file, url_path = pick_item(root)
    number = re.search(r"^索引号: *['\"]?([^'\"\s]+)", item_file.read_text(encoding="utf-8"), re.M)[1]
    figures: dict[str, list[tuple[float, float]]] = {"make serve": [], "hugo server": []}
    for n in range(rounds):
        runs = [("make serve", lambda: first_page_gongkai(root, url_path, limit)),
                ("hugo server", lambda: first_page_hugo(hugo_root, number, limit))]
        for name, run in runs if n % 2 == 0 else runs[::-1]:
            seconds, cpu = run()
            figures[name].append((seconds, cpu))
            print(f"round {n + 1}: {name} served {url_path} after {seconds:.2f} s, "
                  f"{cpu:.2f} s CPU (its processes, user + system); load average {os.getloadavg()[0]:.1f}",
                  flush=True)
    wall = {name: statistics.median(s for s, _ in runs) for name, runs in figures.items()}
    cpu = {name: statistics.median(c for _, c in runs) for name, runs in figures.items()}
    print(f"first page, median of {rounds}: make serve {wall['make serve']:.2f} s ({cpu['make serve']:.2f} s CPU), "
          f"hugo server {wall['hugo server']:.2f} s ({cpu['hugo server']:.2f} s CPU); "
          f"ratio {wall['make serve'] / wall['hugo server']:.2f} wall, "
          f"{cpu['make serve'] / cpu['hugo server']:.2f} CPU", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="mkdocs serve 预览延迟")
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--sample", action="store_true", help="use a copy of the repository's sample site")
    src.add_argument("--items", type=int, help="generate a site of N items")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--mkdocs-serve", action="store_true", help="measure `mkdocs serve` instead")
    parser.add_argument("--dirty", action="store_true", help="pass --dirty to mkdocs serve")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for one edit")
    parser.add_argument("--first-page", action="store_true",
                        help="only the time to the first page, against `hugo server` (interleaved rounds)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="gongkai-serve-"))
    try:
        root = copy_sample(work / "site") if args.sample else generate(args.items, work / "site", args.seed).root
        if args.first_page:
            first_pages(root, work, args.rounds, args.timeout * 10)
            return 0
        latencies, cpus, idle, memory, first = measure(root, args.edits, args.dirty, args.timeout,
                                                       args.mkdocs_serve)
        what = "sample site" if args.sample else f"{args.items} items"
        print(f"{what}: first page served after {first:.1f} s; edit visible after median "
              f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s over {len(latencies)} edits; "
              f"CPU per edit median {statistics.median(cpus):.2f} s; memory after the edits "
              f"{memory[0]:.0f} → {memory[-1]:.0f} MB (max {max(memory):.0f}); watching costs {idle:.3f} s CPU "
              f"per second while idle; load average {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
