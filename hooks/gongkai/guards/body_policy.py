"""What an author's body may not imitate: the page's own title and the system's notices.

Every page already has its one H1 (the title, written by the generator); a second one
from the body makes a page with two titles, and a screen reader's outline starts in the
wrong place. An admonition titled like the generator's own notices (``本文件已废止，不再
有效``, the preview's ``草稿`` banner) would tell a visitor a document's status that its
record does not say. Both are read from the Markdown source, outside code blocks, so that
``gongkai check`` and the build refuse the same bodies without converting them.
"""

from __future__ import annotations

import html
import re

from gongkai import vocab

#: words of the generator's own notices (render/templates/item.md.j2, render.pages.PREVIEW_NOTICES):
#: a document's validity and publication state are said only by its record
NOTICE_WORDS = (*(f"已{s.removeprefix('已')}" for s in vocab.NOT_IN_FORCE), "已被修订", "已撤回", "已撤销",
                "不再有效", "草稿", "定时发布", "仅预览可见", "未审查", "尚未发布")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# at a line's start, in a quote or a list item too ("> # 标题", "- # 标题" are H1s as well)
_ATX_H1 = re.compile(r"^(?: {0,3}>[ \t]?)*(?: {0,3}(?:[-*+]|\d+[.)])[ \t]+)?#(?!#)")
_SETEXT_H1 = re.compile(r"^=+[ \t]*$")
_RAW_H1 = re.compile(r"<h1[\s/>]", re.I)
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*([\w-]+(?:[ \t]+[\w-]+)*)?[ \t]*(?:"(.*?)")?[ \t]*$')
_RAW_TITLE = re.compile(r'class\s*=\s*["\']?[^"\'>]*admonition-title[^>]*>(.*?)(?:</|$)', re.I)


def findings(text: str) -> list[tuple[int, str]]:
    """(0-based line, message) for each second H1 and each imitated notice in ``text``."""
    out: list[tuple[int, str]] = []
    fence: str | None = None
    previous = ""
    for number, line in enumerate(text.split("\n")):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            previous = ""
            continue
        if m:
            fence = m.group(1)
            previous = ""
            continue
        if _ATX_H1.match(line) or _RAW_H1.search(line) or (
                _SETEXT_H1.match(line) and previous.strip() and not previous.startswith(("    ", "\t"))):
            out.append((number, "正文中有一级标题：页面标题已由“标题”字段生成，正文的标题请从二级标题开始"
                                "（把行首的“# ”改为“## ”，或把标题下的“===”改为“---”）"))
        title = _notice_title(line)
        if title is not None:
            shown = html.unescape(title)  # an entity shows as its character
            words = [w for w in NOTICE_WORDS if w in shown]
            if words:
                out.append((number, f"提示框标题“{shown}”含有“{words[0]}”，与系统自动显示的文件状态提示相同："
                                    "文件是否有效、是否发布只能由“有效性”“废止日期”“草稿”等字段说明，"
                                    "请改用其他标题或删去该提示框"))
        previous = line
    return out


def _notice_title(line: str) -> str | None:
    m = _ADMONITION.match(line)
    if m is not None:
        return m.group(2) or m.group(1) or ""
    raw = _RAW_TITLE.search(line)
    if raw is not None:
        return re.sub(r"<[^>]*>", "", raw.group(1))
    return None
