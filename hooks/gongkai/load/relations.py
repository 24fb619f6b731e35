"""Relations between items and between the items and the catalog, once every item is read:
解读 and 替代 references, columns with nothing published."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gongkai.load.cache import Sketch
from gongkai.load.rules import RULES_DIR
from gongkai.model import Item, Site
from gongkai.problems import Problems


def check_relations(site: Site, problems: Problems, sketches: Sequence[tuple[str, Sketch]] = ()) -> None:
    """解读 and 替代 references must name an existing item: those of the valid items, and
    those written in the files that have other mistakes (``sketches``), in the same round."""
    known = {i.id: i for i in site.items}
    written = {s.id for _, s in sketches if s.id is not None}
    by_number: dict[str, list[Item]] = {}
    for item in site.items:
        if item.doc_number:
            by_number.setdefault(_plain(item.doc_number), []).append(item)
    for item in site.items:
        for name, label, target in (("interprets", "解读对象", item.interprets),
                                    ("superseded_by", "替代文件", item.superseded_by)):
            if target is None:
                continue
            if target not in known:
                problems.add(item.source, item.lines.get(name), label, _missing(label, target, by_number))
            elif (item.visibility(site.build_date) == "public"
                  and known[target].visibility(site.build_date) != "public"):
                problems.add(item.source, item.lines.get(name), label,
                             f"引用的“{target}”尚未公开，链接暂不显示", "warning")
    for display, sketch in sketches:
        for ref in sketch.references:
            # a file that names an item whose own file has mistakes: that file is reported already
            if ref.target not in known and ref.target not in written:
                problems.add(display, ref.line, ref.label, _missing(ref.label, ref.target, by_number))


def _plain(number: str) -> str:
    """A 发文字号 compared as an editor would: spaces and bracket forms do not matter."""
    return re.sub(r"\s+", "", number).translate(_BRACKETS)


_BRACKETS = str.maketrans("[]【】﹝﹞（）()", "〔〕〔〕〔〕〔〕〔〕")


def _missing(label: str, target: str, by_number: dict[str, list[Item]]) -> str:
    """No item has this 索引号; when it is an item's 发文字号, which 索引号 to write instead."""
    named = by_number.get(_plain(target), [])
    if len(named) == 1:
        item = named[0]
        return (f"“{target}”是发文字号，这里要写索引号：发文字号为“{item.doc_number}”的是 "
                f"{item.source}（{item.title}），其索引号是“{item.id}”，请写成“{label}: {item.id}”")
    if len(named) > 1:
        listed = "、".join(f"“{i.id}”（{i.source}）" for i in named)
        return f"“{target}”是发文字号，这里要写索引号：有 {len(named)} 个条目用这个发文字号（{listed}），请写其中被引用那个的索引号"
    return f"引用的索引号“{target}”不存在：{label}要写被引用条目的索引号（在其文件开头“索引号:”一行）"


def check_empty_columns(site: Site, problems: Problems) -> None:
    """A column with nothing published fails inspections (国办秘函〔2019〕19号): say so early."""
    for category in site.category_by_code.values():
        if not site.items_in(category) and category.empty_note is None:
            problems.add("catalog/categories.yml", category.line, "目录",
                         f"栏目“{category.name}”（{category.code}）没有已公开的信息：网站检查会把空白栏目"
                         "判为不合格，请补充信息，或用 empty_note 写明暂无信息的原因（例如“本机关无此职责”）", "warning")
    if not site.rules:
        problems.add("content/" + "/".join(RULES_DIR), None, None,
                     "“政府信息公开制度”栏目没有内容：请在此目录下为每项制度写一个 Markdown 文件", "warning")
