"""政府信息公开制度: the agency's own rules, one Markdown file each under content/pages/rules/.

They are documents, not catalogue items (no 索引号, no review record), but they are
read with the same strictness: UTF-8 only, strict YAML front matter, Chinese
messages naming file, line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.load.validation import read_and_validate
from gongkai.problems import Problems
from gongkai.schema.front_matter import Date, StrictModel, Text, field

RULES_DIR = ("pages", "rules")  # under content/
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


class RuleFrontMatter(StrictModel):
    title: Text = field("标题", "制度名称", "青禾县人民政府政府信息公开工作制度")
    published: Date | None = field("发布日期", "印发或发布日期", "2024-03-01", default=None)
    doc_number: Text | None = field("发文字号", "印发该制度的文件字号（如有）", "青政办发〔2024〕3号",
                                     default=None)


@dataclass(frozen=True, slots=True)
class RuleDoc:
    slug: str  # file name without .md; the page is rules/<slug>/
    title: str
    published: dt.date | None
    doc_number: str | None
    body: str
    source: str
    body_line: int = 1  # line of the body's first line in the source file

    @property
    def url(self) -> str:
        return f"rules/{self.slug}/"


def load_rules(content: Path, rel, problems: Problems) -> list[RuleDoc]:
    """Every rule document, newest first (undated last); problems collected, never raised."""
    folder = content.joinpath(*RULES_DIR)
    docs: list[RuleDoc] = []
    if not folder.is_dir():
        return docs
    for path in sorted(folder.glob("*.md")):
        if path.is_symlink() or not path.is_file():
            continue  # the content walk reports links and folders named *.md
        display = rel(path)
        if not _SLUG.fullmatch(path.stem):
            problems.add(display, None, None, f"文件名“{path.name}”用作网址，只能用小写字母、数字和连字符")
            continue
        source, fm = read_and_validate(path, display, RuleFrontMatter, problems)
        if source is None or fm is None:
            continue
        docs.append(RuleDoc(path.stem, fm.title, fm.published, fm.doc_number, source.body, display,
                            source.body_line))
    return sorted(docs, key=lambda d: (d.published is not None, d.published or dt.date.min), reverse=True)
