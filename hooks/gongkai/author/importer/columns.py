"""Which column of an export holds which field.

Old systems (TRS, 开普云, 大汉 …) label the same field differently; the headings below are
the ones seen in their exports, in Chinese and English. An unusual export gets a mapping
file (``--mapping``): a YAML mapping ``列名: 字段`` where the field is its Chinese label or
English key, or ``忽略``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.read.source import SourceError, read_yaml
from gongkai.schema.front_matter import ALIASES, LABELS

#: fields an export can fill, beyond the front matter: the body and where it came from
BODY = "body"
IGNORE = "ignore"
EXTRA_LABELS = {BODY: "正文", IGNORE: "忽略"}

#: heading (normalised: lower case, no spaces or punctuation) -> field
HEADINGS: dict[str, str] = {}
for _field, _names in {
    "id": "索引号 索引 信息索引号 索引编号 index indexno indexnumber id",
    "title": "标题 名称 信息名称 文件名称 文件标题 题名 信息标题 title name subject_title",
    "agency": "发布机构 发文机关 发文单位 发布单位 信息来源 来源 来源单位 所属机构 publisher agency organ "
              "department source",
    "created": "成文日期 生成日期 形成日期 印发日期 制发日期 签发日期 文件日期 created createddate datewritten "
               "issuedate",
    "published": "发布日期 公开日期 发布时间 公开时间 上网日期 published publishdate pubdate releasedate",
    "doc_number": "发文字号 文号 文件编号 文件字号 发文号 docnumber documentnumber fileno referencenumber",
    "category": "目录 栏目 所属栏目 信息类别 公开目录 目录分类 信息分类 栏目名称 category column channel",
    "topic": "主题分类 主题 主题类别 topic theme",
    "keywords": "主题词 关键词 关键字 keywords keyword tags",
    "summary": "内容概述 摘要 内容描述 概述 内容摘要 简介 summary abstract description",
    "status": "有效性 效力状态 时效性 是否有效 效力 文件状态 status validity",
    "repealed": "废止日期 失效日期 repealed repealdate expirydate",
    "superseded_by": "替代文件 替代文件索引号 supersededby",
    "disclosure": "公开方式 公开属性 disclosure",
    "audience": "公开范围 audience",
    "channels": "公开载体 公开渠道 channels",
    BODY: "正文 内容 信息内容 文章内容 正文内容 全文 body content html text",
    "attachments": "附件 附件列表 附件名称 相关附件 attachments attachment files",
}.items():
    for _name in _names.split():
        HEADINGS[_name] = _field

_PUNCT = re.compile(r"[\s_\-:：*＊()（）\[\]【】]+")


def normalise(heading: str) -> str:
    return _PUNCT.sub("", heading).lower()


def label(field: str) -> str:
    """The Chinese name of a field, for messages and the mapping printout."""
    return EXTRA_LABELS.get(field) or LABELS.get(field, field)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    headings: tuple[str, ...]
    fields: tuple[str | None, ...]  # per column: the field, or None when it is not used

    def column_of(self, field: str) -> int | None:
        return self.fields.index(field) if field in self.fields else None

    def describe(self) -> list[str]:
        out = []
        for heading, field in zip(self.headings, self.fields, strict=False):
            out.append(f"  {heading} → {label(field) if field else '（未识别，不导入）'}")
        return out


class MappingError(Exception):
    pass


#: sections of a mapping file, in Chinese or English
SECTIONS = {"列名": "columns", "columns": "columns", "目录对照": "categories", "categories": "categories",
            "机构对照": "agencies", "agencies": "agencies"}


def read_mapping_file(path: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(heading -> field, {"categories"|"agencies": old name -> ours}) from a YAML file:
    either a plain ``列名: 字段`` mapping or the sections 列名, 目录对照, 机构对照."""
    try:
        doc = read_yaml(path, path.name)
    except SourceError as exc:
        raise MappingError(exc.problem.format()) from None
    data = doc.data
    if not isinstance(data, dict):
        raise MappingError(f"{path.name}: 应为“列名: 字段”形式的映射")
    sections: dict[str, dict[str, str]] = {}
    if data and set(data) <= set(SECTIONS):
        for key, value in data.items():
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise MappingError(f"{path.name}:{doc.line_of((key,))}: {key}: 应为“旧名称: 新名称”形式的映射")
            sections[SECTIONS[key]] = {str(k): v.strip() for k, v in value.items()}
        at = next((k for k in data if SECTIONS[k] == "columns"), None)
        data = sections.pop("columns", {})
    else:
        at = None
    return _columns(data, doc, path, at), sections


def _columns(data: dict, doc, path: Path, section: str | None) -> dict[str, str]:
    known = set(HEADINGS.values())
    by_label = {label(f): f for f in known} | {f: f for f in known} | {"忽略": IGNORE, IGNORE: IGNORE}
    out = {}
    for heading, field in data.items():
        target = by_label.get(str(field).strip()) if isinstance(field, str) else None
        if target is None:
            raise MappingError(
                f"{path.name}:{doc.line_of((section, heading) if section else (heading,))}: {heading}: "
                f"不认识字段“{field}”；可用："
                + "、".join(sorted({label(f) for f in known})) + "、忽略")
        out[str(heading)] = target
    return out


def guess(headings: list[str], mapping: dict[str, str] | None = None) -> ColumnMap:
    """Each heading's field: the mapping file first, then the known headings. A field
    claimed twice goes to its first column."""
    mapping = mapping or {}
    taken: set[str] = set()
    fields: list[str | None] = []
    for heading in headings:
        field = mapping.get(heading) or mapping.get(heading.strip())
        if field is None:
            field = HEADINGS.get(normalise(heading))
            if field is None and heading.strip() in ALIASES[""]:
                field = ALIASES[""][heading.strip()]
        if field == IGNORE or field in taken:
            field = None
        if field is not None:
            taken.add(field)
        fields.append(field)
    return ColumnMap(tuple(headings), tuple(fields))
