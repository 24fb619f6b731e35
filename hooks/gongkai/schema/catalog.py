"""Schemas of the files under ``catalog/``: site, agencies, categories, topics."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, model_validator

from gongkai import vocab
from gongkai.schema import regex_budget
from gongkai.schema.front_matter import (
    Bool,
    Date,
    StrictModel,
    Text,
    TextList,
    fail,
    field,
    one_of,
    parse_bool,
    parse_text,
    parse_text_list,
)

DEFAULT_ID_PATTERN = r"(?P<agency>[0-9A-Z]{9}|[0-9A-Z]{18})/(?P<year>\d{4})-(?P<seq>\d{5})"
DEFAULT_ID_FORMAT = "{agency}/{year}-{seq:05d}"
#: the edit-time checks a site may treat as errors (gongkai.audit.edit_checks.NAMES)
EDIT_CHECKS = ("超期公开", "公示期不足", "解读未关联原文", "发文字号重复", "机关代字不符")


def _pattern(value: Any) -> str:
    text = parse_text(value)
    try:
        compiled = re.compile(text)
    except re.error as exc:
        raise fail(f"不是有效的正则表达式：{exc}") from None
    missing = {"agency", "year", "seq"} - set(compiled.groupindex)
    if missing:
        raise fail(f"索引号格式须含命名分组 {', '.join(sorted(missing))}，例如 (?P<year>\\d{{4}})")
    slow = regex_budget.problem(text)
    if slow is not None:
        raise fail(slow)
    return text


def _positive_int(value: Any) -> int:
    text = parse_text(value)
    if not re.fullmatch(r"[1-9]\d*", text):
        raise fail(f"应为正整数，而不是“{text}”")
    if len(text) > 9:  # no setting needs more, and int() of thousands of digits raises
        raise fail(f"“{text[:12]}…”有 {len(text)} 位，数值过大")
    return int(text)


PositiveInt = Annotated[int, BeforeValidator(_positive_int)]


def _web_url(value: Any) -> str:
    """A link a visitor follows (filing records, error-report platform): http(s) only."""
    text = parse_text(value)
    if not re.fullmatch(r"https?://[^\s<>\"'`]+", text):
        raise fail(f"“{text}”不是以 http:// 或 https:// 开头的网址")
    return text


WebUrl = Annotated[str, BeforeValidator(_web_url)]


def _forge_user(value: Any) -> str:
    """A user name on GitHub, Gitea/Forgejo or GitLab: what CODEOWNERS writes after ``@``."""
    text = parse_text(value).removeprefix("@")
    if not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?", text):
        raise fail(f"平台用户名“{text}”只能用英文字母、数字、点、下划线和连字符（不超过 40 个字符），"
                   "写在代码托管平台上登录用的用户名，例如 wangli")
    return text


ForgeUser = Annotated[str, BeforeValidator(_forge_user)]
#: 公开方式 of the 基层政务公开标准目录
METHODS = ("主动公开", "依申请公开")


def _methods(value: Any) -> list[str]:
    check = one_of(METHODS, "公开方式")
    return [check(v) for v in parse_text_list(value)]


def _channels(value: Any) -> list[str]:
    check = one_of(vocab.CHANNELS, "公开渠道和载体")
    return [check(v) for v in parse_text_list(value)]


class Person(StrictModel):
    """Someone who may act on the site's repository: their forge account and their name."""

    user: ForgeUser = field("平台用户名", "代码托管平台（GitHub、Gitea/Forgejo、GitLab）上的用户名，不带 @",
                            "wangli")
    name: Text = field("姓名", "显示的姓名；审查人还要与条目“审查人”字段写的完全一致", "王丽")


def _no_repeats(people: list[Person], key: str) -> None:
    seen: set[str] = set()
    for person in people:
        if person.user.lower() in seen:
            raise fail(f"平台用户名“{person.user}”重复", key)
        seen.add(person.user.lower())


#: the port ``npx decap-server`` listens on unless told otherwise
DECAP_SERVER_PORT = 8081


def _local_port(value: Any) -> int | None:
    """``true`` (Decap's local proxy on its own port), ``false``, or a port number."""
    if isinstance(value, bool) or value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return DECAP_SERVER_PORT if parse_bool(value) else None
    port = _positive_int(value)
    if port > 65535:
        raise fail(f"端口 {port} 超出范围（1–65535）")
    return port


#: Decap CMS backends, and whether each can save through pull requests (editorial workflow)
CMS_BACKENDS = {"forgejo": True, "gitea": False, "gitlab": True, "github": True}


class CmsSettings(StrictModel):
    backend: Annotated[str, BeforeValidator(one_of(tuple(CMS_BACKENDS), "平台"))] = field(
        "平台", "网页编辑器保存到的代码托管平台：" + "、".join(CMS_BACKENDS), "forgejo")
    repo: Text = field("仓库", "仓库的“所有者/名称”", "qinghe/xxgk")
    base_url: WebUrl | None = field(
        "平台网址", "自建平台的网址（github.com 不写）", "https://git.qinghe.example.gov.cn", default=None)
    app_id: Text | None = field("应用ID", "平台上为网页编辑器登记的 OAuth 应用的客户端 ID", "0f3c…", default=None)
    branch: Text = field("分支", "网站发布的分支", "main", default="main")
    local_backend: Annotated[int | None, BeforeValidator(_local_port)] = field(
        "本地代理", "在本机编辑时保存到本机仓库：true（decap-server 的默认端口 8081）或端口号；"
        "只在从 localhost 或 127.0.0.1 打开 /admin/ 时生效", "true", default=None)


class SiteSettings(StrictModel):
    title: Text = field("网站名称", "网站标题", "青禾县人民政府信息公开")
    owner: Text = field("主办单位", "页脚的主办单位", "青禾县人民政府办公室")
    address: Text | None = field("地址", "主办单位地址", "青禾县人民路1号", default=None)
    phone: Text | None = field("联系电话", "页脚联系电话", "0571-00000000", default=None)
    email: Text | None = field("电子邮箱", "页脚电子邮箱", "xxgk@example.gov.cn", default=None)
    site_code: Text | None = field("网站标识码", "10 位网站标识码", "3301270001", default=None)
    icp: Text | None = field("ICP备案编号", "链接到工业和信息化部备案系统", "浙ICP备00000000号", default=None)
    police_record: Text | None = field("公安机关备案号", "公安机关备案号", "浙公网安备33012702000000号",
                                        default=None)
    # Inspection marks of the footer (国办发〔2017〕47号, 国办秘函〔2019〕19号): links only, the
    # images are vendored under overrides/assets/marks/.
    police_record_url: WebUrl | None = field(
        "公安机关备案链接", "全国互联网安全管理服务平台上本站备案信息的网址",
        "https://beian.mps.gov.cn/#/query/webSearch?code=33012702000000", default=None)
    conac_url: WebUrl | None = field(
        "党政机关网站标识链接", "党政机关网站标识链接到的开办备案（事业单位/机关赋码）信息页网址",
        "https://bszs.conac.cn/sitename?method=show&id=0000000000000000", default=None)
    error_report_url: WebUrl | None = field(
        "我为政府网站找错", "全国政府网站“我为政府网站找错”监督平台上本站的入口网址",
        "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=3301270001",
        default=None)
    apply_online_url: WebUrl | None = field(
        "在线申请网址", "依申请公开的在线申请平台网址（没有则不写）",
        "https://www.zjzwfw.gov.cn/", default=None)
    id_pattern: Annotated[str, BeforeValidator(_pattern)] = field(
        "索引号格式", "索引号的正则表达式，须含 agency、year、seq 分组", DEFAULT_ID_PATTERN,
        default=DEFAULT_ID_PATTERN)
    id_format: Text = field("索引号模板", "gongkai new 生成索引号的模板", DEFAULT_ID_FORMAT,
                             default=DEFAULT_ID_FORMAT)
    items_per_page: PositiveInt = field("每页条数", "目录列表每页显示的条数", "20", default=20)
    # Self-inspection (gongkai audit) thresholds: local rules differ, so they are settings.
    regulation_review_months: PositiveInt = field(
        "规范性文件评估周期", "有效的行政规范性文件自成文起超过多少个月应评估清理（自查提示）", "24",
        default=24)
    min_notice_workdays: PositiveInt = field(
        "最短公示期", "公示期至少多少个工作日（含起止日）", "5", default=5)
    interpretation_lag_workdays: PositiveInt = field(
        "解读发布时限", "政策解读应在原文发布后多少个工作日内发布", "3", default=3)
    publishers: list[Person] = field(
        "发布人", "可以合并（发布）变更的平台用户：网站主办单位的管理员；目录、主题、程序和网站设置的变更须经其中一人批准",
        "[{user: chenjh, name: 陈建华}]", default_factory=list)
    go_live: Date | None = field(
        "上线日期", "本站上线的日期：只有发布日期早于它的条目（从旧网站迁移的）才能写“历史导入: true”",
        "2025-07-01", default=None)
    audit_page: Bool = field(
        "发布自查报告", "true 表示在网站上发布各年度自查报告页面（默认不发布）", "false", default=False)
    annual_blank_as_zero: Bool = field(
        "年报空白按零计", "true 表示填报表格中留空或写“/”的单元格按 0 计（每个文件给出一条警告）；"
        "默认逐行报错，要求填 0", "false", default=False)
    doc_number_sequence_only: Bool = field(
        "发文字号可仅写序号", "true 表示本站接受只有序号的发文字号（“第7号”“2022年第10号”），"
        "用于只按序号编号、不写机关代字的公告；默认要求写出机关代字", "false", default=False)
    cms: CmsSettings | None = field(
        "网页编辑器", "网页编辑器（/admin/）保存到哪里：平台、仓库、平台网址、分支；修改后运行 gongkai cms-config 并提交",
        "{backend: forgejo, repo: qinghe/xxgk, base_url: https://git.qinghe.example.gov.cn}", default=None)
    strict_checks: TextList = field(
        "按错误处理的检查", "gongkai check 默认只提示（警告）的这些检查中，本站按错误处理、阻止发布的："
        + "、".join(EDIT_CHECKS), "[超期公开, 发文字号重复]", default_factory=list)

    @model_validator(mode="after")
    def _strict_checks(self) -> SiteSettings:
        for name in self.strict_checks:
            if name not in EDIT_CHECKS:
                raise fail(f"“{name}”不是可按错误处理的检查；可写：" + "、".join(EDIT_CHECKS),
                            "strict_checks")
        return self

    @model_validator(mode="after")
    def _publishers(self) -> SiteSettings:
        _no_repeats(self.publishers, "publishers")
        return self

    @model_validator(mode="after")
    def _site_code(self) -> SiteSettings:
        if self.site_code is not None and not re.fullmatch(r"[0-9A-Za-z]{10}", self.site_code):
            raise fail(f"网站标识码“{self.site_code}”应为 10 位字母或数字", "site_code")
        return self


class Agency(StrictModel):
    code: Text = field("代码", "组织机构代码（9 位）或统一社会信用代码（18 位），用于索引号", "002501002")
    name: Text = field("名称", "机构全称", "青禾县乡村振兴局")
    slug: Text = field("简称代码", "网址中使用的英文简称", "xczx")
    doc_prefixes: TextList = field("机关代字", "发文字号中使用的机关代字", "[青乡振发]", default_factory=list)
    functions: Text | None = field("职能", "机构职能概述", "负责全县乡村振兴工作……", default=None)
    kind: Annotated[str, BeforeValidator(one_of(("政府", "部门"), "机构类型"))] | None = field(
        "机构类型", "政府（年报 3 月 31 日前公布）或部门（1 月 31 日前）；不写时名称以“人民政府”结尾的为政府",
        "部门", default=None)
    head: Text | None = field("负责人", "负责人姓名", "李明", default=None)
    head_title: Text | None = field("负责人职务", "负责人的职务", "局长", default=None)
    head_photo: Text | None = field(
        "负责人照片", "负责人照片文件，相对于站点根目录，放在 catalog/ 下（JPG、PNG）",
        "catalog/heads/xczx.png", default=None)
    head_resume: Text | None = field("负责人简历", "负责人简历", "李明，男，1975年生……", default=None)
    head_duties: Text | None = field("负责人分工", "负责人的工作分工", "主持局全面工作。", default=None)
    address: Text | None = field("地址", "办公地址", "青禾县人民路1号", default=None)
    hours: Text | None = field("办公时间", "办公时间", "工作日 8:30-12:00，14:30-17:30", default=None)
    phone: Text | None = field("电话", "联系电话", "0571-00000000", default=None)
    fax: Text | None = field("传真", "传真", "0571-00000000", default=None)
    email: Text | None = field("电子邮箱", "电子邮箱", "xczx@example.gov.cn", default=None)
    postcode: Text | None = field("邮编", "邮政编码", "311700", default=None)
    editors: list[Person] = field(
        "编辑", "在本机构文件夹 content/<简称代码>/ 中起草、提交条目的平台用户", "[{user: liuyang, name: 刘洋}]",
        default_factory=list)
    reviewers: list[Person] = field(
        "审查人", "本机构的保密审查人：条目的“审查人”须是其中一人的姓名，本机构文件夹的变更须经其中一人批准",
        "[{user: wangli, name: 王丽}]", default_factory=list)

    @model_validator(mode="after")
    def _people(self) -> Agency:
        _no_repeats(self.editors, "editors")
        _no_repeats(self.reviewers, "reviewers")
        names = [p.name for p in self.reviewers]
        for name in names:
            if names.count(name) > 1:
                raise fail(f"审查人姓名“{name}”重复：同名的人请写上区分（如“王丽（办公室）”），"
                           "条目的“审查人”据此认人", "reviewers")
        return self

    @model_validator(mode="after")
    def _codes(self) -> Agency:
        # never content/: a picture there may belong to a draft or embargoed item
        if self.head_photo is not None and (not re.fullmatch(
                r"catalog/[^\s\\]+\.(?:jpe?g|png)", self.head_photo, flags=re.I)
                or ".." in self.head_photo.split("/")):
            raise fail(f"负责人照片“{self.head_photo}”应为 catalog/ 下的 JPG 或 PNG 文件（content/ 中的图片"
                        "可能属于未发布的条目），例如 catalog/heads/xczx.png", "head_photo")
        if not re.fullmatch(r"[0-9A-Z]{9}|[0-9A-Z]{18}", self.code):
            raise fail(f"机构代码“{self.code}”应为 9 位组织机构代码或 18 位统一社会信用代码", "code")
        if not re.fullmatch(r"[a-z0-9-]+", self.slug):
            raise fail(f"简称代码“{self.slug}”只能用小写字母、数字和连字符", "slug")
        return self


class AgencyList(StrictModel):
    agencies: list[Agency] = field("机构", "发布机构列表", "见 catalog/agencies.yml")


class CategoryDef(StrictModel):
    code: Text = field("代码", "目录代码，用于网址和条目的“目录”字段", "gfxwj")
    name: Text = field("名称", "目录名称", "行政规范性文件")
    description: Text | None = field("说明", "目录说明", "本机关制发的行政规范性文件", default=None)
    basis: Text | None = field("公开依据", "法律依据", "《条例》第二十条第（一）项", default=None)
    time_limit: PositiveInt = field("公开时限", "成文后应在多少个工作日内公开", "20", default=20)
    update_cycle: PositiveInt | None = field("更新周期", "栏目至少多少天更新一次", "183", default=None)
    report_row: Annotated[str, BeforeValidator(one_of(vocab.REPORT_ROWS, "年报行"))] | None = field(
        "年报行", "计入年报第二部分的哪一行：规章或行政规范性文件", "行政规范性文件", default=None)
    interpretation: Bool = field(
        "政策解读", "true 表示本目录收录政策解读", "false", default=False)
    needs_interpretation: Bool = field(
        "需要解读", "true 表示本目录的政策文件应配发解读", "false", default=False)
    # The remaining elements of the 基层政务公开标准目录 (国办发〔2019〕54号): 事项名称 is the
    # name, 公开内容 the description, 公开依据 the basis, 公开时限 the time limit. A child
    # category that leaves one out takes its parent's.
    subject: Text | None = field("公开主体", "负责公开的机关", "青禾县人民政府办公室", default=None)
    method: Annotated[list[str], BeforeValidator(_methods)] | None = field(
        "公开方式", "主动公开、依申请公开", "[主动公开]", default=None)
    channels: Annotated[list[str], BeforeValidator(_channels)] | None = field(
        "公开渠道和载体", "发布渠道，取值同条目的“公开载体”", "[政府网站, 政府公报]", default=None)
    audience: Annotated[str, BeforeValidator(one_of(vocab.AUDIENCES, "公开对象"))] | None = field(
        "公开对象", "面向全社会或特定群体", "面向全社会", default=None)
    empty_note: Text | None = field(
        "空白说明", "本栏目没有信息时向公众说明的原因，例如“本机关无此职责，无相关信息”", "本机关无此职责",
        default=None)
    children: list[CategoryDef] = field("子目录", "下级目录", "见 catalog/categories.yml",
                                           default_factory=list)

    @model_validator(mode="after")
    def _code(self) -> CategoryDef:
        if not re.fullmatch(r"[a-z0-9-]+", self.code):
            raise fail(f"目录代码“{self.code}”只能用小写字母、数字和连字符", "code")
        return self


class CategoryTree(StrictModel):
    categories: list[CategoryDef] = field("目录", "基本目录", "见 catalog/categories.yml")


class TopicDef(StrictModel):
    name: Text = field("名称", "一级主题", "综合政务")
    children: TextList = field("二级", "二级主题", "[政务公开]", default_factory=list)
    aliases: TextList = field("别名", "一级主题的其他名称", "[民政、乡村振兴、救灾]", default_factory=list)


class TopicTree(StrictModel):
    topics: list[TopicDef] = field("主题", "主题分类", "见 catalog/topics.yml")


class WordDef(StrictModel):
    correct: Text = field("正确写法", "规范写法：领导姓名、地名、机构名称等", "青禾县")
    wrong: TextList = field("错误写法", "常见的错误写法", "[青和县, 清禾县]")

    @model_validator(mode="after")
    def _distinct(self) -> WordDef:
        if not self.wrong:
            raise fail("请至少写一个错误写法", "wrong")
        for form in self.wrong:
            if form == self.correct:
                raise fail(f"错误写法“{form}”与正确写法相同", "wrong")
        return self


class WordingList(StrictModel):
    words: list[WordDef] = field("用语", "本机关的规范用语及其错误写法", "见 catalog/wording.yml",
                                  default_factory=list)
