"""Write some of a build's files in a second process while the generator does the rest.

A site generator converts and themes pages on one core. Some of gongkai's
outputs are only files that no page reads (the search index above all: a
fifth of a large build), so a forked child can compute and write them into
the output folder meanwhile. The build waits for the child at its end and
fails if the child failed: a site without its search index is a half-truth.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from gongkai.problems import ValidationFailed
from gongkai.render.pages import StaticFile


def cores() -> int:
    """Processes a build may use: ``GONGKAI_JOBS`` = a number or ``auto`` (the default)."""
    value = os.environ.get("GONGKAI_JOBS", "auto").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def available() -> bool:
    return cores() >= 2 and "fork" in multiprocessing.get_all_start_methods()


def write_files(files: Iterable[StaticFile], out_dir: Path, skip_same: bool = False,
                names: list[str] | None = None) -> int:
    """Write files that carry their content; returns how many.

    ``skip_same``: leave a file alone when it already holds these bytes (a preview rewrites
    only what changed, so the browser and the disk see only real changes). ``names``: gets
    every file's ``src_uri``, written or not.
    """
    count = 0
    for file in files:
        if file.content is None:
            raise ValueError(f"{file.src_uri}: a background file must carry its content")
        target = out_dir / file.src_uri
        if names is not None:
            names.append(file.src_uri)
        if skip_same:
            try:
                if target.stat().st_size == len(file.content) and target.read_bytes() == file.content:
                    continue
            except OSError:
                pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)
        count += 1
    return count


def _child(produce: Callable[[], Iterable[StaticFile]], out_dir: Path, conn, skip_same: bool = False,
           nice: int = 0) -> None:
    try:
        if nice:
            os.nice(nice)
        names: list[str] = []
        count = write_files(produce(), out_dir, skip_same, names)
        conn.send(("ok", (count, names) if skip_same else count))
    except ValidationFailed as exc:  # refused content: its Chinese message, not a traceback
        conn.send(("error", str(exc)))
        raise SystemExit(1) from None
    except BaseException:  # the parent reports it; the child has no one else to tell
        conn.send(("error", traceback.format_exc()))
        raise SystemExit(1) from None
    finally:
        conn.close()


class Handover:
    """One value the parent hands a ``FileJob``'s child after forking it: the child can start
    on what needs only the model while the parent still computes the rest."""

    def __init__(self) -> None:
        self._receive, self._send = multiprocessing.get_context("fork").Pipe(duplex=False)

    def send(self, value: object) -> None:
        """In the parent, once."""
        self._send.send(value)
        self._send.close()

    def receive(self) -> Any:
        """In the child: waits for the value; ``EOFError`` when the parent is gone first."""
        self._send.close()  # the child's copy: without it a dead parent would be waited for forever
        return self._receive.recv()


class FileJob:
    """``produce()`` run in a forked child that writes its files under ``out_dir``."""

    def __init__(self, produce: Callable[[], Iterable[StaticFile]], out_dir: Path, skip_same: bool = False,
                 nice: int = 0):
        """``skip_same``: see ``write_files``; ``wait`` then returns (files written, every src_uri).
        ``nice``: lower the child's priority by this much (a preview's next save goes first)."""
        ctx = multiprocessing.get_context("fork")
        self._receive, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_child, args=(produce, Path(out_dir), send, skip_same, nice),
                                    daemon=True)
        self._process.start()
        send.close()

    def wait(self) -> int:
        """The number of files written; raises ``RuntimeError`` with the child's traceback."""
        try:
            status, value = self._receive.recv()
        except EOFError:
            status, value = "error", "进程意外退出"
        self._process.join()
        if status != "ok" or self._process.exitcode != 0:
            raise RuntimeError(value)
        return value

    def done(self) -> bool:
        return self._receive.poll()

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
