"""The preview's first pages: served from the loaded model while the full build still runs,
byte for byte what that build writes, and a save made meanwhile still lands."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

from conftest import BUILD_DATE, ROOT, copy_project
from test_preview import URL, _fetch, _Output

from mkdocs_preview.early import WAITING_PAGE
from mkdocs_preview.engine import Preview

_RELOAD = re.compile(rb'<script src="/__gongkai__/reload\.js\?g=-?\d+" data-wait="[^"]*"></script>')


def test_pages_rendered_on_request_are_the_full_builds_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_BUILD_DATE", BUILD_DATE)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    repo = copy_project(tmp_path / "repo")
    preview = Preview(repo / "mkdocs.yml", tmp_path / "live", URL)
    early = preview.load()
    assert early is not None
    pages = early.pages(tmp_path / "early")
    urls = sorted(pages.items) + ["catalogue/"]
    answers = {url: pages.answer(url, tmp_path / "live") for url in urls}
    attachment = next(uri for uri in sorted(pages.sources))
    sent = pages.answer(attachment, tmp_path / "live")
    # a listing waits for the build: a page that says so in Chinese and reloads itself, no script
    home = pages.answer("", tmp_path / "live")
    assert home is not None and home.status == 503 and home.body == WAITING_PAGE
    assert "正在生成".encode() in home.body and b'http-equiv="refresh"' in home.body and b"<script" not in home.body
    assert pages.answer("no/such/page/", tmp_path / "live") is None
    # then the rest is rendered in the early process: every page and generated file is served
    pages.render_rest()
    every = sorted("" if f.url == "./" else f.url for f in pages.files.documentation_pages())
    assert "" in every and len(every) > len(urls)
    rest = {url: pages.answer(url, tmp_path / "live") for url in every}
    made = sorted(pages.statics)
    files = {uri: pages.answer(uri, tmp_path / "live") for uri in made}
    # the files the build writes in the background wait for it
    index = pages.answer("feed.xml", tmp_path / "live")
    assert index is not None and index.status == 503 and "正在生成" in index.body.decode()
    # the build this load was made for, then the same bytes page for page
    assert preview.full().ok
    preview.settle()
    live = tmp_path / "live"
    assert all(a is not None and a.status == 200 for a in answers.values())
    differ = [url for url, a in answers.items() if a is not None and a.body != (live / url / "index.html").read_bytes()]
    assert differ == []
    assert all(a is not None and a.status == 200 for a in rest.values()), [u for u, a in rest.items() if not a]
    differ = [url for url, a in rest.items() if a is not None and a.body != (live / url / "index.html").read_bytes()]
    assert differ == []
    assert made and all(a is not None and a.body == (live / uri).read_bytes() for uri, a in files.items())
    assert sent is not None and sent.body == (live / attachment).read_bytes()
    # the draft is shown with its banner, as the preview does
    draft = answers["items/002501001/2026-00013/"]
    assert draft is not None and "草稿，仅预览可见".encode() in draft.body
    preview.close()


def test_first_page_is_served_before_the_build_ends_and_a_save_meanwhile_lands(tmp_path):
    repo = copy_project(tmp_path / "repo")
    env = {"GONGKAI_BUILD_DATE": BUILD_DATE, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks"),
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs_preview", "--port", "8000"], cwd=repo, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = _Output(proc.stdout)
    stopped = False
    try:
        early = out.expect(lambda line: "先行预览" in line)
        base = re.search(r"http://127\.0\.0\.1:\d+/xxgk/", early)[0]
        # the main process, which runs the build, is held still: whatever answers now is the
        # early process, and the build cannot end before the page is served
        proc.send_signal(signal.SIGSTOP)
        stopped = True
        url = base + "items/002501001/2024-00004/"
        status, first = _fetch(url)
        assert status == 200 and "<h1" in first
        out.expect(lambda line: line.startswith("已先行生成 items/002501001/2024-00004/"))
        # the home page: rendered by the early process too once it has the rest, until then
        # a page that says so and reloads itself
        status, home = _fetch(base)
        assert (status, "正在生成" in home) in ((200, False), (503, True)), (status, home[:300])
        # an editor saves while the build runs
        saved = repo / "content/zfb/2024/00005.md"
        saved.write_text(saved.read_text(encoding="utf-8").rstrip("\n") + "\n\n构建期间保存的正文。\n",
                         encoding="utf-8")
        proc.send_signal(signal.SIGCONT)
        stopped = False
        out.expect(lambda line: "预览地址" in line)
        lines = out.lines
        shown = next(i for i, line in enumerate(lines) if line.startswith("已先行生成"))
        built = next(i for i, line in enumerate(lines) if line.startswith("预览已生成"))
        assert shown < built, out.text()
        status, after = _fetch(url)
        assert status == 200
        assert _RELOAD.sub(b"", first.encode()) == _RELOAD.sub(b"", after.encode())
        # the save lands: the build read it, or the first update applies it
        page = base + "items/002501001/2024-00005/"
        status, body = _fetch(page)
        while "构建期间保存的正文" not in body:
            out.expect(lambda line: line.startswith(("已更新", "更新失败")))
            status, body = _fetch(page)
        assert status == 200
    finally:
        if stopped:
            proc.send_signal(signal.SIGCONT)
        proc.terminate()
        proc.wait(timeout=60)
    everything = out.rest()
    assert "Traceback" not in everything and "先行预览未能启动" not in everything, everything


def test_items_read_on_every_core_make_the_same_site(tmp_path):
    """The first load's item files read in forked workers (``prefill``): the load that follows
    reads none again, and every page renders exactly as from a load in one process."""
    import datetime as dt

    from gongkai.load.cache import ItemCache
    from gongkai.pipeline import load_site
    from gongkai.problems import Problems
    from gongkai.render.outputs import render_site
    from mkdocs_preview.prefill import prefill

    repo = copy_project(tmp_path / "repo")
    day = dt.date.fromisoformat(BUILD_DATE)

    def pages(cache: ItemCache) -> dict[str, str]:
        problems = Problems()
        site = load_site(repo, day, problems, judge_markup=False, preview=True, cache=cache)
        rendered = render_site(site, URL, detach=True)
        return {p.src_uri: p.markdown for p in rendered.pages} | {"(warnings)": repr(problems.warnings)}

    one = ItemCache()
    alone = pages(one)
    shared = ItemCache()
    assert prefill(repo, day, shared, 3) == len(one.results) == one.reread > 50
    assert pages(shared) == alone
    assert shared.reread == 0  # the load after the workers read no item file again
