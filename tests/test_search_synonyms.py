"""catalog/synonyms.yml: loaded into the model, shipped in the index, and every
mistake reported once, with its file, line and field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import copy_project
from sitekit import gongkai

from gongkai.pipeline import load_site
from gongkai.problems import ValidationFailed

ROOT = Path(__file__).resolve().parent.parent


def test_the_default_list_covers_everyday_disclosure_words():
    site = load_site(ROOT, dt.date(2026, 11, 26))
    groups = {w: g for g in site.synonyms for w in g}
    for a, b in [("低保", "最低生活保障"), ("城管", "城市管理"), ("扶贫", "乡村振兴"), ("扶贫", "脱贫"),
                 ("征地", "土地征收"), ("公租房", "公共租赁住房"), ("医保", "医疗保障"), ("年报", "年度报告")]:
        assert b in groups[a], (a, b)


def test_synonyms_reach_the_index_meta(built_site):
    meta = json.loads((built_site / "search/idx/meta.json").read_text(encoding="utf-8"))
    assert ["低保", "最低生活保障"] in meta["synonyms"]


def test_bad_groups_are_reported_with_their_line(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "catalog/synonyms.yml").write_text(
        "synonyms:\n  - [低保, 最低生活保障]\n  - [城管]\n  - [低保, 救助]\n  - 公租房\n", encoding="utf-8")
    try:
        load_site(project, dt.date(2026, 11, 26))
    except ValidationFailed as exc:
        problems = [p for p in exc.problems if p.file.endswith("synonyms.yml")]
    else:
        raise AssertionError("a bad synonyms.yml must stop the build")
    assert [(p.line, p.field) for p in problems] == [(3, "synonyms"), (4, "synonyms"), (5, "synonyms")]
    assert "两个以上" in problems[0].message
    assert "低保" in problems[1].message and "第 2 行" in problems[1].message
    # gongkai check names the same file and line, in Chinese
    out = gongkai("check", str(project), cwd=project)
    assert out.returncode != 0
    assert "catalog/synonyms.yml:3" in out.stdout + out.stderr
