"""Run a command and measure it: wall time, peak memory, what it wrote."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the process and its children (robust on a busy machine)
    max_rss: int  # bytes, the largest single process (kernel's ru_maxrss via wait4)
    tree_rss: int  # bytes, peak of the summed PSS of the process and its children (sampled)
    returncode: int
    output: str
    timeline: list[tuple[float, int, str]] = field(default_factory=list)  # (seconds, peak bytes, line)


def _children_map() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry.name))
    return out


def _rss(pid: int) -> int:
    """Proportional set size (shared pages split between their users), else RSS:
    forked workers share most of their memory with the parent."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE
    except OSError:
        return 0


def tree_rss(pid: int) -> int:
    children = _children_map()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss(p)
        todo += children.get(p, [])
    return total


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, log: Path | None = None) -> Run:
    """Run ``cmd`` to completion; output goes to ``log`` (or is only captured), each line
    stamped with the seconds since the start and the peak memory so far: where time goes."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace")
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.2):
            peak = max(peak, tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timeline: list[tuple[float, int, str]] = []
    out = open(log, "w") if log else None
    for line in proc.stdout:
        stamp = (time.perf_counter() - start, peak, line.rstrip("\n"))
        timeline.append(stamp)
        if out is not None:
            out.write(f"[{stamp[0]:7.1f} s {human_bytes(stamp[1]):>9}] {stamp[2]}\n")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if out is not None:
        out.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    max_rss = usage.ru_maxrss * 1024
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, max_rss, max(peak, max_rss), proc.returncode,
               "\n".join(line for _, _, line in timeline), timeline)


def tree_size(path: Path) -> tuple[int, int]:
    """(files, bytes) under ``path``."""
    files = size = 0
    for root, _, names in os.walk(path):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(root, name))
    return files, size


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"
