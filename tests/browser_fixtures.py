"""Shared browser fixtures: Debian's Chromium driven by Playwright.

Imported by conftest.py, so every test module can ask for them:

- ``browser``: one headless Chromium for the whole session (/usr/bin/chromium,
  installed by ``make test``; nothing is ever downloaded).
- ``open_tab(viewport=DESKTOP, elder=False)``: a fresh browser context and page.
  ``elder=True`` starts with the 长者版 switched on, as a returning visitor would.
- ``tab``, ``page``, ``page_log``: one desktop tab, its Playwright page and its log.

Every tab records each request, console error, uncaught exception, HTTP error
response, pop-up window and dialog. Requests to any host other than loopback
are recorded and fail at once (a proxy on a closed port), so a page that would hang on a foreign host
fails fast. When a test ends, the fixture fails it if its tabs saw any of those
problems: every browser test checks "offline-clean, no errors, no pop-ups" for
free. A test that provokes an error on purpose sets ``tab.log.expected = True``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: Requests to any other host go to a proxy on a closed loopback port and fail at once (Chromium
#: never proxies loopback). This in place of a Playwright route: a route sends every request
#: through Python and switches the browser's HTTP cache off, so a walk of every page fetched
#: each stylesheet and script again from a Python server.
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--proxy-server=http://127.0.0.1:9"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
#: the localStorage key the 长者版 switch remembers its state in
ELDER_KEY = "gk-elder"


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOOPBACK


@dataclass
class PageLog:
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    expected: bool = False  # set by a test that provokes errors on purpose

    @property
    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]

    def problems(self) -> list[str]:
        return ([f"request to another host: {u}" for u in self.foreign_requests]
                + [f"console error: {m}" for m in self.console_errors]
                + [f"HTTP error: {r}" for r in self.bad_responses]
                + [f"pop-up window: {u}" for u in self.popups]
                + [f"dialog: {d}" for d in self.dialogs])


@dataclass
class Tab:
    page: Page  # noqa: F821 (playwright.sync_api.Page, imported lazily)
    log: PageLog


def _record(page, log: PageLog) -> None:
    page.on("request", lambda request: log.requests.append(request.url))
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.console_errors.append(f"uncaught: {exc}"))
    page.on("response", lambda r: log.bad_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("popup", lambda popup: log.popups.append(popup.url))

    def on_dialog(dialog) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_tab(browser) -> Callable[..., Tab]:
    tabs: list[Tab] = []
    contexts = []

    def open_(viewport: dict | None = None, elder: bool = False) -> Tab:
        context = browser.new_context(viewport=viewport or DESKTOP, locale="zh-CN")
        contexts.append(context)
        if elder:
            # once per tab, so a test that switches it off stays off
            context.add_init_script(
                "if (!sessionStorage.getItem('gk-test-seeded')) {"
                f" localStorage.setItem({ELDER_KEY!r}, '1');"
                " sessionStorage.setItem('gk-test-seeded', '1'); }")
        page = context.new_page()
        tab = Tab(page, PageLog())
        _record(page, tab.log)
        tabs.append(tab)
        return tab

    yield open_
    for context in contexts:
        context.close()
    problems = [p for tab in tabs if not tab.log.expected for p in tab.log.problems()]
    assert not problems, "the browser saw:\n" + "\n".join(problems)


@pytest.fixture
def tab(open_tab) -> Tab:
    return open_tab()


@pytest.fixture
def page(tab):
    return tab.page


@pytest.fixture
def page_log(tab) -> PageLog:
    return tab.log
