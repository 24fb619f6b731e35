"""The synthetic site that the benchmarks build is valid, varied and reproducible."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from gongkai.load import items as item_loader
from gongkai.pipeline import load_site
from gongkai.problems import Problems

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

BUILD_DATE = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(400, tmp_path_factory.mktemp("gen") / "site", seed=7).root


def _contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "content").rglob("*")) if p.is_file()}


def test_every_generated_item_passes_validation(generated):
    problems = Problems()
    site = load_site(generated, BUILD_DATE, problems)
    assert problems.sorted() == []
    assert len(site.items) == 400
    assert {i.agency.code for i in site.items} == {"002501001", "002501002", "002501003", "002501004"}
    assert len({i.category.code for i in site.items}) >= 20
    assert {i.published.year for i in site.items} == set(range(2016, 2026))
    assert any(i.draft for i in site.items)
    assert len(site.public_items) < len(site.items)


def test_generated_items_link_interpretations_and_replacements(generated):
    site = load_site(generated, BUILD_DATE)
    assert site.interpretations, "some policies have their interpretation"
    for policy_id, interpretations in site.interpretations.items():
        assert site.by_id[policy_id].category.code in ("gz", "gfxwj")
        assert all(i.category.code == "zcjd" for i in interpretations)
    replaced = [i for i in site.public_items if i.superseded_by]
    assert replaced and all(not i.in_force for i in replaced)
    assert all(site.by_id[i.superseded_by].published > i.published for i in replaced)
    numbers = [i.doc_number for i in site.items if i.doc_number]
    assert len(numbers) == len(set(numbers)), "发文字号 are unique"


def test_same_seed_same_files_other_seed_other_files(generated, tmp_path):
    again = generate(400, tmp_path / "again", seed=7).root
    assert _contents(again) == _contents(generated)
    other = generate(400, tmp_path / "other", seed=8).root
    assert _contents(other) != _contents(generated)


def test_loading_reports_progress_only_on_large_sites(generated, monkeypatch):
    lines: list[str] = []
    load_site(generated, BUILD_DATE, progress=lines.append)
    assert lines == []  # 400 items: quiet
    monkeypatch.setattr(item_loader, "PROGRESS_MIN", 100)
    monkeypatch.setattr(item_loader, "PROGRESS_STEP", 150)
    load_site(generated, BUILD_DATE, progress=lines.append)
    assert lines == ["已读取 150/400 个条目文件", "已读取 300/400 个条目文件", "已读取 400/400 个条目文件"]
