"""``gongkai cms-config``: the web editor's forms come from the schema and the catalog, and
``check`` refuses a committed configuration that no longer matches them."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from sitekit import ROOT, gongkai, item, make_site

from gongkai.load.loader import Repository, load_catalog
from gongkai.problems import Problems
from gongkai.schema.front_matter import FrontMatter

CMS = "cms: {backend: forgejo, repo: qinghe/xxgk, base_url: https://git.qinghe.example.gov.cn}\n"


@pytest.fixture
def site(tmp_path):
    root = make_site(tmp_path / "site")
    with (root / "catalog/site.yml").open("a", encoding="utf-8") as fh:
        fh.write(CMS)
    return root


def written(root):
    made = gongkai("cms-config", str(root))
    assert made.returncode == 0, made.stderr
    assert "overrides/admin/config.yml" in made.stdout
    return yaml.safe_load((root / "overrides/admin/config.yml").read_text(encoding="utf-8"))


def by_name(fields):
    return {f["name"]: f for f in fields}


def test_every_field_of_a_notice_has_its_chinese_label_and_the_catalogs_choices(site):
    config = written(site)
    catalog = load_catalog(Repository(site), Problems())
    shown = [c for c in config["collections"] if not c.get("hide") and c["name"] != "annual"]
    assert [c["folder"] for c in shown] == [f"content/{a.slug}" for a in catalog.agencies]
    zfb = next(c for c in config["collections"] if c["folder"] == "content/zfb")
    assert zfb["path"] == "{{year}}/{{slug}}/index" and zfb["media_folder"] == ""
    fields = by_name(zfb["fields"])
    labels = {str(info.json_schema_extra["zh"]) for name, info in FrontMatter.model_fields.items()
             if name not in ("old_id", "imported")}
    assert labels <= set(fields) and all(fields[n]["label"] == n for n in labels)
    assert fields["发布机构"] == {"name": "发布机构", "label": "发布机构", "hint": fields["发布机构"]["hint"],
                              "widget": "hidden", "default": "青禾县人民政府办公室"}
    assert [o["value"] for o in fields["目录"]["options"]] == [c.code for r in catalog.categories for c in r.walk()]
    assert fields["主题分类"]["options"] == [f"{t}\\{c}" for t, cs in catalog.topics.items() for c in cs]
    assert fields["有效性"]["options"] == ["有效", "失效", "废止", "已修订"]
    assert fields["公开载体"]["multiple"] and fields["公开载体"]["default"] == ["政府网站"]
    for relation in ("解读对象", "替代文件"):
        assert fields[relation]["widget"] == "relation" and fields[relation]["value_field"] == "索引号"
    attachment = by_name(fields["附件"]["fields"])
    assert fields["附件"]["widget"] == "list" and attachment["文件"]["widget"] == "file"
    review = by_name(fields["审查"]["fields"])
    assert review["审查结果"]["default"] == "待审查" and fields["审查"]["required"] is False
    assert fields["成文日期"]["format"] == "YYYY-MM-DD" and "required" not in fields["成文日期"]
    assert config["backend"]["name"] == "forgejo" and config["publish_mode"] == "editorial_workflow"
    assert config["backend"]["api_root"] == "https://git.qinghe.example.gov.cn/api/v1"


def test_gitea_has_no_pull_request_mode(site):
    text = (site / "catalog/site.yml").read_text(encoding="utf-8").replace("forgejo", "gitea")
    (site / "catalog/site.yml").write_text(text, encoding="utf-8")
    config = written(site)
    assert config["backend"]["name"] == "gitea" and "publish_mode" not in config


def test_check_fails_when_the_committed_configuration_is_out_of_date(site):
    missing = gongkai("check", "--date", "2026-01-01", str(site))
    assert missing.returncode == 1
    assert "overrides/admin/config.yml 缺失：请运行 gongkai cms-config 重新生成并提交" in missing.stdout
    written(site)
    assert gongkai("check", "--date", "2026-01-01", str(site)).returncode == 0
    categories = site / "catalog/categories.yml"
    categories.write_text(categories.read_text(encoding="utf-8").replace("行政规范性文件", "规范性文件", 1),
                          encoding="utf-8")
    stale = gongkai("check", "--date", "2026-01-01", str(site))
    assert stale.returncode == 1 and "已过期）：请运行 gongkai cms-config" in stale.stdout
    again = gongkai("cms-config", str(site))
    assert "已更新" in again.stdout
    assert gongkai("check", "--date", "2026-01-01", str(site)).returncode == 0
    assert "已是最新" in gongkai("cms-config", str(site)).stdout


def test_relations_pick_an_item_of_any_agency_by_title_and_store_its_index_number(site):
    """Decap's relation widget searches one collection: a hidden one holding every item under
    content/, narrowed to the catalog's agencies so an annual report is never offered."""
    config = written(site)
    catalog = load_catalog(Repository(site), Problems())
    every = next(c for c in config["collections"] if c["name"] == "all-items")
    assert every["folder"] == "content" and every["hide"] is True and every["create"] is False
    # item files three deep (content/zfb/2026/00004.md), item folders four
    assert len(every["path"].split("/")) == 4
    for collection in (c for c in config["collections"] if not c.get("hide") and c["name"] != "annual"):
        for name in ("解读对象", "替代文件"):
            relation = by_name(collection["fields"])[name]
            assert relation["collection"] == "all-items" and relation["value_field"] == "索引号"
            assert "标题" in relation["search_fields"] and relation["display_fields"] == ["{{标题}}（{{索引号}}）"]
            allowed = relation["filters"][0]
            assert allowed["field"] == "发布机构"
            assert set(allowed["values"]) == {v for a in catalog.agencies for v in (a.name, a.code)}
    annual = yaml.safe_load((ROOT / "content/annual/2024.md").read_text(encoding="utf-8").split("---")[1])
    assert annual.get("发布机构") not in allowed["values"]


def test_the_review_block_is_in_the_form_only_where_a_save_waits_for_the_reviewer(site):
    with_pull_requests = by_name(written(site)["collections"][0]["fields"])
    assert "审查" in with_pull_requests
    text = (site / "catalog/site.yml").read_text(encoding="utf-8").replace("forgejo", "gitea")
    (site / "catalog/site.yml").write_text(text, encoding="utf-8")
    straight_to_main = written(site)
    assert all("审查" not in by_name(c["fields"]) for c in straight_to_main["collections"])


def _add_items(root, year, count, start=1):
    """Valid items of the county office (zfb) in content/zfb/<year>/, numbered on from start."""
    folder = root / "content/zfb" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        (folder / f"{n:05d}.md").write_text(
            item(id=f"002501001/{year}-{n:05d}", title=f"关于第{n}批事项的通知", published=f"{year}-03-02",
                 created=f"{year}-03-01"), encoding="utf-8")


def test_an_agency_with_many_items_gets_a_collection_per_year(site):
    from gongkai.load.cms_config import PER_YEAR_FROM

    _add_items(site, 2024, 10)
    _add_items(site, 2019, PER_YEAR_FROM - 11, start=100)
    names = [c["name"] for c in written(site)["collections"]]
    assert "zfb" in names and not any(n.startswith("zfb-") for n in names)  # one item short
    _add_items(site, 2019, 1, start=90000)
    config = written(site)
    by = {c["name"]: c for c in config["collections"]}
    this_year = dt.date.today().year
    # the agency's one list is replaced by a list a year, newest first, this year's included
    assert [n for n in by if n.startswith("zfb")] == [f"zfb-{y}" for y in sorted({this_year, 2024, 2019}, reverse=True)]
    assert "xczx" in by and not any(n.startswith("xczx-") for n in by)  # a small agency keeps one list
    newest, older = by[f"zfb-{this_year}"], by["zfb-2019"]
    assert newest["folder"] == f"content/zfb/{this_year}" and newest["path"] == "{{slug}}/index"
    assert newest["create"] is True and older["create"] is False  # new items go in this year's folder
    assert older["label"] == "青禾县人民政府办公室 · 2019年" and older["folder"] == "content/zfb/2019"
    assert older["fields"] == newest["fields"]
    assert by["zfb-2019"]["summary"] == "{{索引号}} {{标题}}"
    assert "&id" not in (site / "overrides/admin/config.yml").read_text(encoding="utf-8")


def test_an_item_in_a_new_year_does_not_make_the_configuration_stale(site):
    """An item saved in a year folder the configuration has no collection for (or an agency
    growing past the threshold) must pass check: the editor's own save cannot run cms-config;
    the next ``gongkai cms-config`` adds the year."""
    from gongkai.load.cms_config import PER_YEAR_FROM

    _add_items(site, 2019, PER_YEAR_FROM)
    written(site)
    assert gongkai("check", "--date", "2026-01-01", str(site)).returncode == 0
    _add_items(site, 2018, 1)
    assert "zfb-2018" not in (site / "overrides/admin/config.yml").read_text(encoding="utf-8")
    assert gongkai("check", "--date", "2026-01-01", str(site)).returncode == 0
    assert "zfb-2018" in {c["name"] for c in written(site)["collections"]}
    # a change to the catalog is still found with the years split
    categories = site / "catalog/categories.yml"
    categories.write_text(categories.read_text(encoding="utf-8").replace("行政规范性文件", "规范性文件", 1),
                          encoding="utf-8")
    stale = gongkai("check", "--date", "2026-01-01", str(site))
    assert stale.returncode == 1 and "已过期）：请运行 gongkai cms-config" in stale.stdout


def test_a_site_without_a_web_editor_is_told_how_to_set_one(tmp_path):
    root = make_site(tmp_path / "plain")
    made = gongkai("cms-config", str(root))
    assert made.returncode == 1 and "catalog/site.yml 没有“cms”设置" in made.stderr
    assert not (root / "overrides/admin/config.yml").exists()
    assert gongkai("check", "--date", "2026-01-01", str(root)).returncode == 0


def test_an_optional_block_left_out_does_not_stop_the_form_from_saving(site):
    # Decap validates a block's inner fields even when the block is left empty: a required
    # 开始日期 inside the optional 公示期 made every 通知 unsavable (tests/test_cms_forge.py saves one)
    fields = by_name(next(c for c in written(site)["collections"] if c["folder"] == "content/zfb")["fields"])
    for block in ("公示期", "个人信息例外", "审查"):
        assert fields[block]["required"] is False
        assert [f["name"] for f in fields[block]["fields"] if f.get("required", True)] == [], block
    # an attachment added to the list still needs its file
    assert "required" not in by_name(fields["附件"]["fields"])["文件"]
