"""The editors' field reference is generated from the schema and committed fresh."""

from __future__ import annotations

from sitekit import ROOT, gongkai, make_site

from gongkai.schema import front_matter as schema
from gongkai.schema import reference as field_reference


def test_committed_reference_is_current():
    committed = (ROOT / "catalog" / "FIELDS.md").read_text(encoding="utf-8")
    assert committed == field_reference.render(), \
        "catalog/FIELDS.md is stale: run `make fields` (gongkai fields) and commit the result"


def _rows(text: str) -> dict[str, list[str]]:
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        if line.startswith("| ") and len(cells) == 6 and cells[1].startswith("`"):
            rows.setdefault(cells[1].strip("`"), cells)
    return rows


def test_every_key_has_its_alias_type_default_and_example():
    rows = _rows(field_reference.render())
    for name, info in schema.FrontMatter.model_fields.items():
        zh, key, kind, default, example, _ = rows[name]
        assert zh == info.json_schema_extra["zh"]
        assert kind and default and example
    assert rows["published"][2:4] == ["日期（YYYY-MM-DD）", "必填"]
    assert rows["status"][2:4] == ["可选值：有效、失效、废止、已修订", "默认 有效"]
    assert rows["draft"][2:4] == ["是否（true / false）", "默认 false"]
    assert rows["channels"][3] == "默认 [政府网站]"
    # nested mappings get their own tables
    text = field_reference.render()
    for section in ("## 审查", "## 公示期", "## 附件", "## 个人信息例外"):
        assert section in text
    assert rows["result"][2].startswith("可选值：同意公开")


def test_the_example_in_the_reference_validates(tmp_path):
    text = field_reference.render()
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    site = make_site(tmp_path)
    folder = site / "content" / "xczx"
    folder.mkdir(parents=True)
    (folder / "名单.csv").write_text("序号,姓名\n1,王*英\n", encoding="utf-8")
    (folder / "example.md").write_text(example + "正文。办公电话 0571-65000201。\n", encoding="utf-8")
    result = gongkai("check", str(site), "--date", "2026-11-26")
    assert result.returncode == 0, result.stdout + result.stderr


def test_fields_command_rewrites_a_stale_copy_and_check_mode_fails_on_it(tmp_path):
    site = make_site(tmp_path)
    target = site / "catalog" / "FIELDS.md"
    target.write_text("# 旧的字段参考\n", encoding="utf-8")
    result = gongkai("fields", str(site), "--check")
    assert result.returncode == 1
    assert "catalog/FIELDS.md 与字段定义不一致：请运行 gongkai fields 重新生成" in result.stderr
    result = gongkai("fields", str(site))
    assert result.returncode == 0 and "已更新 catalog/FIELDS.md" in result.stdout
    assert target.read_text(encoding="utf-8") == field_reference.render()
    assert gongkai("fields", str(site), "--check").returncode == 0


def test_readme_links_the_reference():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(catalog/FIELDS.md)" in readme
