"""政府信息公开制度: the agency's own rules, one Markdown file each under content/pages/rules/.

They are documents, not catalogue items (no 索引号), but they are published as items
are: only after a secrecy review (审查) approved them, never as a draft (草稿), and not
before their 发布日期 (``model.visibility``, the items' rule). They are read with the same
strictness: UTF-8 only, strict YAML front matter, Chinese messages naming file, line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import model_validator

from gongkai.load.validation import read_and_validate
from gongkai.model import PREVIEW_SHOWN, Visibility, visibility
from gongkai.problems import Problems
from gongkai.schema.front_matter import Bool, Date, SecrecyReview, StrictModel, Text, fail, field

RULES_DIR = ("pages", "rules")  # under content/
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


class RuleFrontMatter(StrictModel):
    title: Text = field("标题", "制度名称", "青禾县人民政府政府信息公开工作制度")
    published: Date | None = field("发布日期", "印发或发布日期", "2024-03-01", default=None)
    doc_number: Text | None = field("发文字号", "印发该制度的文件字号（如有）", "青政办发〔2024〕3号",
                                     default=None)
    review: SecrecyReview | None = field("审查", "保密审查记录：审查人、审查日期、审查结果", "见下文", default=None)
    draft: Bool = field("草稿", "true 表示草稿，不出现在网站上", "false", default=False)

    @model_validator(mode="after")
    def _reviewed_first(self) -> RuleFrontMatter:
        if self.review is not None and self.published is not None and self.review.date > self.published:
            raise fail(f"审查日期 {self.review.date} 晚于发布日期 {self.published}：应先审后发", "review")
        return self


@dataclass(frozen=True, slots=True)
class RuleDoc:
    slug: str  # file name without .md; the page is rules/<slug>/
    title: str
    published: dt.date | None
    doc_number: str | None
    body: str
    source: str
    body_line: int = 1  # line of the body's first line in the source file
    state: Visibility = "public"  # on the build date

    @property
    def url(self) -> str:
        return f"rules/{self.slug}/"


def load_rules(content: Path, rel, problems: Problems, today: dt.date | None = None,
               preview: bool = False) -> list[RuleDoc]:
    """The rule documents published on ``today`` (with ``preview``, drafts and unreviewed ones
    too), newest first (undated last); problems collected, never raised. Without ``today``
    every valid document."""
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
        state = visibility(fm.draft, fm.review, fm.published, today or dt.date.max)
        if state == "unreviewed":
            message = ("未经保密审查同意的制度不能发布：请补充审查记录（审查人、审查日期、审查结果: 同意公开），"
                       "或写 草稿: true 暂存为草稿")
            written = source.front.lines
            line = written.get(("审查",)) or written.get(("review",)) or source.front.line_of(())
            # the preview shows it to the editor before the review; the publish refuses it
            problems.add(display, line, "审查", message, "warning" if preview else "error")
        if today is not None and state not in (PREVIEW_SHOWN if preview else ("public",)):
            continue
        docs.append(RuleDoc(path.stem, fm.title, fm.published, fm.doc_number, source.body, display,
                            source.body_line, state))
    return sorted(docs, key=lambda d: (d.published is not None, d.published or dt.date.min), reverse=True)
