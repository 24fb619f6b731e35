"""The build cache (GONGKAI_CACHE): a cached build writes the same bytes as a clean one, an edit
or a catalog change converts again exactly what changed, and a damaged or forged cache never
reaches the site."""

from __future__ import annotations

import json
import os
import re

import pytest
from conftest import copy_project, file_digests, mkdocs_build

from gongkai.render.build_cache import BuildCache, Verdicts, digest

_SUMMARY = re.compile(r"页面转换 命中 (\d+)、重新生成 (\d+)")


def _pages(result) -> tuple[int, int]:
    """(pages taken from the cache, pages converted) as the build reports them."""
    found = _SUMMARY.search(result.stderr)
    assert found, result.stderr[-2000:]
    return int(found.group(1)), int(found.group(2))


def _cached(monkeypatch, cache, project, out, **kw):
    with monkeypatch.context() as env:
        env.setenv("GONGKAI_CACHE", str(cache))
        return mkdocs_build(project, out, **kw)


def _clean(project, out):
    """A full clean build (no cache), every file's digest."""
    mkdocs_build(project, out)
    return file_digests(out)


def _entries(cache, kind="page"):
    return sorted(p for p in cache.rglob("*") if p.is_file() and p.parent.name == kind)


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


@pytest.mark.build
def test_cold_warm_edited_and_recatalogued_builds_equal_clean_builds(project, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    monkeypatch.setenv("GONGKAI_PARALLEL_MIN_PAGES", "1")  # the forked converters fill and read it too
    cache = tmp_path / "cache"
    clean = _clean(project, tmp_path / "clean")
    cold = _cached(monkeypatch, cache, project, tmp_path / "cold")
    hits, converted = _pages(cold)
    assert hits == 0 and converted > 100
    assert file_digests(tmp_path / "cold") == clean
    warm = _cached(monkeypatch, cache, project, tmp_path / "warm")
    assert _pages(warm) == (converted, 0)
    summary = next(line for line in warm.stderr.splitlines() if "构建缓存" in line)
    assert re.findall(r"重新生成 (\d+)", summary) == ["0"] * 4, summary  # pages, their verdicts, files
    assert file_digests(tmp_path / "warm") == clean

    # one item edited: its page and the listings that show it are converted, nothing else
    item = sorted((project / "content" / "zfb").rglob("*.md"))[0]
    item.write_text(item.read_text(encoding="utf-8") + "\n\n本通知自发布之日起施行。\n", encoding="utf-8")
    edited = _cached(monkeypatch, cache, project, tmp_path / "edited")
    hits, again = _pages(edited)
    assert 1 <= again < 10 and hits + again == converted
    assert file_digests(tmp_path / "edited") == _clean(project, tmp_path / "e0")
    assert "本通知自发布之日起施行。" in (tmp_path / "edited" / _page_of(tmp_path / "edited", item)).read_text()

    # a catalog file changed: what gongkai generates around the authors' text is never taken from
    # the cache (only the authors' Markdown is converted by MkDocs), so the new text is there
    agencies = project / "catalog" / "agencies.yml"
    text = agencies.read_text(encoding="utf-8")
    assert "负责县政府日常运转" in text
    agencies.write_text(text.replace("负责县政府日常运转", "负责县政府机关日常运转"), encoding="utf-8")
    recatalogued = _cached(monkeypatch, cache, project, tmp_path / "recat")
    hits, again = _pages(recatalogued)
    assert hits + again == converted
    recat = file_digests(tmp_path / "recat")
    assert recat == _clean(project, tmp_path / "c0")
    assert recat != file_digests(tmp_path / "edited")
    assert any("负责县政府机关日常运转" in p.read_text(encoding="utf-8")
               for p in (tmp_path / "recat").rglob("index.html"))


def _page_of(site, item):
    # the item's page is the one whose HTML carries its new sentence: found, not assumed
    for page in site.rglob("index.html"):
        if "本通知自发布之日起施行。" in page.read_text(encoding="utf-8"):
            return page.relative_to(site)
    raise AssertionError(f"no page shows the edit of {item}")


@pytest.mark.build
def test_damaged_entries_are_ignored_and_rebuilt(project, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_JOBS", "1")
    cache = tmp_path / "cache"
    clean_result = _cached(monkeypatch, cache, project, tmp_path / "clean")
    clean = file_digests(tmp_path / "clean")
    entries = _entries(cache)
    head, _, payload = entries[0].read_bytes().partition(b"\n")
    entries[0].write_bytes(head + b"\n" + payload[: len(payload) // 2])  # cut short
    head, _, payload = entries[1].read_bytes().partition(b"\n")
    entries[1].write_bytes(head + b"\n" + payload.replace(b"<", b"<b>", 1))  # changed, digest kept
    head, _, payload = entries[2].read_bytes().partition(b"\n")
    words = head.split(b" ")
    words[2] = b"0" * len(words[2])  # another code version
    entries[2].write_bytes(b" ".join(words) + b"\n" + payload)
    decoy = tmp_path / "decoy"
    decoy.write_bytes(entries[3].read_bytes())  # the very entry: followed, it would be a hit
    entries[3].unlink()
    entries[3].symlink_to(decoy)  # a link is never followed, even to a well-formed entry
    result = _cached(monkeypatch, cache, project, tmp_path / "again")
    assert _pages(result) == (_pages(clean_result)[1] - 4, 4)
    assert "4 个缓存文件损坏或不可信，已忽略并重新生成" in result.stderr
    assert file_digests(tmp_path / "again") == clean
    assert not entries[3].is_symlink()  # written again, as a file of its own


@pytest.mark.build
def test_a_forged_entry_is_judged_like_fresh_html(project, tmp_path, monkeypatch):
    """Someone who can write the cache and compute its digests: what the entry says is still
    judged by the guards, so a script in it stops the build."""
    monkeypatch.setenv("GONGKAI_JOBS", "1")
    cache = tmp_path / "cache"
    _cached(monkeypatch, cache, project, tmp_path / "clean")
    target = next(p for p in _entries(cache) if "<h2" in p.read_text(encoding="utf-8"))
    head, _, payload = target.read_bytes().partition(b"\n")
    _, _, version, kind, key, _ = head.decode().split(" ")
    store = BuildCache(cache, version)
    entry = json.loads(payload)
    entry["content"] = entry["content"].replace("<h2", "<script>alert(1)</script><h2", 1)
    store.put_json(kind, key, entry)  # a correct digest over the forged payload
    assert store.get_json(kind, key) == entry
    result = _cached(monkeypatch, cache, project, tmp_path / "forged", check=False)
    assert result.returncode != 0
    assert "网站未生成" in result.stderr
    assert "不能发布" in result.stderr
    assert not any("alert(1)" in p.read_text(encoding="utf-8") for p in tmp_path.glob("forged/**/*.html"))


@pytest.mark.build
def test_a_cache_inside_the_content_is_refused(project, tmp_path, monkeypatch):
    result = _cached(monkeypatch, project / "content" / ".cache", project, tmp_path / "site", check=False)
    assert result.returncode != 0
    assert "构建缓存目录 GONGKAI_CACHE=" in result.stderr and "不能放在 content/" in result.stderr
    assert not (project / "content" / ".cache").exists()


@pytest.mark.build
def test_without_the_setting_nothing_is_cached(project, tmp_path, monkeypatch):
    monkeypatch.delenv("GONGKAI_CACHE", raising=False)
    result = mkdocs_build(project, tmp_path / "site")
    assert "构建缓存" not in result.stderr
    assert not any(p.name.startswith(".cache") for p in project.iterdir())


# --- the store on its own ----------------------------------------------------------------------

def test_a_secret_makes_entries_of_anyone_without_it_untrusted(tmp_path):
    key = digest("page", "x")
    BuildCache(tmp_path, "v1").put("page", key, b"payload")  # written without the secret
    signed = BuildCache(tmp_path, "v1", secret="s3cret")
    assert signed.get("page", key) is None and signed.stats.rejected == 1
    signed.put("page", key, b"payload")
    assert BuildCache(tmp_path, "v1", secret="s3cret").get("page", key) == b"payload"
    assert BuildCache(tmp_path, "v1").get("page", key) is None
    assert BuildCache(tmp_path, "v1", secret="other").get("page", key) is None


def test_a_verdict_holds_only_for_the_same_bytes_and_day(tmp_path):
    import datetime as dt

    store = BuildCache(tmp_path, "v1")
    today = Verdicts(store, dt.date(2026, 11, 26))
    today.remember("reader", "<p>无号码</p>")
    assert today.clean("reader", "<p>无号码</p>")
    assert not today.clean("reader", "<p>无号码。</p>")
    assert not today.clean("markup", "<p>无号码</p>")
    assert not Verdicts(store, dt.date(2026, 11, 27)).clean("reader", "<p>无号码</p>")
    assert not Verdicts(BuildCache(tmp_path, "v2"), dt.date(2026, 11, 26)).clean("reader", "<p>无号码</p>")


def test_a_linked_folder_inside_the_cache_is_not_followed(tmp_path):
    key = digest("page", "y")
    BuildCache(tmp_path / "cache", "v1").put("page", key, b"one")
    folder = next(p for p in (tmp_path / "cache").rglob("page") if p.is_dir())
    elsewhere = tmp_path / "elsewhere"
    folder.rename(elsewhere)
    os.symlink(elsewhere, folder)
    store = BuildCache(tmp_path / "cache", "v1")  # the next build
    assert store.get("page", key) is None
    store.put("page", digest("page", "z"), b"two")  # not written through the link either
    assert sorted(p.name for p in elsewhere.iterdir()) == [key]


@pytest.mark.parametrize("forge", [".github", ".gitea"])
def test_publish_keeps_the_cache_per_branch(forge):
    """The publish pipeline restores and saves the folder it builds with, under a key that names
    the branch (its restore prefix too), so main never restores a cache another branch saved."""
    import yaml
    from conftest import ROOT

    doc = yaml.safe_load((ROOT / forge / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    steps = doc["jobs"]["build"]["steps"]
    cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache@"))
    build = next(s for s in steps if "make build" in s.get("run", ""))
    assert steps.index(cache) < steps.index(build)
    assert f"CACHE={cache['with']['path']}" in build["run"]
    assert "github.ref_name" in cache["with"]["key"] and "github.ref_name" in cache["with"]["restore-keys"]
    assert "secrets.GONGKAI_CACHE_SECRET" in build["env"]["GONGKAI_CACHE_SECRET"]


def test_an_entry_whose_title_or_contents_list_is_not_its_html_is_not_trusted():
    """The theme shows a page's title and table of contents beside the judged HTML: an entry is
    used only if they are what that HTML's headings give."""
    from mkdocs_fast.page_cache import _valid

    def entry(title=None, toc_title="一、总体情况", anchor="zongti"):
        return {"content": '<h2 id="zongti">一、总体情况</h2><p>正文</p>', "title": title, "anchors": ["zongti"],
                "toc": [[toc_title, anchor, 2, []]], "links": None, "lookups": {}, "log": []}

    assert _valid(entry()) is not None
    assert _valid(entry(toc_title='<img src="x" onerror="alert(2)">')) is None
    assert _valid(entry(anchor='zongti" onmouseover="alert(3)')) is None
    assert _valid(entry(anchor="elsewhere")) is None
    assert _valid(entry(title="<script>alert(4)</script>")) is None
    assert _valid(dict(entry(), content=7)) is None
