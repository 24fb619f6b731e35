"""What an author may not decide alone: review records and exceptions in a change.

- A 审查 record copied from another item (the same 审查日期 and 审查人 on an item
  signed in another year) records no review of this item: it blocks. A record dated
  before the item's 成文日期 is the loader's error (load/item_fields.py), reported in
  every check and in the diff's 本次引入的错误; saying it here too counted it twice.
- Every 个人信息例外, every attachment 人工审查 and every 历史导入 the change brings is
  listed for the reviewer ("需审查人确认") and blocks the review: whether an agency
  reviewer approved the change is decided by the forge's approvals, not by the file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from gongkai.guards import pii
from gongkai.problems import Problem
from gongkai.review.numbers import key_of
from gongkai.review.snapshot import RawItem


@dataclass
class Confirmation:
    """An exception the change brings that an agency reviewer must approve."""

    file: str
    line: int | None
    field: str  # 个人信息例外 | 人工审查 | 历史导入
    item: str  # 索引号 and title
    what: str  # the exception as written (personal numbers masked)


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, ensure_ascii=False, default=str) == \
        json.dumps(b, sort_keys=True, ensure_ascii=False, default=str)


def _line(item: RawItem, name: str) -> int | None:
    return item.source.front.line_of(key_of(item, name))


def _manual_reviews(item: RawItem) -> dict[str, Any]:
    out = {}
    for ref in item.fields.get("attachments") or []:
        if isinstance(ref, dict) and ref.get("manual_review") is not None:
            out[str(ref.get("file"))] = ref["manual_review"]
    return out


def _imported(item: RawItem) -> bool:
    if item.fm is not None:
        return item.fm.imported
    return str(item.fields.get("imported", "")).strip().lower() in ("true", "是", "yes")


def confirmations(old: RawItem | None, new: RawItem) -> list[Confirmation]:
    """The exceptions ``new`` carries that ``old`` (None: a new item) did not, as written."""
    out = []
    name = f"{new.id} {new.title}"
    exception = new.fields.get("personal_data_exception")
    if exception is not None and (old is None or not _same(old.fields.get("personal_data_exception"),
                                                           exception)):
        fm = new.fm.personal_data_exception if new.fm is not None else None
        what = (f"号码 {'、'.join(fm.numbers)}；理由：{fm.reason}" if fm is not None
                else json.dumps(exception, ensure_ascii=False, default=str))
        out.append(Confirmation(new.file, _line(new, "personal_data_exception"), "个人信息例外", name,
                                pii.redact(what)))
    before = _manual_reviews(old) if old is not None else {}
    for file, review in _manual_reviews(new).items():
        if not _same(before.get(file), review):
            said = review if isinstance(review, dict) else {}
            what = f"附件 {file}：审查人 {said.get('reviewer', '（未写）')}，理由：{said.get('reason', '（未写）')}"
            out.append(Confirmation(new.file, _line(new, "attachments"), "人工审查", name, pii.redact(what)))
    if _imported(new) and (old is None or not _imported(old)):
        out.append(Confirmation(new.file, _line(new, "imported"), "历史导入", name,
                                f"标为从旧网站迁移的历史信息（发布日期 {new.fields.get('published')}），发布日期早于收到日期也不拦截"))
    return out


def review_record_problems(changed: list[RawItem], head: dict[str, RawItem]) -> list[Problem]:
    """Blocking problems of the 审查 records of the ``changed`` items (added or edited)."""
    by_record: dict[tuple, list[RawItem]] = defaultdict(list)
    for item in head.values():
        if item.fm is not None and item.fm.review is not None:
            by_record[(item.fm.review.date, item.fm.review.reviewer.strip())].append(item)
    out = []
    for item in changed:
        if item.fm is None or item.fm.review is None:
            continue
        review, created = item.fm.review, item.fm.created
        line = _line(item, "review")
        others = [o for o in by_record[(review.date, review.reviewer.strip())]
                  if o.id != item.id and o.fm is not None and o.fm.created.year != created.year]
        if others:
            other = others[0]
            out.append(Problem(item.file, line, "审查",
                               f"审查记录（审查人 {review.reviewer}，审查日期 {review.date}）与 {other.file}"
                               f"（{other.id}，成文于 {other.fm.created.year if other.fm else ''} 年）相同，"
                               f"而本条目成文于 {created.year} 年：像是复制来的记录，不是对本条目的审查。"
                               "请由本机关审查人审查本条目后填写"))
    return out
