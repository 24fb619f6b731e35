"""catalogue.json/.csv, Atom feeds and sitemap.xml, checked with the tools their users have."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import jsonschema
import pytest
import yaml
from conftest import BUILD_DATE, ROOT
from lxml import etree
from sitehtml import anchors, article, page_html, resolve

from gongkai.pipeline import load_site
from gongkai.render import sitemap as sitemap_module
from gongkai.render.outputs import render_site

DATA = Path(__file__).parent / "data"
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\ntheme:")[0])["site_url"]
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def sample():
    return load_site(ROOT, dt.date.fromisoformat(BUILD_DATE))


@pytest.fixture(scope="module")
def document(built_site) -> dict:
    return json.loads((built_site / "catalogue.json").read_text(encoding="utf-8"))


# --- catalogue.json --------------------------------------------------------------------------

def test_catalogue_json_validates_against_its_published_schema(built_site, document):
    schema = json.loads((built_site / "catalogue.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(validator.iter_errors(document)) == []
    # the schema has teeth: a wrong type, a missing key and an unknown key are all caught
    broken = json.loads(json.dumps(document))
    broken["items"][0]["published"] = "2025年3月18日"
    del broken["items"][1]["id"]
    broken["items"][2]["review"] = {"reviewer": "王丽"}
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "is not a 'date'" in messages and "'id' is a required property" in messages
    assert "Additional properties are not allowed ('review'" in messages


def test_catalogue_json_holds_every_published_item_and_nothing_else(built_site, document, sample):
    assert document["count"] == len(document["items"])
    assert [r["id"] for r in document["items"]] == [i.id for i in sample.public_items]
    assert document["generated"] == BUILD_DATE
    for row in document["items"]:
        html = page_html(built_site, row["url"])
        assert f"<td>{row['id']}</td>" in html  # url is the item's path from the site root
        for attachment in row["attachments"]:
            assert (built_site / attachment["url"]).stat().st_size == attachment["size"]
    text = (built_site / "catalogue.json").read_text(encoding="utf-8")
    reviewers = {i.review.reviewer for i in sample.items if i.review}
    assert reviewers and not any(name in text for name in reviewers)  # review records stay private
    hidden = [i for i in sample.items if i not in sample.public_items]
    assert hidden and not any(i.id in text for i in hidden)


# --- catalogue.csv ---------------------------------------------------------------------------

def _csv_projection(row: dict) -> list[str]:
    """What a CSV row must say for a JSON item: same values, lists joined with ；."""
    def cell(key):
        value = row[key]
        if key == "attachments":
            return str(len(value))
        if key == "url":
            return SITE_URL + value
        if isinstance(value, list):
            return "；".join(value)
        return "" if value is None else str(value)
    keys = ["id", "title", "agency", "agency_code", "category", "category_name", "created", "published",
            "doc_number", "status", "repealed", "superseded_by", "topic", "keywords", "summary",
            "disclosure", "audience", "channels", "interprets", "attachments", "url"]
    return [cell(k) for k in keys]


def test_csv_opens_in_excel_and_round_trips_through_the_csv_module(built_site, document):
    raw = (built_site / "catalogue.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 instead of GBK
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["索引号", "标题", "发布机构", "机构代码"] and rows[0][-1] == "网址"
    assert rows[1:] == [_csv_projection(r) for r in document["items"]]
    again = io.StringIO(newline="")
    csv.writer(again, lineterminator="\r\n").writerows(rows)
    assert again.getvalue().encode("utf-8-sig") == raw


# --- Atom feeds ------------------------------------------------------------------------------

def _entries(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_site_feed_parses_and_holds_the_newest_50(built_site, document):
    feed = _entries(built_site / "feed.xml")
    expected = document["items"][:50]
    assert len(expected) == 50  # the sample is larger than one feed
    assert [e.link for e in feed.entries] == [SITE_URL + r["url"] for r in expected]
    assert [e.title for e in feed.entries] == [r["title"] for r in expected]
    assert feed.entries[0].published.startswith(expected[0]["published"])
    assert feed.feed.links[0].href == SITE_URL + "feed.xml"


def test_every_category_has_a_feed_of_its_own_items(built_site, document, sample):
    for code, category in sample.category_by_code.items():
        codes = {c.code for c in category.walk()}
        feed = _entries(built_site / "catalogue" / code / "feed.xml")
        expected = [r for r in document["items"] if r["category"] in codes][:50]
        assert [e.id for e in feed.entries] == [SITE_URL + r["url"] for r in expected], code
        page = page_html(built_site, f"catalogue/{code}/")
        assert any(resolve(f"catalogue/{code}/", a["href"]) == f"catalogue/{code}/feed.xml"
                   for a, _ in anchors(article(page)))


# --- sitemap.xml -----------------------------------------------------------------------------

def test_there_is_one_sitemap_it_is_valid_and_lists_exactly_the_public_pages(built_site, sample):
    assert not (built_site / "sitemap.xml.gz").exists()  # MkDocs' own is switched off
    schema = etree.XMLSchema(etree.parse(str(DATA / "sitemap.xsd")))
    doc = etree.parse(str(built_site / "sitemap.xml"))
    assert schema.validate(doc), schema.error_log
    locs = [u.findtext(f"{SM}loc") for u in ET.parse(built_site / "sitemap.xml").getroot()]
    assert len(locs) == len(set(locs))
    pages = {p.parent.relative_to(built_site).as_posix() + "/" for p in built_site.rglob("index.html")}
    pages = {"" if p == "./" else p for p in pages}
    assert {SITE_URL + p for p in pages} == set(locs)
    hidden = [i for i in sample.items if i not in sample.public_items]
    assert not any(SITE_URL + i.url in locs for i in hidden)
    lastmods = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in ET.parse(built_site / "sitemap.xml").getroot()}
    plain = next(i for i in sample.public_items if i.repealed is None)
    assert lastmods[SITE_URL + plain.url] == plain.published.isoformat()
    repealed = next(i for i in sample.public_items if i.repealed and i.repealed <= sample.build_date)
    assert lastmods[SITE_URL + repealed.url] == repealed.repealed.isoformat()  # the repeal is news
    newest_policy = max(i.published for i in sample.public_items if i.category.code == "gfxwj")
    assert lastmods[SITE_URL + "catalogue/gfxwj/"] >= newest_policy.isoformat()


def test_large_sites_get_a_sitemap_index(sample, monkeypatch):
    monkeypatch.setattr(sitemap_module, "MAX_URLS", 25)
    out = render_site(sample, SITE_URL)
    files = {f.src_uri: f.content for f in out.files if f.src_uri.startswith("sitemap")}
    index = etree.fromstring(files.pop("sitemap.xml"))
    assert etree.XMLSchema(etree.parse(str(DATA / "siteindex.xsd"))).validate(index)
    listed = [loc.text for loc in index.iter(f"{SM}loc")]
    assert listed == [SITE_URL + name for name in sorted(files, key=lambda n: int(n[8:-4]))]
    schema = etree.XMLSchema(etree.parse(str(DATA / "sitemap.xsd")))
    urls = []
    for content in files.values():
        part = etree.fromstring(content)
        assert schema.validate(part) and len(part) <= 25
        urls += [loc.text for loc in part.iter(f"{SM}loc")]
    assert sorted(urls) == sorted(SITE_URL + p.url for p in out.pages)


def test_human_sitemap_links_every_column_and_category(built_site, sample):
    html = article(page_html(built_site, "sitemap/"))
    targets = {resolve("sitemap/", a["href"]) for a, _ in anchors(html)}
    for url in ("", "guide/", "rules/", "catalogue/", "apply/", "agency/", "year/", "topic/", "library/",
                "library/in-force/", "catalogue.csv", "catalogue.json", "feed.xml"):
        assert url in targets, url
    for category in sample.category_by_code.values():
        assert category.url in targets
    for agency in sample.agencies:
        assert f"agency/{agency.slug}/" in targets
    assert not any(t.startswith("items/") for t in targets)
    home = article(page_html(built_site, ""))
    assert any(resolve("", a["href"]) == "sitemap/" and text == "网站地图" for a, text in anchors(home))
    deep = "catalogue/zcwj/page/2/"
    footer = page_html(built_site, deep).split('class="md-copyright gk-footer"')[1]
    assert any(resolve(deep, a["href"]) == "sitemap/" and text == "网站地图" for a, text in anchors(footer))
