"""``gongkai new``: start an item file with the next free 索引号.

The sequence number is one more than the highest ever used for that agency and
year: every item file counts (drafts, unpublished, even files that fail
validation), and so does the git history, so the id of a deleted item is never
handed out again. An existing file is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from gongkai.load.loader import Repository, load_catalog, today_in_china
from gongkai.problems import Problems
from gongkai.read.source import SourceError, read_markdown
from gongkai.schema.catalog import Agency

_ID_KEYS = ("id", "索引号")


@dataclass(frozen=True, slots=True)
class NewItem:
    path: Path
    id: str


def item_name(stem: str, folder: bool) -> str:
    """An item's file under its year folder: ``<stem>.md``, or ``<stem>/index.md`` for an item
    with a folder of its own (its attachments beside it, what the web editor writes). ``new``,
    ``new --from``, ``import`` and ``import-docx`` all lay items out through this; a stem is
    taken when either layout holds it, as the loader refuses one 索引号 in both."""
    return f"{stem}/index.md" if folder else f"{stem}.md"


def _ids_in_text(text: str, pattern: re.Pattern) -> set[str]:
    return {m.group(0) for m in pattern.finditer(text)}


def used_ids(repo: Repository, pattern: re.Pattern, agency_code: str) -> set[str]:
    """Every 索引号 the repository has used: in current files and in git history."""
    return ids_in_files(repo, pattern) | ids_in_history(repo.root, pattern, agency_code)


def ids_in_files(repo: Repository, pattern: re.Pattern) -> set[str]:
    """Every 索引号 the item files hold now, drafts and files that fail validation too."""
    found: set[str] = set()
    for path in repo.item_files():
        try:
            data = read_markdown(path, repo.rel(path)).front.data
            values = [data.get(k) for k in _ID_KEYS] if isinstance(data, dict) else []
            found |= {v.strip() for v in values if isinstance(v, str)}
        except SourceError:
            # a broken file still reserves whatever id it mentions
            found |= _ids_in_text(path.read_bytes().decode("utf-8", "replace"), pattern)
    return found


def ids_in_history(root: Path, pattern: re.Pattern, agency_code: str) -> set[str]:
    """Every 索引号 of the agency that any commit added or removed under content/."""
    try:
        # -G: only the commits whose added or removed lines mention the agency's code
        log = subprocess.run(
            ["git", "-C", str(root), "log", "--all", "--format=", "-p", "--no-color", "--no-ext-diff",
             f"-G{re.escape(agency_code)}", "--", "content"],
            capture_output=True, text=True, errors="replace", timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    if log.returncode != 0:  # not a git repository: the files are all there is
        return set()
    return {m.group(0) for line in log.stdout.splitlines()
            if line.startswith(("-", "+")) for m in pattern.finditer(line)}


def next_id(used: set[str], pattern: re.Pattern, id_format: str, agency: Agency, year: int) -> str:
    seqs = [int(m["seq"]) for m in (pattern.fullmatch(i) for i in used)
            if m and m["agency"] == agency.code and int(m["year"]) == year]
    return id_format.format(agency=agency.code, year=year, seq=max(seqs, default=0) + 1)


def render(item_id: str, agency: Agency, category: str, title: str, day: dt.date) -> str:
    d = day.isoformat()
    return f"""---
# 以“# ”开头的行是可选字段：需要时去掉行首的“# ”并填写。
索引号: {item_id}          # 自动分配：全站唯一，不要修改，删除后也不再复用
标题: {title}               # 信息名称，与正式文件标题一致
发布机构: {agency.name}     # catalog/agencies.yml 中的机构名称或代码
目录: {category}                     # catalog/categories.yml 中的目录代码
成文日期: {d}              # 文件签发日期，YYYY-MM-DD
发布日期: {d}              # 公开日期，不早于成文日期；晚于构建日期时暂不公开
# 发文字号: 青政办发〔{day.year}〕1号    # GB/T 9704：机关代字〔年份〕序号号
有效性: 有效                        # 有效、失效、废止或已修订
# 废止日期: {d}            # 废止或失效的日期
# 替代文件: {item_id}      # 被新文件替代时，填写新文件的索引号
# 主题分类: 综合政务\\政务公开      # 22 类主题分类，写作“一级\\二级”
主题词: []                          # 关键词列表，如 [政务公开, 工作要点]
# 内容概述: 一句话概述。            # 留空时取正文开头
公开方式: 主动公开                  # 主动公开、依申请公开或不予公开
公开范围: 面向全社会                # 面向全社会或特定群体
公开载体: [政府网站]                # 政府网站、政府公报、两微一端、公开查阅点 等
# 解读对象: {item_id}      # 本条是政策解读时，填写原文件的索引号
# 审查:                             # 保密审查记录：发布前必须填写，结果为“同意公开”才会发布
#   审查人: 某某
#   审查日期: {d}
#   审查结果: 同意公开
# 公示期:                           # 公示类信息的起止日期
#   开始日期: {d}
#   结束日期: {d}
附件: []                            # 附件与本文件放在同一目录，写作列表项“- 文件: 名单.csv”
草稿: true                          # 审查同意后改为 false 才会发布
---

（在此撰写正文。）
"""


def create(root: Path, agency_key: str, category: str, title: str | None,
           day: dt.date | None, folder: bool = False) -> NewItem:
    """``folder``: the item as ``<serial>/index.md``, a folder of its own for its attachments
    (what the web editor writes), instead of ``<serial>.md``."""
    repo = Repository(root)
    problems = Problems()
    catalog = load_catalog(repo, problems)
    if catalog is None:
        raise NewItemError("\n".join(p.format() for p in problems.sorted()))
    agencies = {a.name: a for a in catalog.agencies} | {a.code: a for a in catalog.agencies} \
        | {a.slug: a for a in catalog.agencies}
    agency = agencies.get(agency_key)
    if agency is None:
        raise NewItemError(f"发布机构“{agency_key}”未在 catalog/agencies.yml 中定义；可用："
                           + "、".join(f"{a.name}（{a.slug}）" for a in catalog.agencies))
    every = [c for r in catalog.categories for c in r.walk()]
    # 目录 by code or by the column's name, as an item file may write it
    named = [c.code for c in every if c.name == category.strip()]
    category = named[0] if category not in {c.code for c in every} and len(named) == 1 else category
    if category not in {c.code for c in every}:
        raise NewItemError(f"目录代码“{category}”未在 catalog/categories.yml 中定义；可用（代码或栏目名称均可）："
                           + "、".join(f"{c.code}（{c.name}）" for c in every))
    day = day or today_in_china()
    pattern = re.compile(catalog.settings.id_pattern)
    item_id = next_id(used_ids(repo, pattern, agency.code), pattern, catalog.settings.id_format, agency, day.year)
    match = pattern.fullmatch(item_id)
    if match is None:
        raise NewItemError(f"catalog/site.yml 的索引号模板生成的“{item_id}”不符合索引号格式，请检查 id_format")
    year_dir = repo.content / agency.slug / str(day.year)
    path = year_dir / item_name(match["seq"], folder)
    other = year_dir / item_name(match["seq"], not folder)
    if other.exists():
        raise NewItemError(f"{repo.rel(other)} 已存在，没有新建。请检查该文件的索引号")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as fh:  # "x": fail rather than overwrite
            fh.write(render(item_id, agency, category, title or "（请填写标题）", day))
    except FileExistsError:
        raise NewItemError(f"{repo.rel(path)} 已存在，没有覆盖。请检查该文件的索引号") from None
    return NewItem(path, item_id)


class NewItemError(Exception):
    pass
