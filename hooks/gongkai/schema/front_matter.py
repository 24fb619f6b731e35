"""The front-matter schema of a disclosure item.

Every key is English; each also accepts its Chinese label (``title`` or
``标题``). Values arrive as strings from ``strict_yaml`` and are converted
here, so ``010`` stays "010" and ``no`` is not False. Messages are Chinese
and say what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from gongkai import vocab
from gongkai.schema.doc_number import check as check_doc_number


def fail(message: str, field: str | None = None) -> PydanticCustomError:
    """A Chinese message; ``field`` names the key for checks across fields."""
    return PydanticCustomError("gongkai", message, {"field": field} if field else None)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "映射（键: 值）"
    if isinstance(value, list):
        return "列表"
    return f"“{value}”"


def parse_text(value: Any) -> str:
    if value is None:
        raise fail("不能为空")
    if not isinstance(value, str):
        raise fail(f"应为一段文本，实际写成了{_describe(value)}")
    value = value.strip()
    if not value:
        raise fail("不能为空")
    return value


_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = parse_text(value)
    m = _DATE.match(text)
    if not m:
        loose = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", text)
        hint = ""
        if loose:
            hint = f"，例如“{int(loose[1]):04d}-{int(loose[2]):02d}-{int(loose[3]):02d}”"
        raise fail(f"日期“{text}”应写成 YYYY-MM-DD{hint}")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise fail(f"日期“{text}”不存在") from None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "True", "TRUE", "是"):
        return True
    if value in ("false", "False", "FALSE", "否"):
        return False
    raise fail(f"应写 true 或 false，而不是{_describe(value)}")




def parse_text_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,，、;；\s]+", value.strip()) if part]
    if not isinstance(value, list):
        raise fail(f"应为列表，实际写成了{_describe(value)}")
    return [parse_text(v) for v in value]


def one_of(options: tuple[str, ...], what: str):
    def check(value: Any) -> str:
        text = parse_text(value)
        if text not in options:
            raise fail(f"{what}“{text}”不在可选范围内，应为：{'、'.join(options)}")
        return text
    check.options = options  # type: ignore[attr-defined]  # read by the field reference
    return check


def parse_channels(value: Any) -> list[str]:
    items = parse_text_list(value)
    check = one_of(vocab.CHANNELS, "公开载体")
    return [check(v) for v in items]


def parse_doc_number(value: Any) -> str:
    text = parse_text(value)
    result = check_doc_number(text)
    if not result.ok:
        raise fail(result.message())
    return text


Text = Annotated[str, BeforeValidator(parse_text)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
Bool = Annotated[bool, BeforeValidator(parse_bool)]
TextList = Annotated[list[str], BeforeValidator(parse_text_list)]


def field(zh: str, description: str, example: str, form_default: str | None = None, **kwargs: Any) -> Any:
    """``form_default``: what the web form shows before anyone chooses; a block holding only
    such values was left untouched."""
    extra: dict[str, Any] = {"zh": zh, "example": example}
    if form_default is not None:
        extra["form_default"] = form_default
    return Field(description=description, json_schema_extra=extra, **kwargs)


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FormModel(StrictModel):
    """Front matter, which web forms write too: an optional field left empty (``""``, null, an
    empty list or mapping, a block holding only ``form_default`` values) is read as not
    written (``load.validation``)."""

    form_input: ClassVar[bool] = True


class SecrecyReview(FormModel):
    reviewer: Text = field("审查人", "保密审查的审查人：本机构在 catalog/agencies.yml 中登记的审查人之一的姓名", "王丽")
    date: Date = field("审查日期", "审查日期，不早于成文日期，不晚于发布日期", "2025-03-17")
    result: Annotated[str, BeforeValidator(one_of(vocab.REVIEW_RESULTS, "审查结果"))] = field(
        "审查结果", "只有“同意公开”的条目才会发布", "同意公开", form_default="待审查")


class NoticePeriod(FormModel):
    start: Date = field("开始日期", "公示开始日期", "2025-06-01")
    end: Date = field("结束日期", "公示结束日期", "2025-06-07")

    @model_validator(mode="after")
    def _ordered(self) -> NoticePeriod:
        if self.end < self.start:
            raise fail(f"公示结束日期 {self.end} 早于开始日期 {self.start}", "end")
        return self


class ManualReview(FormModel):
    reviewer: Text = field("审查人", "逐页查看过附件、确认其中没有个人信息的人：本机构登记的审查人之一的姓名", "王丽")
    reason: Text = field("理由", "为什么无需自动检查也可以公开（如“扫描件，已逐页核对，无个人信息”）",
                          "扫描件，已逐页核对，无身份证号、手机号、银行卡号")


class AttachmentRef(FormModel):
    file: Text = field("文件", "与条目 Markdown 文件放在同一目录的附件文件名", "名单.csv")
    title: Text | None = field("名称", "附件名称，缺省时用文件名", "2025年低保对象名单", default=None)
    manual_review: ManualReview | None = field(
        "人工审查", "图片、扫描件等无法自动检查个人信息的附件，写明审查人和理由后才能发布", "见下文",
        default=None)


class PersonalDataException(FormModel):
    numbers: TextList = field(
        "号码", "确需公开的办公电话（座机，或 catalog/agencies.yml 中登记的机构电话、传真）；"
        "身份证号、银行卡号、手机号一律不能例外公开", "[0571-65000201]")
    reason: Text = field("理由", "为什么可以公开；审查人在合并请求的差异报告中看到", "本机构对外公布的办公电话")

    @model_validator(mode="after")
    def _some(self) -> PersonalDataException:
        if not self.numbers:
            raise fail("请列出确需公开的号码", "numbers")
        return self


class FrontMatter(FormModel):
    id: Text = field("索引号", "全站唯一、永不复用；格式见 catalog/site.yml", "002501002/2025-00007")
    title: Text = field("标题", "信息名称", "青禾县乡村振兴局关于印发……的通知")
    agency: Text = field("发布机构", "catalog/agencies.yml 中的机构名称或代码", "青禾县乡村振兴局")
    category: Text = field("目录", "catalog/categories.yml 中的目录代码", "gfxwj")
    created: Date = field("成文日期", "文件形成（签发）日期", "2025-03-10")
    published: Date = field("发布日期", "公开日期，不早于成文日期；晚于构建日期的条目暂不公开", "2025-03-18")
    doc_number: Annotated[str, BeforeValidator(parse_doc_number)] | None = field(
        "发文字号", "GB/T 9704 格式：机关代字〔年份〕序号号；令写作 X令第N号；按年编号的令、公告写作 X公告2022年第3号（见编辑指南第七节）", "青乡振发〔2025〕4号",
        default=None)
    status: Annotated[str, BeforeValidator(one_of(vocab.STATUSES, "有效性"))] = field(
        "有效性", "有效、失效、废止或已修订", "有效", default="有效")
    repealed: Date | None = field("废止日期", "废止或失效的日期", "2026-01-01", default=None)
    superseded_by: Text | None = field("替代文件", "替代本文件的文件的索引号", "002501002/2026-00003",
                                        default=None)
    topic: Text | None = field("主题分类", "22 类主题分类，写作“顶级\\二级”", "民政、扶贫、救灾\\扶贫",
                                default=None)
    keywords: TextList = field("主题词", "关键词列表", "[乡村振兴, 补助资金]", default_factory=list)
    summary: Text | None = field("内容概述", "一句话概述；缺省时取正文开头", "明确补助资金的使用范围和程序。",
                                  default=None)
    disclosure: Annotated[str, BeforeValidator(one_of(vocab.DISCLOSURES, "公开方式"))] = field(
        "公开方式", "只有主动公开的条目会出现在网站上", "主动公开", default="主动公开")
    audience: Annotated[str, BeforeValidator(one_of(vocab.AUDIENCES, "公开范围"))] = field(
        "公开范围", "面向全社会或特定群体", "面向全社会", default="面向全社会")
    channels: Annotated[list[str], BeforeValidator(parse_channels)] = field(
        "公开载体", "公开渠道和载体列表", "[政府网站, 两微一端]", default_factory=lambda: ["政府网站"])
    interprets: Text | None = field("解读对象", "本解读所解读的政策文件的索引号", "002501002/2025-00007",
                                     default=None)
    review: SecrecyReview | None = field("审查", "保密审查记录：审查人、审查日期、审查结果", "见下文", default=None)
    notice_period: NoticePeriod | None = field("公示期", "公示类信息的公示起止日期", "见下文", default=None)
    attachments: list[AttachmentRef] = field("附件", "附件列表：文件、名称", "见下文", default_factory=list)
    old_id: Text | None = field(
        "原索引号", "从旧系统导入时原来的索引号（不符合本站格式或已被占用，已重新分配）；只作记录，不公开",
        "QH-2019-0012", default=None)
    imported: Bool = field(
        "历史导入", "true 表示从旧网站迁移的历史信息（发布日期早于提交日期不算倒签）：只用于发布日期早于"
        "本站上线日期（catalog/site.yml 的 go_live）或带有原索引号的条目，由 gongkai import 写入",
        "false", default=False)
    personal_data_exception: PersonalDataException | None = field(
        "个人信息例外", "确需公开的办公电话及理由：号码、理由；由本机构审查人在合并请求中确认", "见下文", default=None)
    draft: Bool = field("草稿", "true 表示草稿，不出现在任何输出中", "false", default=False)

    @model_validator(mode="after")
    def _consistent(self) -> FrontMatter:
        if self.published < self.created:
            raise fail(f"发布日期 {self.published} 早于成文日期 {self.created}", "published")
        if self.repealed is not None:
            if self.status == "有效":
                raise fail("写了废止日期，但有效性仍为“有效”：请把有效性改为废止、失效或已修订", "status")
            if self.repealed < self.created:
                raise fail(f"废止日期 {self.repealed} 早于成文日期 {self.created}", "repealed")
        if self.status in vocab.NOT_IN_FORCE and self.repealed is None and self.superseded_by is None:
            raise fail(f"有效性为“{self.status}”时，请写明废止日期或替代文件", "status")
        if self.review is not None and self.review.date > self.published:
            raise fail(f"审查日期 {self.review.date} 晚于发布日期 {self.published}：应先审后发", "review")
        if self.interprets is not None and self.interprets == self.id:
            raise fail("解读对象不能是本条目自己", "interprets")
        return self


def _aliases(model: type[BaseModel]) -> dict[str, str]:
    return {str(extra["zh"]): name for name, info in model.model_fields.items()
            if isinstance(extra := info.json_schema_extra, dict)}


#: Chinese label -> English key, per nesting level
ALIASES: dict[str, dict[str, str]] = {
    "": _aliases(FrontMatter),
    "review": _aliases(SecrecyReview),
    "notice_period": _aliases(NoticePeriod),
    "attachments": _aliases(AttachmentRef),
    "manual_review": _aliases(ManualReview),
    "personal_data_exception": _aliases(PersonalDataException),
}
#: English key -> Chinese label, for messages; top-level labels win (title is 标题, not the
#: attachment's 名称)
LABELS: dict[str, str] = {en: zh for table in reversed(ALIASES.values()) for zh, en in table.items()}
