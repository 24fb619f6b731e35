"""Attachments are read in a worker process bounded in memory and time.

A hostile file (a decompression bomb, a sheet declaring a billion cells, a PDF stream
that inflates without end) can only exhaust the worker: the address space is capped
with ``RLIMIT_AS``, the processor time per file with ``RLIMIT_CPU`` and, from outside,
the wall-clock time per file. A worker that dies or overruns is replaced for the next
file; the file that killed it is refused with the limit it exceeded.

The worker speaks JSON lines on its standard output (never pickle: what comes back was
shaped by the file) and takes ``{"suffix", "size"}`` then the bytes on its input.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

#: address space of the worker (the interpreter and its libraries take about 150 MB of it)
MEMORY = 768 * 1024 * 1024
#: processor seconds per file
CPU_SECONDS = 30
#: wall-clock seconds per file, measured by the build (a busy machine is slower)
WALL_SECONDS = 50

_lock = threading.Lock()
_worker: tuple[int, subprocess.Popen[bytes]] | None = None  # (owner pid, process)


def memory_limit() -> str:
    return f"{MEMORY // (1024 * 1024)} MB 内存"


def time_limit() -> str:
    return f"{CPU_SECONDS} 秒处理时间"


#: formats read in the build's own process: decoding is linear and the size is capped first
IN_PROCESS = frozenset({".txt", ".csv"})


def run(data: bytes, suffix: str) -> dict[str, Any]:
    """The worker's answer for one file: ``passages`` ([text, where, line]…), ``gaps``,
    ``unreadable``, ``refused`` (a limit), ``inflated`` (bytes unpacked)."""
    if suffix in IN_PROCESS:
        from gongkai.read import readers

        return _answer(readers, data, suffix)
    with _lock:
        process = _process()
        header = json.dumps({"suffix": suffix, "size": len(data)}).encode() + b"\n"
        try:
            assert process.stdin is not None
            process.stdin.write(header)
            process.stdin.write(data)
            process.stdin.flush()
            assert process.stdout is not None
            line = _line(process.stdout, time.monotonic() + WALL_SECONDS)
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            return {"refused": _why_stopped(process)}
        try:
            answer = json.loads(line)
        except ValueError:
            _stop(process)
            return {"unreadable": "读取程序的回答无法识别"}
        if not isinstance(answer, dict):
            _stop(process)
            return {"unreadable": "读取程序的回答无法识别"}
        if answer.pop("retire", False):
            _stop(process)
        return answer


def _process() -> subprocess.Popen[bytes]:
    global _worker
    if _worker is not None and _worker[0] == os.getpid() and _worker[1].poll() is None:
        return _worker[1]
    # a forked build process gets a worker of its own: two writers on one pipe would mix
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p))
    process = subprocess.Popen([sys.executable, "-m", "gongkai.read.sandbox"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                               close_fds=True)
    _worker = (os.getpid(), process)
    atexit.register(_close, process)
    return process


def _close(process: subprocess.Popen[bytes]) -> None:
    """At exit: the worker ends when its input closes (and is waited for, so its resource
    use is counted with the build's)."""
    if process.stdin is not None and not process.stdin.closed:
        process.stdin.close()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _line(stream: IO[bytes], deadline: float) -> bytes | None:
    """One line from the worker, or None when it died or the deadline passed."""
    fd = stream.fileno()
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                return b"".join(chunks)


def _why_stopped(process: subprocess.Popen[bytes]) -> str:
    code = _stop(process)
    if code == -signal.SIGXCPU or code is None:
        return f"读取时间超过 {time_limit()}"
    return f"读取时占用超过 {memory_limit()}"


def _stop(process: subprocess.Popen[bytes]) -> int | None:
    """Ends the worker (its code: None when it had to be killed for the time)."""
    global _worker
    _worker = None
    code = process.poll()
    if code is None:
        process.kill()
        process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()
    return code


# --- the worker ----------------------------------------------------------------------------

def _serve() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    source = sys.stdin.buffer
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a library's print must not end up in the answer
    from gongkai.read import readers

    while True:
        header = source.readline()
        if not header:
            return
        spec = json.loads(header)
        data = source.read(int(spec["size"]))
        usage = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(usage.ru_utime + usage.ru_stime) + 1
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (spent + CPU_SECONDS, hard))
        answer = _answer(readers, data, str(spec["suffix"]))
        retire = _peak() > MEMORY // 2  # give the memory back: the next file gets a fresh worker
        if retire:
            answer["retire"] = True
        out.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
        out.flush()
        if retire:
            return


def _peak() -> int:
    """The worker's largest resident size so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _answer(readers: Any, data: bytes, suffix: str) -> dict[str, Any]:
    reading = readers.Reading()
    try:
        passages = [[p.text, p.where, p.line] for p in readers.read(data, suffix, reading)]
    except readers.OverBudget as exc:
        return {"refused": str(exc), "inflated": reading.inflated}
    except readers.Unreadable as exc:
        return {"unreadable": str(exc), "inflated": reading.inflated}
    except MemoryError:
        return {"refused": f"读取时占用超过 {memory_limit()}", "inflated": reading.inflated}
    except RecursionError:
        return {"unreadable": "文件结构嵌套过深，无法读取", "inflated": reading.inflated}
    except Exception as exc:  # a corrupt upload must stop the build with a message, not crash it
        if _peak() > MEMORY * 6 // 10:
            # parsers written in C (libxml2) report a failed allocation as a parse error
            return {"refused": f"读取时占用超过 {memory_limit()}", "inflated": reading.inflated}
        return {"unreadable": f"文件已损坏或格式不符，无法读取（{type(exc).__name__}: {str(exc)[:200]}）",
                "inflated": reading.inflated}
    return {"passages": passages, "gaps": reading.gaps, "gap_count": reading.gap_count,
            "inflated": reading.inflated}


if __name__ == "__main__":
    _serve()
