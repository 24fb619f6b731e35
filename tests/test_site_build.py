"""The sample site builds, and what citizens receive is complete, public-only and self-hosted."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from conftest import (
    BUILD_DATE,
    ROOT,
    build_with_broken_field,
    copy_project,
    file_digests,
    mkdocs_build,
)

from gongkai.pipeline import load_site

DRAFT_MARKER = "GONGKAI-DRAFT-MARKER-7Q3"
EMBARGO_MARKER = "GONGKAI-EMBARGO-MARKER-5K8"


@pytest.fixture(scope="module")
def sample():
    return load_site(ROOT, dt.date.fromisoformat(BUILD_DATE))


def text_files(site_dir: Path):
    for path in site_dir.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".csv", ".txt", ".js", ".css", ".svg"}:
            yield path


def test_sample_site_has_the_promised_shape(sample):
    assert len(sample.agencies) >= 3
    assert len(sample.items) >= 80
    years = {i.published.year for i in sample.public_items}
    assert len(years) >= 3
    assert len({i.category.code for i in sample.public_items}) >= 10
    assert any(i.draft for i in sample.items)
    assert any(i.published > dt.date.fromisoformat(BUILD_DATE) for i in sample.items)
    assert any(i.interprets for i in sample.public_items)
    assert any(i.status == "废止" and i.superseded_by for i in sample.public_items)
    assert any(i.attachments for i in sample.public_items)
    assert any(i.notice_period for i in sample.public_items)


def test_every_public_item_has_a_page_with_the_metadata_box(sample, built_site):
    for item in sample.public_items:
        html = (built_site / item.url / "index.html").read_text(encoding="utf-8")
        box = html[html.index('<table class="gk-meta">'):html.index("</table>")]
        for label in ("索引号", "主题分类", "发布机构", "成文日期", "标题", "发文字号", "发布日期", "有效性"):
            assert f'<th scope="row">{label}</th>' in box
        assert f"<td>{item.id}</td>" in box
        assert f"<td>{item.published.isoformat()}</td>" in box
        assert f"<title>{escape(item.title)}" in html


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def test_repealed_item_says_so_and_links_its_replacement(sample, built_site):
    repealed = next(i for i in sample.public_items if i.status == "废止" and i.superseded_by)
    html = (built_site / repealed.url / "index.html").read_text(encoding="utf-8")
    assert "本文件已废止，不再有效" in html
    new = sample.by_id[repealed.superseded_by]
    assert f'href="../../../{new.url}"' in html or f'href="../{new.url.split("/")[-2]}/"' in html
    new_html = (built_site / new.url / "index.html").read_text(encoding="utf-8")
    assert "本文件替代了" in new_html and escape(repealed.title) in new_html


def test_interpretations_link_both_ways(sample, built_site):
    interpretation = next(i for i in sample.public_items if i.interprets in sample.by_id)
    policy = sample.by_id[interpretation.interprets]
    html = (built_site / interpretation.url / "index.html").read_text(encoding="utf-8")
    assert "解读的文件（原文）" in html and escape(policy.title) in html
    policy_html = (built_site / policy.url / "index.html").read_text(encoding="utf-8")
    assert "政策解读：" in policy_html and escape(interpretation.title) in policy_html


def test_attachments_are_published_beside_their_item(sample, built_site):
    item = next(i for i in sample.public_items if i.attachments)
    for a in item.attachments:
        copied = built_site / item.url / a.file
        assert copied.read_bytes() == (ROOT / a.source).read_bytes()
        html = (built_site / item.url / "index.html").read_text(encoding="utf-8")
        assert f'href="{quote(a.file)}"' in html and a.kind in html


def every_file(site_dir: Path):
    """Each built file with its text: pages, feeds, sitemap, JSON and CSV exports, the search
    index's shards, and binary files read as far as they hold text."""
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            yield path.relative_to(site_dir).as_posix(), path.read_text(encoding="utf-8", errors="replace")


def _index_terms(marker: str) -> tuple[str, ...]:
    """The search index's term-shard keys the marker's words become (lower case, one per word)."""
    return tuple(f'"{word.lower()}":' for word in marker.split("-")[1:])


def traces(files: list[tuple[str, str]], marker: str, item) -> dict[str, list[str]]:
    """Where a hidden item shows in a built site: the marker of its body in a file's text or as
    a search term, its 索引号, its page's address."""
    found: dict[str, list[str]] = {"marker": [], "term": [], "id": [], "url": []}
    for rel, text in files:
        if marker in text:
            found["marker"].append(rel)
        # term shards live under the index's versioned folder (search/idx/<version>/t/…)
        if re.match(r"search/idx/(?:[^/]+/)?t/", rel) and any(t in text for t in _index_terms(marker)):
            found["term"].append(rel)
        if item.id in text:
            found["id"].append(rel)
        if item.url in text:
            found["url"].append(rel)
    return found


def _embargoed(sample):
    (item,) = [i for i in sample.items if i.visibility(dt.date.fromisoformat(BUILD_DATE)) == "embargoed"]
    return item


def test_drafts_and_embargoed_items_reach_no_output(sample, built_site):
    hidden = [i for i in sample.items if i.visibility(dt.date.fromisoformat(BUILD_DATE)) != "public"]
    assert hidden
    assert EMBARGO_MARKER in (ROOT / _embargoed(sample).source).read_text(encoding="utf-8")
    files = list(every_file(built_site))
    for item in hidden:
        marker = EMBARGO_MARKER if item is _embargoed(sample) else DRAFT_MARKER
        assert traces(files, marker, item) == {"marker": [], "term": [], "id": [], "url": []}, item.id
        assert not (built_site / item.url).exists()


def test_embargoed_item_appears_once_its_date_has_come(tmp_path, sample):
    """The same scan finds the item everywhere it belongs once its date has come: the scan that
    finds nothing before the date is not blind."""
    item = _embargoed(sample)
    out = tmp_path / "site"
    mkdocs_build(ROOT, out, build_date="2027-01-04")
    found = traces(list(every_file(out)), EMBARGO_MARKER, item)
    page = f"{item.url}index.html"
    assert {page, "feed.xml", "catalogue.json", "catalogue.csv"} <= set(found["marker"]), found["marker"]
    # the index's shards live under a versioned folder (search/idx/<version>/d/…)
    assert any(re.match(r"search/idx/(?:[^/]+/)?d/", rel) for rel in found["marker"]), found["marker"]
    assert found["term"], "the body's words are not in the search index"
    assert "sitemap.xml" in found["url"] and page in found["id"]


def test_item_url_does_not_change_when_its_title_does_and_nothing_is_written_into_the_sources(tmp_path, sample):
    """One whole build of an edited copy proves both: the retitled item keeps its URL, and the
    build writes nothing into content/ or catalog/ (test_source_limits.py tries the ways of
    pointing the output at them)."""
    project = copy_project(tmp_path / "p")
    item = sample.public_items[0]
    source = project / item.source
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(item.title, "改过的标题：" + item.title, 1), encoding="utf-8")
    before = (file_digests(project / "content"), file_digests(project / "catalog"))
    out = tmp_path / "site"
    mkdocs_build(project, out)
    html = (out / item.url / "index.html").read_text(encoding="utf-8")
    assert "改过的标题：" in html
    assert (file_digests(project / "content"), file_digests(project / "catalog")) == before


def test_invalid_file_fails_the_build_with_file_line_and_field(tmp_path, sample):
    item = sample.public_items[0]
    built, output, line = build_with_broken_field(tmp_path, item.source, r"^(发布日期|published): .*$",
                                                  r"\1: 2025-02-30", "2025-02-30")
    assert not built
    assert f"{item.source}:{line}:" in output and "日期“2025-02-30”不存在" in output
    assert "网站未生成" in output
    assert not (tmp_path / "site" / item.url / "index.html").exists()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (tag in ("link", "script", "img") and name in ("href", "src"))):
                self.urls.append(value)


def test_site_served_under_a_sub_path_has_no_broken_links(served_site):
    """Crawl from the home page under /xxgk/: every local link and asset answers 200."""
    base = urlsplit(served_site)
    seen, queue, pages = set(), [served_site], 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        with urllib.request.urlopen(url) as resp:  # raises on 404
            assert resp.status == 200, url
            if "text/html" not in resp.headers.get("Content-Type", ""):
                continue
            html = resp.read().decode("utf-8")
        pages += 1
        links = _Links()
        links.feed(html)
        for href in links.urls:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc != base.netloc:
                continue
            assert parts.path.startswith(base.path), (url, href)  # never escapes the sub-path
            assert unquote(parts.path) != parts.path or parts.path.isascii(), (url, href)  # encoded
            queue.append(parts._replace(fragment="", query="").geturl())
    assert pages >= 80
