"""The 2021 national layout of the annual report (国办公开办函〔2021〕30号).

Row labels, their order and the column groups are fixed by the national
format; everything that renders or checks a report reads them from here so
the page, the JSON and the checks cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
#: sections whose table the generator places after the agency's text
TABLE_SECTIONS = {1: "二", 2: "三", 3: "四"}

# --- section 二 ------------------------------------------------------------------------------

REG_ROWS = ("规章", "行政规范性文件")
REG_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
DECISION_ROWS = ("行政许可", "行政处罚", "行政强制")
FEE_ROW = "行政事业性收费"


@dataclass(frozen=True, slots=True)
class Block:
    caption: str  # 第二十条第（一）项
    columns: tuple[str, ...]  # after 信息内容
    rows: tuple[str, ...]


SECTION2_BLOCKS = (
    Block("第二十条第（一）项", REG_COLUMNS, REG_ROWS),
    Block("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    Block("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    Block("第二十条第（八）项", ("本年收费金额（单位：万元）",), (FEE_ROW,)),
)

# --- section 三 ------------------------------------------------------------------------------

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
LEGAL_PERSONS = APPLICANTS[1:]
COLUMNS3 = APPLICANTS + ("总计",)
SECTION3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # "一", "三.一", "三.三.1", "四": the national numbering
    label: str  # exactly as printed in the national form
    group: str | None = None  # the merged label above it, e.g. "（三）不予公开"
    outcome: bool = False  # one of the 21 ways an application ends (（一）（二） and 19 numbered)

    @property
    def short(self) -> str:
        """The label without its number: what editors write in the register."""
        label = self.label
        for prefix in ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）"):
            label = label.removeprefix(prefix)
        if len(label) > 2 and label[0].isdigit() and label[1] == ".":
            label = label[2:]
        return label.split("（", 1)[0] if self.key == "三.二" else label


def _numbered(group_key: str, group: str, labels: list[str]) -> list[Row]:
    return [Row(f"三.{group_key}.{i}", f"{i}.{label}", group, True) for i, label in enumerate(labels, 1)]


ROWS3: tuple[Row, ...] = (
    Row("一", "一、本年新收政府信息公开申请数量"),
    Row("二", "二、上年结转政府信息公开申请数量"),
    Row("三.一", "（一）予以公开", None, True),
    Row("三.二", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, True),
    *_numbered("三", "（三）不予公开", [
        "属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
        "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]),
    *_numbered("四", "（四）无法提供", [
        "本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"]),
    *_numbered("五", "（五）不予处理", [
        "信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
        "要求行政机关确认或重新出具已获取信息"]),
    *_numbered("六", "（六）其他处理", [
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"]),
    Row("三.七", "（七）总计"),
    Row("四", "四、结转下年度继续办理"),
)
OUTCOMES: tuple[Row, ...] = tuple(r for r in ROWS3 if r.outcome)
ROW3_BY_KEY = {r.key: r for r in ROWS3}
#: group heading -> its numbered rows, in order
GROUPS3: dict[str, tuple[Row, ...]] = {}
for _row in ROWS3:
    if _row.group:
        GROUPS3.setdefault(_row.group, ())
        GROUPS3[_row.group] += (_row,)
GROUP_KEYS = {"三.三": "（三）不予公开", "三.四": "（四）无法提供", "三.五": "（五）不予处理",
              "三.六": "（六）其他处理"}
RESULTS_GROUP = "三、本年度办理结果"

# --- section 四 ------------------------------------------------------------------------------

CASE_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结")
CASE_COLUMNS = CASE_RESULTS + ("总计",)
CASE_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
#: the 15 columns of section 四, in national order
COLUMNS4 = tuple(f"{g}.{c}" for g in CASE_GROUPS for c in CASE_COLUMNS)


def columns4_labels() -> list[str]:
    """Human labels of the 15 columns, for CSV and JSON."""
    out = []
    for group in CASE_GROUPS:
        prefix = "行政复议" if group == "行政复议" else f"行政诉讼·{group}"
        out += [f"{prefix}·{c}" for c in CASE_COLUMNS]
    return out
