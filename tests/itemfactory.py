"""Build small throw-away repositories with hand-written items for tests."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from conftest import ROOT

from gongkai.pipeline import load_site
from gongkai.problems import Problem, Problems, ValidationFailed

GOOD = """\
---
索引号: 002501002/2025-00007
标题: 青禾县乡村振兴局关于印发补助资金管理办法的通知
发布机构: 青禾县乡村振兴局
目录: gfxwj
成文日期: 2025-03-10
发布日期: 2025-03-18
发文字号: 青乡振发〔2025〕4号
主题分类: 民政、扶贫、救灾\\扶贫
主题词: [乡村振兴, 补助资金]
审查:
  审查人: 王丽
  审查日期: 2025-03-17
  审查结果: 同意公开
---

各乡镇人民政府：现将办法印发给你们，请认真贯彻执行。
"""


def new_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "content").mkdir(parents=True)
    shutil.copytree(ROOT / "catalog", root / "catalog")
    for owners in (".github/CODEOWNERS", ".gitlab/CODEOWNERS", ".gitea/CODEOWNERS"):  # gongkai codeowners'
        (root / owners).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / owners, root / owners)
    return root


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_for(root: Path, today: dt.date = dt.date(2026, 11, 26)) -> list[Problem]:
    """Every problem the loader reports (errors and warnings)."""
    found = Problems()
    try:
        load_site(root, today, found)
    except ValidationFailed:
        pass
    return found.sorted()


def errors_for(root: Path, **kwargs) -> list[Problem]:
    return [p for p in problems_for(root, **kwargs) if p.severity == "error"]


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)
