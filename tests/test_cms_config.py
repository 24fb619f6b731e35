"""``gongkai cms-config``: the web editor's forms come from the schema and the catalog, and
``check`` refuses a committed configuration that no longer matches them."""

from __future__ import annotations

import pytest
import yaml
from sitekit import gongkai, make_site

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
    agencies = [c["folder"] for c in config["collections"] if c["name"] != "annual"]
    assert agencies == [f"content/{a.slug}" for a in catalog.agencies]
    zfb = next(c for c in config["collections"] if c["folder"] == "content/zfb")
    assert zfb["path"] == "{{year}}/{{slug}}/index" and zfb["media_folder"] == ""
    fields = by_name(zfb["fields"])
    shown = {str(info.json_schema_extra["zh"]) for name, info in FrontMatter.model_fields.items()
             if name not in ("old_id", "imported")}
    assert shown <= set(fields) and all(fields[n]["label"] == n for n in shown)
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


def test_a_site_without_a_web_editor_is_told_how_to_set_one(tmp_path):
    root = make_site(tmp_path / "plain")
    made = gongkai("cms-config", str(root))
    assert made.returncode == 1 and "catalog/site.yml 没有“cms”设置" in made.stderr
    assert not (root / "overrides/admin/config.yml").exists()
    assert gongkai("check", "--date", "2026-01-01", str(root)).returncode == 0
