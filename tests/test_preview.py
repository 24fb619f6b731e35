"""The preview server (``make serve``): incremental updates equal a clean build, a failed
update shows the problems in the browser, drafts are seen only in the preview."""

from __future__ import annotations

import queue
import random
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import BUILD_DATE, ROOT, copy_project, file_digests, mkdocs_build

from mkdocs_preview import server as preview_server
from mkdocs_preview.engine import Preview

URL = "http://127.0.0.1:8000/xxgk/"


@pytest.fixture
def build_date(monkeypatch):
    monkeypatch.setenv("GONGKAI_BUILD_DATE", BUILD_DATE)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(scope="module")
def sample_preview(tmp_path_factory):
    """One preview of a copy of the sample, built in full once for the tests that save into it
    and put back what they need (a full build of the sample is most of each test's cost)."""
    root = tmp_path_factory.mktemp("preview")
    repo = copy_project(root / "repo")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GONGKAI_BUILD_DATE", BUILD_DATE)
        env.setenv("NO_MKDOCS_2_WARNING", "1")
        preview = Preview(repo / "mkdocs.yml", root / "live", URL)
        assert preview.full().ok
        preview.settle()
        yield repo, preview, root / "live"
        preview.close()


def _items(repo: Path) -> list[Path]:
    return sorted(p for p in (repo / "content").rglob("*.md")
                  if p.relative_to(repo / "content").parts[0] not in ("annual", "pages"))


def _referenced(repo: Path) -> set[str]:
    ids = set()
    for path in _items(repo):
        ids |= set(re.findall(r"^(?:解读对象|替代文件|interprets|superseded_by): *(\S+)", path.read_text(encoding="utf-8"), re.M))
    return ids


def _id_of(text: str) -> str:
    return re.search(r"^(?:索引号|id): *(\S+)", text, re.M)[1]


def _edit(repo: Path, rng: random.Random, round_: int) -> set[str]:
    """One random editor's save; returns the changed paths relative to the repository."""
    items = _items(repo)
    path = rng.choice(items)
    text = path.read_text(encoding="utf-8")
    kind = rng.choice(["body", "title", "draft", "new", "delete", "attachment", "body"])
    touched = {path}
    if kind == "body":
        text = text.rstrip("\n") + f"\n\n第{round_}次修改的正文。\n"
    elif kind == "title":
        text = re.sub(r"^((?:标题|title): *)(.+)$", lambda m: f"{m[1]}{m[2]}（第{round_}次修订）", text, count=1, flags=re.M)
    elif kind == "draft":
        if re.search(r"^draft: *true$", text, re.M):
            text = re.sub(r"^draft: *true\n", "", text, flags=re.M)
        else:
            text = text.replace("\n---\n", "\ndraft: true\n---\n", 1)
    elif kind == "new":
        old_id = _id_of(text)
        new_id = old_id[:-5] + f"{90000 + round_:05d}"
        text = text.replace(old_id, new_id, 1)
        text = re.sub(r"^(?:发文字号|doc_number):.*\n", "", text, flags=re.M)
        text = re.sub(r"^((?:标题|title): *)(.+)$", lambda m: f"{m[1]}新增：{m[2]}", text, count=1, flags=re.M)
        path = path.with_name(f"{90000 + round_:05d}.md")
        touched = {path}
    elif kind == "delete":
        if _id_of(text) in _referenced(repo):
            text = text.rstrip("\n") + f"\n\n第{round_}次修改。\n"
        else:
            path.unlink()
            return {path.relative_to(repo).as_posix()}
    elif kind == "attachment":
        found = sorted(p for p in (repo / "content").rglob("*") if p.suffix in (".csv", ".txt"))
        target = rng.choice(found)
        target.write_bytes(target.read_bytes() + f"第{round_}次更换\n".encode())
        return {target.relative_to(repo).as_posix()}
    path.write_text(text, encoding="utf-8")
    return {p.relative_to(repo).as_posix() for p in touched}


@pytest.mark.parametrize("seed, parallel", [(1, False), (2, True)])
def test_random_saves_then_the_same_site_as_a_clean_build(tmp_path, build_date, monkeypatch, seed, parallel):
    """``parallel``: the first build converts pages in forked workers, as `make serve` does
    on a site of 1,000 pages or more; a save then edits pages a worker converted."""
    repo = copy_project(tmp_path / "repo")
    preview = Preview(repo / "mkdocs.yml", tmp_path / "live", URL)
    if parallel:
        monkeypatch.setenv("GONGKAI_PARALLEL_MIN_PAGES", "1")
        monkeypatch.setenv("GONGKAI_JOBS", "2")
    assert preview.full(parallel=parallel).ok
    preview.settle()
    rng = random.Random(seed)
    # now and then the editor saves again while an update runs: it stops after the saved page
    saves_again = random.Random(seed + 100)
    reports = []
    for round_ in range(1, 13):
        changed = _edit(repo, rng, round_)
        reports.append(preview.update(changed, interrupt=lambda: saves_again.random() < 0.3))
        if rng.random() < 0.3:
            preview.settle()
    reports.append(preview.update(set()))  # the last save's update, to the end
    preview.settle()
    assert all(r.ok for r in reports), preview.problems
    assert not any(r.full for r in reports)
    assert any(r.interrupted for r in reports) and not reports[-1].interrupted
    # an update converts only what changed, not the site
    assert max(r.pages for r in reports) < len(preview.session.pages) / 2
    clean = Preview(repo / "mkdocs.yml", tmp_path / "clean", URL)
    assert clean.full().ok
    clean.settle()
    live, fresh = file_digests(tmp_path / "live"), file_digests(tmp_path / "clean")
    assert sorted(set(live) ^ set(fresh)) == []
    assert [name for name in live if live[name] != fresh[name]] == []


def test_a_failed_save_is_reported_and_the_next_one_recovers(sample_preview, build_date):
    repo, preview, _ = sample_preview
    preview.settle()  # whatever the test before left running
    item = repo / "content/zfb/2024/00004.md"
    good = item.read_text(encoding="utf-8")
    item.write_text(re.sub(r"^发布日期: *.+$", "发布日期: 2024-13-45", good, count=1, flags=re.M),
                    encoding="utf-8")
    report = preview.update({"content/zfb/2024/00004.md"})
    assert not report.ok
    line = next(i for i, text in enumerate(good.splitlines(), 1) if text.startswith("发布日期"))
    messages = [p.format() for p in preview.problems]
    assert any(m.startswith(f"content/zfb/2024/00004.md:{line}: 发布日期: ") for m in messages), messages
    page = preview_server.problem_page(preview.problems, preview.generation).decode()
    assert "预览未能更新" in page and f"content/zfb/2024/00004.md:{line}: 发布日期" in page
    item.write_text(good, encoding="utf-8")
    assert preview.update({"content/zfb/2024/00004.md"}).ok
    assert preview.problems == []


def _fetch(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


class _Output:
    """The preview server's output, line by line as it prints them: the test waits for a line,
    not for a time, so a slow machine only makes it slower."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def expect(self, test, timeout: float = 180.0) -> str:
        """The next line that passes ``test``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError(f"not printed within {timeout} s:\n{self.text()}") from None
            if line is None:
                raise AssertionError(f"the preview server stopped:\n{self.text()}")
            self.lines.append(line)
            if test(line):
                return line

    def rest(self, timeout: float = 60.0) -> str:
        """Everything, once the server has exited."""
        try:
            self.expect(lambda line: False, timeout)
        except AssertionError as exc:
            if "stopped" not in str(exc):
                raise
        return self.text()

    def text(self) -> str:
        return "".join(self.lines)


UPDATE_LINES = ("已更新", "更新失败", "已显示")


def _after_updates(out: _Output, url: str, test) -> tuple[int, str]:
    """Fetch ``url`` now and after each update the server reports, until ``test`` passes."""
    status, body = _fetch(url)
    while not test(status, body):
        out.expect(lambda line: line.startswith(UPDATE_LINES))
        status, body = _fetch(url)
    return status, body


def _close_mid_response(port: int, path: str) -> None:
    """What a browser tab closed while its page loads does: reset the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_served_preview_shows_drafts_problems_and_takes_the_next_free_port(tmp_path):
    repo = copy_project(tmp_path / "repo")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    env = {"GONGKAI_BUILD_DATE": BUILD_DATE, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks"),
           "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs_preview", "--port", str(port)], cwd=repo, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = _Output(proc.stdout)
    try:
        out.expect(lambda line: "预览地址" in line)
        text = out.text()
        assert f"端口 {port} 已被占用" in text and "Traceback" not in text
        # the preview's own address is no site_url to warn about (the publish's is checked)
        assert ".gov.cn" not in text, text
        served = int(re.search(r"http://127\.0\.0\.1:(\d+)/xxgk/", text)[1])
        assert served != port
        base = f"http://127.0.0.1:{served}/xxgk/"
        # the sample's draft is visible, with its banner, in the preview only
        status, draft = _fetch(base + "items/002501001/2026-00013/")
        assert status == 200 and "草稿，仅预览可见" in draft and "GONGKAI-DRAFT-MARKER-7Q3" in draft
        # its own names only: a page whose domain was pointed at 127.0.0.1 (DNS rebinding) gets nothing
        for host in (f"localhost:{served}", f"[::1]:{served}", f"127.0.0.1:{served}"):
            assert _fetch(base, host)[0] == 200, host
        for host in (f"rebind.example:{served}", "127.0.0.1.rebind.example", f"localhost.rebind.example:{served}"):
            status, body = _fetch(base, host)
            assert status == 421 and "此预览只接受本机地址的访问" in body and "GONGKAI" not in body, host
        # tabs closed while their pages load: no traceback (checked in the output at the end)
        for path in ("/xxgk/", "/xxgk/catalogue.json", "/xxgk/items/002501001/2024-00004/"):
            _close_mid_response(served, path)
        # a broken save: the page names the file, line and field; fixed, the page comes back
        item = repo / "content/zfb/2024/00004.md"
        url = base + "items/002501001/2024-00004/"
        good = item.read_text(encoding="utf-8")
        item.write_text(good.replace("发布机构: ", "发布机构: 不存在的机关", 1), encoding="utf-8")
        line = next(i for i, t in enumerate(good.splitlines(), 1) if t.startswith("发布机构"))
        where = f"content/zfb/2024/00004.md:{line}: 发布机构: "
        status, page = _after_updates(out, url, lambda s, b: s == 500 and where in b)
        assert "预览未能更新" in page
        item.write_text(good + "\n修复后的正文。\n", encoding="utf-8")
        _after_updates(out, url, lambda s, b: s == 200 and "修复后的正文" in b)
        # a file at the top that is not mkdocs.yml (a log, say) changes nothing: written before a
        # change of mkdocs.yml in the same folder, it would be named in that update or one before
        seen = len(out.lines)
        for n in range(3):
            (repo / "serve.log").write_text(f"第 {n} 行\n", encoding="utf-8")
        (repo / "mkdocs.yml").write_text((repo / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
        done = out.expect(lambda line: line.startswith(UPDATE_LINES) and "mkdocs.yml" in line)
        assert "完整重建" in done and "serve.log" not in done, done
        assert not any("serve.log" in line for line in out.lines[seen:]), out.lines[seen:]
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        taken.close()
    everything = out.rest()
    assert "Traceback" not in everything and "Error" not in everything, everything


def test_the_publish_has_no_draft_or_unreviewed_item_anywhere(tmp_path, build_date):
    repo = copy_project(tmp_path / "repo")
    # an item whose review is still pending: shown by the preview with a banner, refused by the publish
    unreviewed = repo / "content/zfb/2026/00013.md"
    text = unreviewed.read_text(encoding="utf-8").replace("draft: true\n", "")
    unreviewed.write_text(text.replace("GONGKAI-DRAFT-MARKER-7Q3", "GONGKAI-UNREVIEWED-MARKER-5K1"),
                          encoding="utf-8")
    preview = Preview(repo / "mkdocs.yml", tmp_path / "live", URL)
    assert preview.full().ok
    preview.settle()
    page = (tmp_path / "live/items/002501001/2026-00013/index.html").read_text(encoding="utf-8")
    assert "未审查，仅预览可见" in page and "GONGKAI-UNREVIEWED-MARKER-5K1" in page
    # the publish refuses it outright …
    refused = mkdocs_build(repo, tmp_path / "refused", BUILD_DATE, False)
    assert refused.returncode != 0 and "未经保密审查同意的条目不能发布" in refused.stdout + refused.stderr
    # … and with it a draft again, publishes neither anywhere: pages, search, feeds, exports, sitemap
    unreviewed.write_text(text.replace("---\n\n", "draft: true\n---\n\n", 1), encoding="utf-8")
    mkdocs_build(repo, tmp_path / "site")
    leaks = [p for p in (tmp_path / "site").rglob("*") if p.is_file()
             and (b"GONGKAI-UNREVIEWED-MARKER-5K1" in p.read_bytes() or b"2026-00013" in p.read_bytes())]
    assert leaks == []
    assert not (tmp_path / "site/items/002501001/2026-00013").exists()


def test_a_saved_item_is_written_and_announced_before_the_rest_of_the_update(sample_preview, build_date):
    repo, preview, site = sample_preview
    preview.settle()  # whatever the test before left running
    item = repo / "content/zfb/2024/00004.md"
    page = site / "items/002501001/2024-00004/index.html"
    listing = site / "index.html"  # the home page's newest list does not show bodies
    seen = []
    preview.on_visible = lambda: seen.append((page.read_text(encoding="utf-8"), preview.generation))
    item.write_text(item.read_text(encoding="utf-8").rstrip("\n") + "\n\n先行更新的正文。\n", encoding="utf-8")
    before = preview.generation
    report = preview.update({"content/zfb/2024/00004.md"})
    assert report.ok and report.first is not None and report.first <= report.seconds
    assert len(seen) == 1 and "先行更新的正文" in seen[0][0] and seen[0][1] > before
    assert preview.generation > seen[0][1]  # and once more when the whole update is done
    assert listing.exists()
    preview.settle()
    # a save that changes no public item's page (a catalog file) has nothing to show first
    seen.clear()
    catalog = repo / "catalog/synonyms.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert preview.update({"catalog/synonyms.yml"}).first is None and not seen
    preview.on_visible = None


@pytest.mark.parametrize("host, bound, answered", [
    ("127.0.0.1:8000", "127.0.0.1", True),
    ("localhost:8000", "127.0.0.1", True),
    ("[::1]:8000", "127.0.0.1", True),
    ("LOCALHOST.:8000", "127.0.0.1", True),
    ("rebind.example:8000", "127.0.0.1", False),
    ("127.0.0.1.rebind.example", "127.0.0.1", False),
    ("192.168.1.5:8000", "127.0.0.1", False),
    # listening on every address (to preview from a phone): any address in digits, no name
    ("192.168.1.5:8000", "0.0.0.0", True),
    ("rebind.example:8000", "0.0.0.0", False),
    ("laptop.local:8000", "laptop.local", True),
])
def test_the_preview_answers_only_its_own_host_names(host, bound, answered):
    assert preview_server.own_host(host, bound) is answered


def test_a_wrong_build_date_is_one_chinese_problem_naming_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_BUILD_DATE", "2026-02-30")
    preview = Preview(ROOT / "mkdocs.yml", tmp_path / "live", URL)
    assert not preview.full().ok
    assert [p.format() for p in preview.problems] == [
        "环境变量 GONGKAI_BUILD_DATE: 应为 YYYY-MM-DD 格式的日期（如 2026-03-01），而不是“2026-02-30”："
        "请改正或删除它（删除则按今天生成）"]
    assert not (tmp_path / "live").exists()
