"""A 发文字号 typed with its agency's prefix asks for that agency's number only (issue 30):
another agency's same number is shown as a partial match at most, never as found."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gongkai.pipeline import load_site
from gongkai.search.index import build_index

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def run(index_dir: Path, queries: list[str], tmp_path: Path) -> dict[str, dict]:
    path = tmp_path / "q.json"
    path.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([NODE, str(ROOT / "tests/js/run_queries.js"), str(index_dir), str(path)],
                         capture_output=True, text=True, check=True)
    return {r["query"]: r for r in json.loads(out.stdout)}


def test_a_missing_number_of_one_agency_is_not_another_agencys(tmp_path):
    """The issue's case: a 街道 item's body cites 城关街发许〔2023〕116号; 青政办发〔2023〕116号
    exists nowhere, so nothing is found, while the bare number and the 街道's own find it."""
    from conftest import copy_project

    project = copy_project(tmp_path / "p")
    item = project / "content/cgjd/2024/00002.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n依据《城关街道邻里节活动管理办法》（城关街发许〔2023〕116号）办理。\n",
                    encoding="utf-8")
    site = load_site(project, dt.date(2026, 11, 26))
    out = tmp_path / "site"
    for path, content in build_index(site).files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(content)
    rows = run(out, ["青政办发〔2023〕116号", "〔2023〕116号", "城关街发许[2023]116号"], tmp_path)
    other = rows["青政办发〔2023〕116号"]
    assert other["mode"] == "partial", other  # the page says 未找到完全匹配的结果, never 找到 N 条
    assert other["ids"] == ["002501004/2024-00002"]
    assert rows["〔2023〕116号"]["mode"] == "all" and rows["〔2023〕116号"]["ids"] == ["002501004/2024-00002"]
    own = rows["城关街发许[2023]116号"]
    assert own["mode"] == "all" and own["ids"] == ["002501004/2024-00002"]


def test_same_number_of_two_agencies_on_the_sample(built_site, tmp_path):
    """〔2024〕6号 is both 青政发 (县政府) and 青乡振发 (乡村振兴局) in the sample."""
    rows = run(built_site, ["青政发〔2024〕6号", "青乡振发〔2024〕6号", "青城管发〔2024〕6号", "〔2024〕6号",
                            "青政办发〔2023〕116号"], tmp_path)
    assert rows["青政发〔2024〕6号"]["mode"] == "all"
    assert rows["青政发〔2024〕6号"]["ids"][0] == "002501001/2024-00013"
    assert "002501002/2024-00003" not in rows["青政发〔2024〕6号"]["ids"]
    assert rows["青乡振发〔2024〕6号"]["ids"][0] == "002501002/2024-00003"
    assert "002501001/2024-00013" not in rows["青乡振发〔2024〕6号"]["ids"]
    # an agency with no such number: both others, as a partial match
    missing = rows["青城管发〔2024〕6号"]
    assert missing["mode"] == "partial"
    assert {"002501001/2024-00013", "002501002/2024-00003"} <= set(missing["ids"])
    assert rows["〔2024〕6号"]["mode"] == "all"
    assert {"002501001/2024-00013", "002501002/2024-00003"} <= set(rows["〔2024〕6号"]["ids"])
    assert rows["青政办发〔2023〕116号"]["mode"] == "none" and rows["青政办发〔2023〕116号"]["ids"] == []
