"""What editing in the web editor needs from its generated configuration (found by
tests/test_cms_e2e.py): ``local_backend`` in catalog/site.yml points Decap at its local git proxy
(decap-server), used only when /admin/ is opened from the same machine; a block that may be left
out as a whole requires nothing, or Decap refuses every save without it; the yearly report's text
is a form of its own."""

from __future__ import annotations

import pytest
import yaml
from sitekit import gongkai, make_site

CMS = "cms: {{backend: forgejo, repo: qinghe/xxgk, base_url: https://git.qinghe.example.gov.cn{extra}}}\n"


def configured(tmp_path, extra: str):
    root = make_site(tmp_path / "site")
    with (root / "catalog/site.yml").open("a", encoding="utf-8") as fh:
        fh.write(CMS.format(extra=extra))
    return root, gongkai("cms-config", str(root))


@pytest.mark.parametrize(("extra", "url"), [
    (", local_backend: true", "http://127.0.0.1:8081/api/v1"),
    (", local_backend: 18081", "http://127.0.0.1:18081/api/v1"),
])
def test_local_backend_points_decap_at_the_proxy_on_this_machine(tmp_path, extra, url):
    root, made = configured(tmp_path, extra)
    assert made.returncode == 0, made.stderr
    config = yaml.safe_load((root / "overrides/admin/config.yml").read_text(encoding="utf-8"))
    assert config["local_backend"] == {"url": url}
    # the forge stays the backend for everyone who opens the published site
    assert config["backend"]["name"] == "forgejo" and config["publish_mode"] == "editorial_workflow"


@pytest.mark.parametrize("extra", ["", ", local_backend: false"])
def test_without_local_backend_the_editor_never_looks_for_a_proxy(tmp_path, extra):
    root, made = configured(tmp_path, extra)
    assert made.returncode == 0, made.stderr
    assert "local_backend" not in (root / "overrides/admin/config.yml").read_text(encoding="utf-8")


def test_a_port_out_of_range_is_named(tmp_path):
    root, made = configured(tmp_path, ", local_backend: 70000")
    assert made.returncode == 1
    assert "catalog/site.yml" in made.stderr and "端口 70000 超出范围（1–65535）" in made.stderr


def test_a_block_left_out_as_a_whole_requires_nothing_in_the_form(tmp_path):
    # Decap will not save while any required field is empty, even in a block nobody opened:
    # the 公示期 of a 通知 would stop every save that has none
    root, made = configured(tmp_path, "")
    assert made.returncode == 0, made.stderr
    config = yaml.safe_load((root / "overrides/admin/config.yml").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in config["collections"][0]["fields"]}
    for block in ("审查", "公示期", "个人信息例外"):
        assert fields[block]["required"] is False
        assert all(inner["required"] is False for inner in fields[block]["fields"]), block
    # a row added to 附件 still needs its file; its own optional block does not
    row = {f["name"]: f for f in fields["附件"]["fields"]}
    assert "required" not in row["文件"] and row["名称"]["required"] is False
    assert all(inner["required"] is False for inner in row["人工审查"]["fields"])
    # required where the item needs them
    assert "required" not in fields["标题"] and "required" not in fields["发布日期"]


def test_the_yearly_report_text_is_a_form_whose_body_is_raw_markdown(tmp_path):
    root, made = configured(tmp_path, "")
    assert made.returncode == 0, made.stderr
    config = yaml.safe_load((root / "overrides/admin/config.yml").read_text(encoding="utf-8"))
    annual = next(c for c in config["collections"] if c["folder"] == "content/annual")
    # the narrative's head has only these two fields (annual/narrative.py refuses any other)
    assert [f["name"] for f in annual["fields"]] == ["标题", "发布日期", "body"]
    # the rich-text editor would rewrite {{ 统计.… }} and the tables; a new file would be named
    # by the day it is written, not the year it reports
    assert annual["fields"][2]["modes"] == ["raw"] and annual["create"] is False
