"""The search index: lunr's own weights, split by term without changing any score,
nothing non-public in it, and the search page and header box that use it."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import search_relevance
from lunr.builder import Builder

from gongkai.pipeline import load_site
from gongkai.render.pages import Renderer
from gongkai.render.search import site_pages
from gongkai.search.documents import documents
from gongkai.search.index import FIELDS, Postings, field_tokens, site_names

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT, dt.date(2026, 11, 26))


def all_tokens(site) -> list[list[list[str]]]:
    """Every indexed document's field tokens, in document order (items, pages, attachments)."""
    names = site_names(site)
    return [field_tokens(d, names) for d in documents(site, site_pages(site, Renderer(site)))]


def lunr_py_index(site) -> dict:
    """The whole index as lunr.py's Builder makes it from the same tokens."""
    builder = Builder()
    builder.pipeline.reset()
    builder.search_pipeline.reset()
    builder.ref("ref")
    for f in FIELDS:
        builder.field(f.name, boost=f.boost)
    for ref, tokens in enumerate(all_tokens(site)):
        builder.add({"ref": str(ref), **{f.name: t for f, t in zip(FIELDS, tokens, strict=False)}})
    return builder.build().serialize()


@pytest.mark.slow
def test_weights_and_term_indices_are_lunr_pys(site):
    reference = lunr_py_index(site)
    term_index = {term: posting["_index"] for term, posting in reference["invertedIndex"]}
    vectors = {ref: dict(zip(v[::2], v[1::2], strict=False)) for ref, v in reference["fieldVectors"]}
    postings = Postings(FIELDS)
    for tokens in all_tokens(site):
        postings.add(tokens)
    compared = 0
    for term, index, fields in postings.weighted():
        assert term_index[term] == index, term
        for f, flat in zip(FIELDS, fields, strict=False):
            doc = 0
            for delta, weight in zip(flat[::2], flat[1::2], strict=False):
                doc += delta
                # lunr.py rounds half to even, lunr.js half up: at most 0.001 apart
                assert abs(vectors[f"{f.name}/{doc}"][index] - weight / 1000) <= 0.0010001, (term, f.name, doc)
                compared += 1
    assert len(term_index) == len(postings.terms)
    assert compared == sum(len(v) for v in vectors.values())


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_sharded_index_scores_exactly_as_the_whole_index(site, built_site, tmp_path):
    """lunr.js over the shards a query loads == lunr.js over lunr.py's whole index."""
    full = tmp_path / "full.json"
    full.write_text(json.dumps(lunr_py_index(site), ensure_ascii=False), encoding="utf-8")
    queries = tmp_path / "queries.json"
    qs = [q["query"] for q in search_relevance.queries()]
    queries.write_text(json.dumps(qs, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([NODE, str(ROOT / "tests/js/run_queries.js"), str(built_site), str(queries), str(full)],
                         capture_output=True, text=True, check=True)
    rows = json.loads(out.stdout)
    compared = [r for r in rows if "full" in r]
    # every query a lunr query can express (one phrase per word, no synonym or name alternative)
    assert len(compared) >= 40 and sum(len(r["refs"]) for r in compared) > 200
    for row in compared:
        assert row["refs"] == row["full"]["refs"], row["query"]
        assert row["scores"] == pytest.approx(row["full"]["scores"], rel=1e-9), row["query"]


def test_a_query_fetches_a_few_shards_not_the_index(built_site):
    meta = json.loads((built_site / "search/idx/meta.json").read_text(encoding="utf-8"))
    shards = list((built_site / "search/idx" / meta["version"] / "t").glob("*.json"))
    assert meta["shards"] == len(shards) > 1
    assert meta["items"] == len(list((built_site / "items").glob("*/*/index.html")))
    assert meta["documents"] > meta["items"]  # pages and attachments too


def test_nothing_non_public_reaches_the_index(site, built_site):
    hidden = [i for i in site.items if i.id not in site.by_id]
    assert hidden, "the sample site should hold drafts or embargoed items"
    text = "\n".join(p.read_text(encoding="utf-8") for p in (built_site / "search").rglob("*")
                     if p.is_file())
    for item in hidden:
        assert item.title not in text
        assert json.dumps(item.id) not in text
        for a in item.attachments:
            assert a.title not in text and a.file not in text
    assert "GONGKAI-EMBARGO" not in text
    # register rows (annual-report sources) are never indexed, though the statistics pages are
    assert "YSQ2023-011" not in text and "annual/2025/statistics/" in text


def test_attachments_of_hidden_items_are_not_indexed(tmp_path):
    """A draft and an embargoed item, each with its own text attachment: neither
    reaches the index, while a public item's attachment text does."""
    from conftest import copy_project

    from gongkai.search.index import build_index

    project = copy_project(tmp_path / "p")
    folder = project / "content/cgj/2025"
    text = (folder / "00007.md").read_text(encoding="utf-8")
    for n, (flag, date) in enumerate([("草稿: true\n", "2025-11-04"), ("", "2027-06-01")]):
        copy = text.replace("索引号: 002501003/2025-00007", f"索引号: 002501003/2025-{90 + n:05d}")
        copy = copy.replace("文件: 采购需求.txt", f"文件: hidden{n}.txt")
        copy = re.sub(r"^发布日期: .*$", f"发布日期: {date}", copy, count=1, flags=re.M)
        copy = copy.replace("---\n", "---\n" + flag, 1)
        (folder / f"{90 + n:05d}.md").write_text(copy, encoding="utf-8")
        (folder / f"hidden{n}.txt").write_text(f"内部测试专用词{'甲乙'[n]}\n", encoding="utf-8")
    site = load_site(project, dt.date(2026, 11, 26))
    hidden = {"002501003/2025-00090", "002501003/2025-00091"}
    assert hidden <= {i.id for i in site.items} and not hidden & set(site.by_id)
    blob = b"".join(build_index(site).files.values()).decode("utf-8")
    assert "测试专用" not in blob and "hidden0" not in blob and "hidden1" not in blob
    assert "002501003/2025-00090" not in blob
    assert "主次干道" in blob  # the public item's attachment, 采购需求.txt


def test_material_search_index_is_not_built(built_site):
    """Material's plugin would carry every item body a second time, with no 发文字号 lookup."""
    assert not list(built_site.rglob("search_index.json"))
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in home  # no Material search dialog either


def test_every_page_has_a_header_search_box_to_the_search_page(built_site):
    for page in ["index.html", "catalogue/index.html", "items/002501001/2025-00009/index.html"]:
        html = (built_site / page).read_text(encoding="utf-8")
        form = re.search(r'<form class="gk-header-search"[^>]*action="([^"]+)"[^>]*method="get"', html)
        assert form, page
        action = form.group(1)
        assert not action.startswith(("/", "http")), action  # relative: works under a sub-path
        target = (built_site / page).parent / action / "index.html"
        assert target.resolve() == (built_site / "search/index.html").resolve()
        assert 'name="q"' in html


def test_search_page_loads_only_local_scripts(built_site):
    html = (built_site / "search/index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    ours = [s for s in scripts if "assets/search/" in s]
    # named by their content (gongkai.deploy.fingerprint), so a browser may keep them for a year
    names = [re.sub(r"\.[0-9a-f]{8}\.js$", ".js", Path(s).name) for s in ours]
    assert names == ["tokens.js", "pinyin.js", "engine.js", "boot.js", "query.js", "search.js"]
    assert all(re.search(r"\.[0-9a-f]{8}\.js$", s) for s in ours), ours
    # the engine and the URL's query start in <head>, before the stylesheets load
    head = html.split("<link rel=\"stylesheet\"", 1)[0]
    assert [Path(s).name for s in re.findall(r'<script[^>]+src="([^"]+)"', head)] == [Path(s).name for s in ours[:4]]
    for src in scripts:
        assert not re.match(r"(https?:)?//", src), src
        assert ((built_site / "search") / src.split("?")[0]).resolve().is_file(), src


@pytest.mark.slow
@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_common_pairs_heads_and_stop_pairs_keep_the_relevance_goal(site, tmp_path):
    """The sample has no pair in 600 documents; with a threshold of 8 most of its pairs are
    common, so stop pairs, heads, the rarest-pair fallback and complete() all run, and the
    relevance set must still meet its goal while the first results need fewer bytes."""
    from gongkai.render.search import site_pages
    from gongkai.search.index import build_index

    pages = list(site_pages(site, Renderer(site)))
    dirs = {}
    for name, common in [("exact", 10**9), ("common", 8)]:
        out = tmp_path / name
        for path, content in build_index(site, pages, common_df=common, head=6).files.items():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_bytes(content)
        dirs[name] = out
    queries = tmp_path / "q.json"
    queries.write_text(json.dumps([q["query"] for q in search_relevance.queries()] + ["审批"],
                                  ensure_ascii=False), encoding="utf-8")
    rows = {}
    for name, out in dirs.items():
        run = subprocess.run([NODE, str(ROOT / "tests/js/run_queries.js"), str(out), str(queries)],
                             capture_output=True, text=True, check=True)
        rows[name] = {r["query"]: r for r in json.loads(run.stdout)}
    common = rows["common"]
    assert sum(any(f.startswith("h/") for f in r["files"]) for r in common.values()) >= 10
    fig = search_relevance.figures({q: (r["ids"], r["mode"]) for q, r in common.items() if q != "审批"})
    print(f"\ncommon pairs >8 documents: recall@10 {fig.recall_at_10:.3f}, first {fig.first_share:.1%}")
    assert fig.recall_at_10 >= 0.95 and fig.first_share >= 0.85, fig.failures

    # a single common pair: once complete, the result is the exact one
    for q in ["公示", "审批"]:
        exact, approx = rows["exact"][q], common[q]
        assert any(f.startswith("h/") for f in approx["files"]), q
        assert approx["ids"] == exact["ids"], q
    # bytes are bench/search.py's business: on 150 documents a head is hardly shorter than its list


def test_text_of_pdf_docx_and_xlsx_attachments_is_searchable(tmp_path):
    """The index reads attachments with the guard's own extractor (read/extract.py), so a
    word that only appears inside a public item's PDF, DOCX or XLSX finds that item."""
    import attachment_files
    from conftest import copy_project

    from gongkai.search.index import build_index

    project = copy_project(tmp_path / "p")
    folder = project / "content/cgj/2025"
    attachment_files.pdf(folder / "scheme.pdf", "Zhuanyongci scheme")
    attachment_files.docx(folder / "notice.docx", body="文档专用词乙")
    attachment_files.xlsx(folder / "list.xlsx", text="表格专用词丙")
    text = (folder / "00007.md").read_text(encoding="utf-8")
    text = text.replace("  - 文件: 采购需求.txt", "  - 文件: 采购需求.txt\n  - 文件: scheme.pdf\n"
                        "  - 文件: notice.docx\n  - 文件: list.xlsx")
    (folder / "00007.md").write_text(text, encoding="utf-8")
    site = load_site(project, dt.date(2026, 11, 26))
    blob = b"".join(build_index(site).files.values()).decode("utf-8")
    for token in ("zhuanyongci", "词乙", "词丙"):  # one from each file; nowhere else on the site
        assert token in blob.lower(), token
