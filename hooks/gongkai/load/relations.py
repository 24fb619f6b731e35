"""Relations between items and between the items and the catalog, once every item is read:
解读 and 替代 references, columns with nothing published."""

from __future__ import annotations

from gongkai.load.rules import RULES_DIR
from gongkai.model import Site
from gongkai.problems import Problems


def check_relations(site: Site, problems: Problems) -> None:
    """解读 and 替代 references must name an existing item."""
    known = {i.id: i for i in site.items}
    for item in site.items:
        for name, label, target in (("interprets", "解读对象", item.interprets),
                                    ("superseded_by", "替代文件", item.superseded_by)):
            if target is None:
                continue
            if target not in known:
                problems.add(item.source, item.lines.get(name), label, f"引用的索引号“{target}”不存在")
            elif (item.visibility(site.build_date) == "public"
                  and known[target].visibility(site.build_date) != "public"):
                problems.add(item.source, item.lines.get(name), label,
                             f"引用的“{target}”尚未公开，链接暂不显示", "warning")


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
