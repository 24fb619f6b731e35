"""The preview server (``make serve``): incremental updates equal a clean build, a failed
update shows the problems in the browser, drafts are seen only in the preview."""

from __future__ import annotations

import random
import re
import socket
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


def test_a_failed_save_is_reported_and_the_next_one_recovers(tmp_path, build_date):
    repo = copy_project(tmp_path / "repo")
    preview = Preview(repo / "mkdocs.yml", tmp_path / "live", URL)
    assert preview.full().ok
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


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _wait_for(url: str, test, timeout: float = 60.0) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, body = _fetch(url)
            if test(status, body):
                return status, body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url}: not as expected after {timeout} s")
        time.sleep(0.2)


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
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while not any("预览地址" in line for line in lines):
            assert proc.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
        text = "".join(lines)
        assert f"端口 {port} 已被占用" in text and "Traceback" not in text
        served = int(re.search(r"http://127\.0\.0\.1:(\d+)/xxgk/", text)[1])
        assert served != port
        base = f"http://127.0.0.1:{served}/xxgk/"
        # the sample's draft is visible, with its banner, in the preview only
        status, draft = _fetch(base + "items/002501001/2026-00013/")
        assert status == 200 and "草稿，仅预览可见" in draft and "GONGKAI-DRAFT-MARKER-7Q3" in draft
        # a broken save: the page names the file, line and field; fixed, the page comes back
        item = repo / "content/zfb/2024/00004.md"
        good = item.read_text(encoding="utf-8")
        item.write_text(good.replace("发布机构: ", "发布机构: 不存在的机关", 1), encoding="utf-8")
        status, page = _wait_for(base + "items/002501001/2024-00004/", lambda s, b: s == 500)
        line = next(i for i, t in enumerate(good.splitlines(), 1) if t.startswith("发布机构"))
        assert "预览未能更新" in page and f"content/zfb/2024/00004.md:{line}: 发布机构: " in page
        item.write_text(good + "\n修复后的正文。\n", encoding="utf-8")
        _wait_for(base + "items/002501001/2024-00004/", lambda s, b: s == 200 and "修复后的正文" in b)
        # a file at the top that is not mkdocs.yml (a log, say) changes nothing: no update
        time.sleep(1.0)
        updates = sum("已更新" in line for line in lines)
        for n in range(3):
            (repo / "serve.log").write_text(f"第 {n} 行\n", encoding="utf-8")
            time.sleep(0.3)
        time.sleep(1.5)
        assert sum("已更新" in line for line in lines) == updates, "".join(lines[-5:])
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        taken.close()


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


def test_a_saved_item_is_written_and_announced_before_the_rest_of_the_update(tmp_path, build_date):
    repo = copy_project(tmp_path / "repo")
    preview = Preview(repo / "mkdocs.yml", tmp_path / "site", URL)
    assert preview.full().ok
    preview.settle()
    item = repo / "content/zfb/2024/00004.md"
    page = tmp_path / "site/items/002501001/2024-00004/index.html"
    listing = tmp_path / "site/index.html"  # the home page's newest list does not show bodies
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
    preview.close()
