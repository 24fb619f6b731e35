"""Shared fixtures: the sample site built once, served under a sub-path.

Markers (registered in pyproject.toml, `--strict-markers`) are set here by what a test uses, so a
new test needs no decoration to be sorted right:

- ``browser``: the test asks for a Chromium fixture (``browser``, ``open_tab``, ``tab``, ``page``,
  ``page_log``), directly or through another fixture.
- ``build``: the test, one of its fixtures, or a function of its module they call reaches
  :func:`mkdocs_build` (``built_site``, ``served_site`` included), the preview's engine, or starts
  ``python -m mkdocs`` or ``-m mkdocs_preview``. A test that builds some other way says
  ``@pytest.mark.build`` itself;
  :func:`mkdocs_build` refuses to run in a test without the marker, so `make test-fast`
  (``-m "not browser and not build and not slow"``) cannot quietly grow a build.
- ``slow`` is written on the test itself (property tests drawing thousands of examples).
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Browser fixtures (browser, open_tab, tab, page, page_log) for tests/test_browser_*.py.
from browser_fixtures import browser, open_tab, page, page_log, tab  # noqa: E402,F401

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

#: the date sample-site tests build as of, so embargoes are deterministic
BUILD_DATE = "2026-11-26"
#: the sub-path the site is served under in tests, as a portal's column would be
SUB_PATH = "/xxgk/"


def mkdocs_build(project: Path, out: Path, build_date: str = BUILD_DATE,
                 check: bool = True, *options: str) -> subprocess.CompletedProcess:
    """Run the real ``mkdocs build --strict`` as an editor or CI would."""
    if _RUNNING and _RUNNING[-1].get_closest_marker("build") is None:
        raise AssertionError(f"{_RUNNING[-1].nodeid} builds a site: mark it @pytest.mark.build")
    env = dict(os.environ, GONGKAI_BUILD_DATE=build_date, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         "-d", str(out), *options],
        cwd=project, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return result


class _Lines(logging.Handler):
    """Log records as MkDocs' console shows them (``INFO    -  Building documentation...``)."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<8}-  {record.getMessage()}")


def mkdocs_build_here(project: Path, out: Path | None = None,
                      build_date: str = BUILD_DATE) -> tuple[bool, str]:
    """The real ``mkdocs build --strict`` in this process, step by step as the command line runs it
    (load_config, on_startup, build, on_shutdown): for a test that needs the verdict and the
    messages, not the process (a ``mkdocs`` process spends most of its CPU importing). One
    process (GONGKAI_JOBS=1), so nothing is forked from pytest; two processes writing the same
    site is test_background.py's. Returns whether it built, and the messages as the console
    shows them (``LEVEL   -  text``). Without ``out``, mkdocs.yml's site_dir. An exception
    other than MkDocs' own is a traceback, which an editor must never see: it is raised, and
    fails the test."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if _RUNNING and _RUNNING[-1].get_closest_marker("build") is None:
        raise AssertionError(f"{_RUNNING[-1].nodeid} builds a site: mark it @pytest.mark.build")
    handler = _Lines(logging.INFO)
    lines = handler.lines
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.INFO)  # as the command line sets it: its INFO lines are on the console too
    logger.addHandler(handler)
    try:
        with pytest.MonkeyPatch.context() as env:
            for name, value in {"GONGKAI_BUILD_DATE": build_date, "GONGKAI_JOBS": "1",
                                "NO_MKDOCS_2_WARNING": "1"}.items():
                env.setenv(name, value)
            env.chdir(project)
            options = {"site_dir": os.fspath(out)} if out is not None else {}
            config = load_config(os.fspath(project / "mkdocs.yml"), strict=True, **options)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config, dirty=False)
            finally:
                config.plugins.on_shutdown()
    except MkDocsException as exc:
        lines.append(f"Error: {exc}")
        return False, "\n".join(lines)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return True, "\n".join(lines)


def file_digests(root: Path) -> dict[str, str]:
    """Every file under ``root`` by relative path, with its SHA-256: two trees are the same
    byte for byte when these are equal, and a difference names the file."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def copy_project(dest: Path, with_content: bool = True) -> Path:
    """A throw-away copy of the repository's site (config, catalogue, content)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", ".github/CODEOWNERS", ".gitlab/CODEOWNERS", ".gitea/CODEOWNERS"):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, dest / name)
    for name in ("catalog", "hooks", "overrides") + (("content",) if with_content else ()):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    if not with_content:
        (dest / "content").mkdir()
    return dest


def build_with_broken_field(tmp_path: Path, source_rel: str, pattern: str, replacement: str,
                            marker: str) -> tuple[bool, str, int]:
    """Copy the sample, rewrite one front-matter line of one item, build in this process
    (:func:`mkdocs_build_here`) without raising.

    Returns whether it built, its messages, and the line the broken value (``marker``) ended up on.
    """
    project = copy_project(tmp_path / "p")
    source = project / source_rel
    text = re.sub(pattern, replacement, source.read_text(encoding="utf-8"), count=1, flags=re.M)
    source.write_text(text, encoding="utf-8")
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if marker in ln)
    return (*mkdocs_build_here(project, tmp_path / "site"), line)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The sample site, built once per test session as of BUILD_DATE, with two processes (the
    search index written by a forked child, as on any machine of two cores or more) on every
    machine: test_background.py holds a one-process build to these bytes."""
    out = tmp_path_factory.mktemp("built") / "site"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GONGKAI_JOBS", "2")
        mkdocs_build(ROOT, out)
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A built site's files, as a host serves them to a browser test: no log lines, and
    cacheable for the test's tab (the files never change while served), so a walk of every
    page fetches the stylesheets and scripts once instead of once a page."""

    def log_message(self, *args):  # keep pytest output readable
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()


@pytest.fixture(scope="session")
def served_site(built_site, tmp_path_factory) -> str:
    """Base URL of the built site served on loopback under SUB_PATH."""
    docroot = tmp_path_factory.mktemp("docroot")
    shutil.copytree(built_site, docroot / SUB_PATH.strip("/"))
    handler = functools.partial(QuietHandler, directory=str(docroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    server.shutdown()


# --- markers: what a test needs, read from what it uses -------------------------------------

_BROWSER_FIXTURES = {"browser", "open_tab", "tab", "page", "page_log"}
_MKDOCS_MODULES = {"mkdocs", "mkdocs_preview"}
#: the test being run, so mkdocs_build can insist on the marker
_RUNNING: list[pytest.Item] = []


def _builders() -> tuple[Callable, ...]:
    from mkdocs_preview.engine import Preview
    return (mkdocs_build, mkdocs_build_here, Preview)


def _reaches(code: types.CodeType, scope: dict, targets: tuple, seen: set) -> bool:
    """Whether ``code`` names one of ``targets``, or a test-suite function that does (helpers
    of the module, of conftest, of tests/*.py)."""
    if code in seen:
        return False
    seen.add(code)
    words = {c for c in code.co_consts if isinstance(c, str)}
    if "-m" in words and words & _MKDOCS_MODULES:  # `python -m mkdocs build`, the preview server
        return True
    # a function that imports from conftest itself (`from conftest import mkdocs_build`) names
    # what it imports, not in its module's globals: look those up here
    local = globals() if "conftest" in code.co_names else {}
    for name in code.co_names:
        value = scope.get(name, local.get(name))
        if value is None:
            continue
        if any(value is t for t in targets):
            return True
        inner = getattr(value, "__wrapped__", value)
        func_code = getattr(inner, "__code__", None)
        if func_code is not None and Path(func_code.co_filename).parent == Path(__file__).parent:
            if _reaches(func_code, inner.__globals__, targets, seen):
                return True
    return any(_reaches(c, scope, targets, seen) for c in code.co_consts if isinstance(c, types.CodeType))


def _builds(item: pytest.Function, targets: tuple) -> bool:
    seen: set = set()
    funcs = [item.function]
    for name in item.fixturenames:
        for fixturedef in item._fixtureinfo.name2fixturedefs.get(name, ()):
            funcs.append(fixturedef.func)
    for func in funcs:
        func = getattr(func, "__wrapped__", func)
        if hasattr(func, "hypothesis"):
            func = func.hypothesis.inner_test
        if _reaches(func.__code__, func.__globals__, targets, seen):
            return True
    return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    targets = _builders()
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if _BROWSER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("build") is None and _builds(item, targets):
            item.add_marker(pytest.mark.build)


@pytest.fixture(autouse=True)
def _running(request: pytest.FixtureRequest) -> Iterator[None]:
    _RUNNING.append(request.node)
    yield
    _RUNNING.pop()
