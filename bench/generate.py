"""A synthetic gongkai site of N items, for measuring builds and search.

    python bench/generate.py --items 10000 --out /tmp/gk10k [--seed 1]

Writes ``mkdocs.yml``, ``catalog/``, ``hooks/`` and ``overrides/`` (copied from
this repository) and ``content/`` with N valid items spread over the four
sample agencies, every catalogue category and ten years (2016-2025):
realistic Chinese titles and bodies built from the domain's vocabulary,
unique 索引号 per agency and year, canonical 发文字号, review records,
policy interpretations linked to their documents, repealed and revised
documents pointing at their replacements, a few drafts and attachments.

The same seed always gives byte-identical files. ``generate(n, out, seed)`` is
the importable entry point; it returns a ``GeneratedSite`` describing what was
written.

The annual-report registers and year files come with the copied ``catalog/``
(the sample's ``catalog/annual/``, years 2023-2026) and the report texts and
other non-item pages with ``content/annual/`` and ``content/pages/``, so every
generated site also builds its annual reports. Registers sized to N plug in through
``EXTRA_WRITERS``: each is called with the ``GeneratedSite`` after the items
are written and may replace files under ``catalog/annual/``
(``GeneratedSite.counts()`` gives items per agency, year and category).
``bench/annual.py`` measures large registers on their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEARS = tuple(range(2016, 2026))
NON_ITEM_DIRS = ("pages", "annual")  # ten full years, all before any sensible build date

# --- the four sample agencies (catalog/agencies.yml) -------------------------------------

AGENCIES = {
    "002501001": ("青禾县人民政府办公室", "青政办发", "青政发", "青禾县人民政府令"),
    "002501002": ("青禾县乡村振兴局", "青乡振发", "青乡振发", None),
    "002501003": ("青禾县城市管理局", "青城管发", "青城管发", None),
    "002501004": ("青禾县城关街道办事处", "城关街发", "城关街发", None),
}
# how often each agency publishes (the county office publishes most)
# content/<slug>/<year>/<seq>.md, as in the sample site
SLUGS = {"002501001": "zfb", "002501002": "xczx", "002501003": "cgj", "002501004": "cgjd"}
AGENCY_WEIGHTS = {"002501001": 4, "002501002": 2, "002501003": 3, "002501004": 2}

# --- vocabulary ----------------------------------------------------------------------------

PLACES = ["城关街道", "青禾镇", "溪口镇", "白沙乡", "桐岭镇", "临江乡", "石门镇", "枫林乡", "上塘村",
          "下湾村", "前山村", "东湖社区", "西街社区", "南门社区", "北苑社区", "新华社区", "杨家村",
          "桥头村", "龙泉村", "金竹村", "开发区", "工业园区", "高铁新城", "滨江片区"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国文斌红梅海燕志鹏晓东"
COMPANIES = ["青禾县宏达建筑工程有限公司", "青禾县绿源农业开发有限公司", "浙江青山环保科技有限公司",
             "青禾县顺通物流有限公司", "青禾县溪口水产养殖专业合作社", "青禾县金桥市政工程有限公司",
             "青禾县惠民超市有限公司", "青禾县新城物业服务有限公司", "青禾县白沙茶业有限公司",
             "杭州长青园林景观工程有限公司", "青禾县安泰消防设备有限公司", "青禾县枫林竹木制品厂"]
POLICY_TOPICS = [
    ("农村人居环境整治", "城乡建设、环境保护\\环境监测、保护与治理", ["人居环境", "垃圾分类", "农村"]),
    ("衔接推进乡村振兴补助资金管理", "民政、扶贫、救灾\\扶贫", ["乡村振兴", "补助资金"]),
    ("防止返贫动态监测和帮扶", "民政、扶贫、救灾\\扶贫", ["防返贫", "监测帮扶"]),
    ("城市道路挖掘占用管理", "城乡建设、环境保护\\城乡建设（含住房）", ["道路挖掘", "市政设施"]),
    ("生活垃圾分类管理", "城乡建设、环境保护\\环境监测、保护与治理", ["垃圾分类", "城市管理"]),
    ("户外广告设施设置管理", "城乡建设、环境保护\\城市规划", ["户外广告", "市容市貌"]),
    ("最低生活保障审核确认", "民政、扶贫、救灾\\社会福利", ["低保", "社会救助"]),
    ("特困人员救助供养", "民政、扶贫、救灾\\社会福利", ["特困供养", "社会救助"]),
    ("临时救助实施", "民政、扶贫、救灾\\社会福利", ["临时救助", "社会救助"]),
    ("高校毕业生就业创业扶持", "劳动、人事、监察\\劳动就业", ["就业创业", "高校毕业生"]),
    ("城乡居民基本养老保险", "劳动、人事、监察\\社会保障", ["养老保险", "社会保障"]),
    ("政府投资项目管理", "国民经济管理、国有资产监管\\重大建设项目", ["政府投资", "项目管理"]),
    ("行政规范性文件合法性审核", "综合政务\\政务公开", ["规范性文件", "合法性审核"]),
    ("政务公开工作", "综合政务\\政务公开", ["政务公开", "信息公开"]),
    ("安全生产责任制", "市场监管、安全生产监管\\安全生产监管", ["安全生产", "责任制"]),
    ("森林防火", "农业、林业、水利\\林业", ["森林防火", "应急"]),
    ("防汛防台抗旱", "综合政务\\应急管理", ["防汛", "应急预案"]),
    ("农村宅基地审批管理", "国土资源、能源\\土地", ["宅基地", "农村"]),
    ("耕地保护和粮食生产", "农业、林业、水利\\农业、畜牧业、渔业", ["耕地保护", "粮食生产"]),
    ("老旧小区改造", "城乡建设、环境保护\\城乡建设（含住房）", ["老旧小区", "改造"]),
    ("义务教育招生入学", "科技、教育\\教育", ["义务教育", "招生"]),
    ("基本公共卫生服务", "卫生、体育\\卫生", ["公共卫生", "医疗"]),
    ("财政资金绩效管理", "财政、金融、审计\\财政", ["绩效管理", "财政资金"]),
    ("政府采购内部控制", "财政、金融、审计\\财政", ["政府采购", "内部控制"]),
    ("优化营商环境", "国民经济管理、国有资产监管\\经济体制改革", ["营商环境", "改革"]),
    ("食品安全监督抽检", "市场监管、安全生产监管\\食品药品监管", ["食品安全", "抽检"]),
    ("河湖长制", "农业、林业、水利\\水利", ["河湖长制", "水环境"]),
    ("公共文化服务体系建设", "文化、广电、新闻出版\\文化", ["公共文化", "服务体系"]),
    ("全民健身", "卫生、体育\\体育", ["全民健身", "体育设施"]),
    ("殡葬管理", "民政、扶贫、救灾\\其他", ["殡葬", "移风易俗"]),
]
DOC_VERBS = ["关于印发{t}实施办法的通知", "关于印发{t}管理办法的通知", "关于进一步加强{t}工作的实施意见",
             "关于做好{t}工作的通知", "关于印发{t}三年行动方案的通知", "关于推进{t}的若干意见",
             "关于调整{t}有关政策的通知", "关于印发{t}工作规则的通知"]
RULE_VERBS = ["{t}办法", "{t}规定", "{t}管理办法", "{t}实施细则"]
NEWS_VERBS = ["召开{t}工作推进会", "部署{t}重点工作", "开展{t}专项督查", "举办{t}业务培训班",
              "召开{t}工作现场会", "开展{t}集中宣传活动", "推进{t}工作取得阶段性成效"]
PERMIT_KINDS = ["城市建筑垃圾处置核准", "占用城市道路许可", "设置大型户外广告许可", "临时占用绿地许可",
                "砍伐城市树木许可", "市政设施建设类审批", "乡村建设规划许可", "农村宅基地用地审批",
                "食品经营许可", "排水许可"]
PENALTY_FACTS = ["未按规定分类投放生活垃圾", "擅自占用城市道路", "违法设置户外广告", "擅自搭建建筑物",
                 "运输建筑垃圾沿途撒漏", "未经批准挖掘城市道路", "损毁城市绿地", "店外经营占道",
                 "违规排放油烟", "夜间施工噪声扰民"]
ACTIONS = ["坚持以人民为中心的发展思想", "按照县委、县政府决策部署", "紧扣高质量发展主题",
           "聚焦群众急难愁盼问题", "坚持问题导向和目标导向", "按照“统一领导、分级负责”的原则",
           "坚持依法行政、公开透明", "围绕乡村振兴战略目标"]
MEASURES = ["建立健全工作台账", "落实属地管理责任", "强化部门协同联动", "完善考核评价机制",
            "加强资金使用监管", "开展常态化监督检查", "畅通群众反映渠道", "推进数字化平台建设",
            "做好政策宣传解读", "加大财政投入力度", "严格执行公示制度", "规范审批办理流程",
            "健全动态监测机制", "加强业务培训指导", "落实首问负责制", "压实安全生产责任"]
RESULTS = ["群众满意度明显提升", "各项指标全面完成", "工作机制进一步完善", "基层治理能力不断增强",
           "营商环境持续优化", "服务效能显著提高", "问题整改按期销号", "长效管理机制基本形成"]
# each agency's reviewers in catalog/agencies.yml: an item's 审查人 must be one of its agency's
REVIEWERS = {"002501001": ["陈建国", "王丽"], "002501002": ["王丽", "李秀梅"], "002501003": ["赵志强"],
             "002501004": ["孙晓燕", "方磊"]}
NUMERALS = "一二三四五六七八九十"
CHANNEL_SETS = [["政府网站"], ["政府网站", "两微一端"], ["政府网站", "政府公报"],
                ["政府网站", "公开查阅点"], ["政府网站", "社区/村公示栏(电子屏)"],
                ["政府网站", "两微一端", "政务服务中心"]]


@dataclass(frozen=True)
class CategorySpec:
    code: str
    kind: str  # which title/body recipe fits
    weight: float
    time_limit: int = 20  # working days; published within this many days of created
    agencies: tuple[str, ...] = tuple(AGENCIES)


# Every category of catalog/categories.yml, with a share of the items that
# roughly matches a county site (many dynamics, permits and penalties; few rules).
CATEGORIES = [
    CategorySpec("gz", "rule", 0.4, agencies=("002501001",)),
    CategorySpec("gfxwj", "policy", 4),
    CategorySpec("qtwj", "policy", 4),
    CategorySpec("zcjd", "interpretation", 0),  # written alongside policies, not drawn
    CategorySpec("jgzn", "org", 0.5),
    CategorySpec("ghjh", "plan", 1.5),
    CategorySpec("tjxx", "stats", 3),
    CategorySpec("xzxk", "permit", 10, 7, ("002501001", "002501003", "002501004")),
    CategorySpec("xzcf", "penalty", 10, 7, ("002501003",)),
    CategorySpec("czyjs", "budget", 2),
    CategorySpec("sfxm", "fee", 0.6),
    CategorySpec("zfcg", "procurement", 4),
    CategorySpec("zdxm", "project", 2),
    CategorySpec("fpgz", "notice", 3, agencies=("002501002", "002501004")),
    CategorySpec("jyxx", "notice", 1.5),
    CategorySpec("ylws", "notice", 1.5),
    CategorySpec("shbz", "notice", 2),
    CategorySpec("cjjy", "notice", 1.5),
    CategorySpec("yjgl", "emergency", 2),
    CategorySpec("jdjc", "inspection", 3),
    CategorySpec("gwyzk", "recruit", 1),
    CategorySpec("gzdt", "news", 25),
    CategorySpec("tzgg", "notice", 8),
    CategorySpec("szjs", "project", 2, agencies=("002501001", "002501003")),
    CategorySpec("ggfw", "notice", 1.5),
    CategorySpec("tdzs", "notice", 1, agencies=("002501001", "002501004")),
    CategorySpec("fwzs", "notice", 0.8, agencies=("002501001", "002501004")),
    CategorySpec("shjz", "roster", 3, agencies=("002501002", "002501004")),
    CategorySpec("nync", "policy", 1.5, agencies=("002501001", "002501002")),
    CategorySpec("zjd", "permit", 1, 7, ("002501004",)),
]
SPEC = {c.code: c for c in CATEGORIES}


@dataclass
class ItemRecord:
    """What the generator decided for one item (registers and benches read these)."""

    id: str
    agency: str
    category: str
    year: int
    created: dt.date
    published: dt.date
    title: str
    path: str  # relative to the site root
    doc_number: str | None = None
    status: str = "有效"
    draft: bool = False
    interprets: str | None = None
    superseded_by: str | None = None


@dataclass
class GeneratedSite:
    root: Path
    seed: int
    items: list[ItemRecord] = field(default_factory=list)
    rng: random.Random = field(default_factory=random.Random)

    @property
    def content(self) -> Path:
        return self.root / "content"

    def counts(self) -> Counter:
        """(agency code, year, category code) -> number of non-draft items."""
        return Counter((i.agency, i.year, i.category) for i in self.items if not i.draft)


#: called as writer(site) after the items are written; issue 5 adds its registers here
EXTRA_WRITERS: list[Callable[[GeneratedSite], None]] = []


# --- text recipes -------------------------------------------------------------------------

class Writer:
    def __init__(self, rng: random.Random):
        self.r = rng

    def person(self) -> str:
        return self.r.choice(SURNAMES) + "".join(self.r.choice(GIVEN) for _ in range(self.r.randint(1, 2)))

    def masked_person(self) -> str:
        name = self.person()
        return name[0] + "*" * (len(name) - 1)

    def masked_phone(self) -> str:
        return f"1{self.r.choice('3589')}{self.r.randint(0, 9)}****{self.r.randint(0, 9999):04d}"

    def money(self, lo: int, hi: int) -> str:
        return f"{self.r.randint(lo, hi) / 100:.2f}"

    def sentence(self, topic: str) -> str:
        r = self.r
        forms = [
            f"{r.choice(ACTIONS)}，{r.choice(MEASURES)}，{r.choice(MEASURES)}，推动{topic}工作落地见效。",
            f"{r.choice(PLACES)}{r.choice(['结合实际', '对照目标任务', '立足辖区特点'])}，"
            f"{r.choice(MEASURES)}，累计投入资金{self.money(5000, 900000)}万元。",
            f"截至{r.randint(1, 12)}月底，全县共完成{topic}相关事项{r.randint(3, 480)}件，"
            f"涉及{r.randint(2, 24)}个乡镇（街道），{r.choice(RESULTS)}。",
            f"各乡镇（街道）、县级有关部门要{r.choice(MEASURES)}，{r.choice(MEASURES)}，"
            f"确保{topic}各项任务按时保质完成。",
            f"对{r.choice(['工作不力', '推进滞后', '弄虚作假', '群众反映强烈'])}的单位，"
            f"由县{r.choice(['督查室', '纪委监委', '考核办'])}予以通报并督促整改。",
            f"{r.choice(PLACES)}、{r.choice(PLACES)}等地探索形成了可复制、可推广的经验做法，{r.choice(RESULTS)}。",
            f"本{r.choice(['办法', '意见', '方案', '通知'])}所称{topic}，是指在本县行政区域内依法开展的相关活动及其监督管理。",
            f"群众对{topic}工作有意见建议的，可通过12345政务服务便民热线或县政府门户网站“政民互动”栏目反映。",
        ]
        return r.choice(forms)

    def paragraph(self, topic: str, n: tuple[int, int] = (3, 7)) -> str:
        return "".join(self.sentence(topic) for _ in range(self.r.randint(*n)))

    def sections(self, topic: str, heads: list[str], level: str = "##") -> str:
        parts = []
        for i, head in enumerate(heads):
            parts.append(f"{level} {NUMERALS[i]}、{head}\n\n{self.paragraph(topic)}")
            if self.r.random() < 0.3:
                parts.append("\n".join(f"{j + 1}. {self.r.choice(MEASURES)}；" for j in range(self.r.randint(2, 4))))
        return "\n\n".join(parts)


def _policy_topic(w: Writer) -> tuple[str, str, list[str]]:
    return w.r.choice(POLICY_TOPICS)


def recipe(kind: str, w: Writer, agency: str, year: int) -> tuple[str, str, str | None, list[str]]:
    """(title, markdown body, topic, keywords) for one item of a kind."""
    r = w.r
    name = AGENCIES[agency][0]
    t, topic, kws = _policy_topic(w)
    if kind == "rule":
        title = r.choice(RULE_VERBS).format(t=f"青禾县{t}")
        body = "\n\n".join(f"**第{_cn(i + 1)}条** {w.paragraph(t, (1, 2))}" for i in range(r.randint(8, 20)))
        return title, body, topic, kws
    if kind == "policy":
        title = f"{name}{r.choice(DOC_VERBS).format(t=t)}"
        body = (f"各乡镇人民政府、街道办事处，县政府各部门、各直属单位：\n\n{w.paragraph(t)}\n\n"
                + w.sections(t, ["总体要求", "主要任务", "保障措施", "附则"][: r.randint(2, 4)])
                + f"\n\n{name}\n\n{year}年{r.randint(1, 12)}月{r.randint(1, 28)}日")
        return title, body, topic, kws
    if kind == "org":
        title = f"{name}{r.choice(['机构职能', '内设机构', '领导信息', '办公地址和联系方式'])}（{year}年）"
        body = w.sections("机构建设", ["主要职责", "内设机构", "联系方式"])
        return title, body, "综合政务\\政务公开", ["机构职能"]
    if kind == "plan":
        title = f"青禾县{t}“十四五”规划" if year >= 2021 else f"青禾县{t}“十三五”规划"
        body = w.sections(t, ["发展基础", "总体思路", "重点任务", "保障措施"])
        return title, body, "国民经济管理、国有资产监管\\宏观经济", kws + ["规划"]
    if kind == "stats":
        month = r.randint(1, 12)
        title = f"{year}年{month}月青禾县{r.choice(['主要经济指标', '国民经济运行情况', '居民收支情况', '规模以上工业生产情况'])}"
        rows = "\n".join(f"| {ind} | {w.money(1000, 9999999)} | {r.uniform(-8, 15):.1f} |" for ind in
                         r.sample(["地区生产总值", "一般公共预算收入", "固定资产投资", "社会消费品零售总额",
                                   "规模以上工业增加值", "城镇居民人均可支配收入", "农村居民人均可支配收入",
                                   "进出口总额"], 5))
        body = f"{w.paragraph('统计监测')}\n\n| 指标 | 绝对值（万元） | 同比增长（%） |\n|---|---|---|\n{rows}"
        return title, body, "国民经济管理、国有资产监管\\统计", ["统计", "经济运行"]
    if kind == "permit":
        what = r.choice(PERMIT_KINDS)
        who = r.choice(COMPANIES) if r.random() < 0.7 else w.masked_person()
        title = f"关于准予{who}{what}的决定"
        body = (f"申请人：{who}\n\n许可事项：{what}\n\n许可决定书文号：{AGENCIES[agency][1]}许〔{year}〕"
                f"{r.randint(1, 900)}号\n\n{w.paragraph(what, (1, 2))}\n\n"
                f"有效期：自{year}年{r.randint(1, 12)}月{r.randint(1, 28)}日起{r.randint(1, 36)}个月。")
        return title, body, "市场监管、安全生产监管\\其他", ["行政许可", what]
    if kind == "penalty":
        fact = r.choice(PENALTY_FACTS)
        who = r.choice(COMPANIES) if r.random() < 0.5 else w.masked_person()
        title = f"{who}{fact}行政处罚决定书"
        body = (f"当事人：{who}\n\n违法事实：经查，当事人于{year}年{r.randint(1, 12)}月{r.randint(1, 28)}日"
                f"在{r.choice(PLACES)}{fact}。\n\n处罚依据：《{r.choice(['城市市容和环境卫生管理条例', '城市道路管理条例', '浙江省城市市容和环境卫生管理条例'])}》"
                f"第{r.randint(10, 48)}条。\n\n处罚内容：罚款人民币{r.randint(2, 200) * 100}元。\n\n"
                f"当事人如不服本处罚决定，可在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法提起行政诉讼。")
        return title, body, "城乡建设、环境保护\\城乡建设（含住房）", ["行政处罚", fact]
    if kind == "budget":
        kind2 = r.choice(["部门预算", "部门决算", "“三公”经费预算", "一般公共预算执行情况"])
        title = f"{name}{year}年{kind2}公开"
        body = (w.sections("预算管理", ["部门基本情况", "收支总体情况", "“三公”经费情况"])
                + f"\n\n| 项目 | 金额（万元） |\n|---|---|\n| 收入合计 | {w.money(10000, 9000000)} |\n"
                f"| 支出合计 | {w.money(10000, 9000000)} |\n| “三公”经费 | {w.money(100, 90000)} |")
        return title, body, "财政、金融、审计\\财政", ["预算", "决算", "三公经费"]
    if kind == "fee":
        title = f"{name}{year}年行政事业性收费项目目录清单"
        body = w.paragraph("收费管理") + "\n\n| 收费项目 | 依据 | 标准 |\n|---|---|---|\n" + "\n".join(
            f"| {x} | {r.choice(['价费〔2017〕', '财税〔2019〕'])}{r.randint(10, 99)}号 | {r.randint(5, 500)}元/件 |"
            for x in r.sample(["不动产登记费", "污水处理费", "城市道路占用费", "考试考务费", "证书工本费"], 3))
        return title, body, "财政、金融、审计\\财政", ["收费", "目录清单"]
    if kind == "procurement":
        proj = f"{r.choice(PLACES)}{r.choice(['道路提升改造', '公厕新建', '路灯维护', '绿化养护', '环卫作业服务外包', '监控设备采购'])}项目"
        stage = r.choice(["采购意向", "公开招标公告", "中标（成交）结果公告", "合同公告"])
        title = f"{proj}{stage}"
        body = (f"项目编号：QHCG-{year}-{r.randint(1, 999):03d}\n\n项目名称：{proj}\n\n预算金额：{w.money(50000, 90000000)}元\n\n"
                f"{w.paragraph('政府采购', (1, 3))}\n\n供应商：{r.choice(COMPANIES)}")
        return title, body, "财政、金融、审计\\财政", ["政府采购", stage]
    if kind == "project":
        proj = f"{r.choice(PLACES)}{r.choice(['污水管网', '安置房', '中小学校舍', '综合管廊', '道路拓宽', '防洪堤'])}工程"
        title = f"{proj}{r.choice(['批准信息', '施工信息', '竣工验收信息', '招投标信息'])}"
        body = w.sections(t, ["项目概况", "审批情况", "实施进度"])
        return title, body, "国民经济管理、国有资产监管\\重大建设项目", ["重大建设项目", "工程"]
    if kind == "emergency":
        title = r.choice([f"青禾县{t}应急预案", f"关于做好{year}年{r.choice(['汛期', '台风', '高温', '寒潮'])}防御工作的通知",
                          f"青禾县{r.choice(['暴雨', '台风', '地质灾害'])}预警信息发布"])
        return title, w.sections("应急管理", ["总则", "组织体系", "预警和响应", "保障措施"]), "综合政务\\应急管理", ["应急", "预警"]
    if kind == "inspection":
        title = f"{year}年{r.choice(['第一', '第二', '第三', '第四'])}季度{r.choice(['食品安全', '安全生产', '环境保护', '产品质量', '公共卫生'])}监督检查情况通报"
        return title, w.sections("监督检查", ["检查基本情况", "发现的主要问题", "整改要求"]), \
            "市场监管、安全生产监管\\安全生产监管", ["监督检查", "通报"]
    if kind == "recruit":
        title = f"青禾县{year}年度考试录用公务员{r.choice(['职位表', '拟录用人员公示', '体检结果公告', '面试成绩公告'])}"
        rows = "\n".join(f"| {w.masked_person()} | {r.choice(['女', '男'])} | {r.choice(['本科', '研究生'])} | {name} |"
                         for _ in range(r.randint(3, 12)))
        body = f"{w.paragraph('公务员招录', (1, 2))}\n\n| 姓名 | 性别 | 学历 | 录用单位 |\n|---|---|---|---|\n{rows}"
        return title, body, "劳动、人事、监察\\人事工作", ["公务员", "招考"]
    if kind == "news":
        title = f"{r.choice(PLACES)}{r.choice(NEWS_VERBS).format(t=t)}"
        return title, "\n\n".join(w.paragraph(t) for _ in range(r.randint(3, 7))), topic, kws
    if kind == "roster":
        what = r.choice(["最低生活保障", "特困人员救助供养", "临时救助", "残疾人两项补贴"])
        title = f"{r.choice(PLACES)}{year}年{r.randint(1, 12)}月{what}对象公示"
        rows = "\n".join(f"| {w.masked_person()} | {r.choice(PLACES)} | {r.randint(1, 5)} | {w.money(30000, 300000)} |"
                         for _ in range(r.randint(4, 20)))
        body = (f"{w.paragraph(what, (1, 2))}\n\n| 姓名 | 所在村（社区） | 保障人口 | 月保障金（元） |\n|---|---|---|---|\n{rows}\n\n"
                f"公示期间如有异议，请与{r.choice(PLACES)}联系，联系人：{w.person()}，电话：{w.masked_phone()}。")
        return title, body, "民政、扶贫、救灾\\社会福利", [what, "公示"]
    # notice
    title = f"{name}关于{r.choice(['开展', '做好', '组织', '申报'])}{year}年度{t}{r.choice(['工作', '项目', '资金', '检查'])}的{r.choice(['通知', '公告'])}"
    return title, w.sections(t, ["工作目标", "实施范围", "工作要求"][: r.randint(1, 3)]), topic, kws


def _cn(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    return NUMERALS[n // 10 - 1] + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")


# --- front matter ------------------------------------------------------------------------

def _q(value: str) -> str:
    """A YAML double-quoted scalar (titles may hold colons and brackets)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(rec: ItemRecord, topic: str | None, keywords: list[str], channels: list[str],
                 review: tuple[str, dt.date] | None, extra: list[str]) -> str:
    lines = ["---", f"索引号: {rec.id}", f"标题: {_q(rec.title)}", f"发布机构: {AGENCIES[rec.agency][0]}",
             f"目录: {rec.category}", f"成文日期: {rec.created.isoformat()}",
             f"发布日期: {rec.published.isoformat()}"]
    if rec.doc_number:
        lines.append(f"发文字号: {rec.doc_number}")
    if topic:
        lines.append(f"主题分类: {_q(topic)}")
    lines.append(f"主题词: [{', '.join(keywords)}]")
    lines.append(f"公开载体: [{', '.join(channels)}]")
    lines += extra
    if review:
        lines += ["审查:", f"  审查人: {review[0]}", f"  审查日期: {review[1].isoformat()}", "  审查结果: 同意公开"]
    if rec.draft:
        lines.append("草稿: true")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


# --- the site -----------------------------------------------------------------------------

def _copy_project(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", ".github/CODEOWNERS", ".gitlab/CODEOWNERS", ".gitea/CODEOWNERS"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, out / name)
    for name in ("catalog", "hooks", "overrides"):
        if (out / name).exists():
            shutil.rmtree(out / name)
        shutil.copytree(ROOT / name, out / name, ignore=shutil.ignore_patterns("__pycache__"))
    if (out / "content").exists():
        shutil.rmtree(out / "content")
    (out / "content").mkdir()
    # the pages that are not items (政府信息公开制度, annual-report texts) come from the sample
    for name in NON_ITEM_DIRS:
        if (ROOT / "content" / name).is_dir():
            shutil.copytree(ROOT / "content" / name, out / "content" / name)


def _dates(r: random.Random, year: int, limit: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 1, 1)
    created = start + dt.timedelta(days=r.randint(0, 364 - 10))
    # calendar days below the working-day limit keep every item on time
    published = created + dt.timedelta(days=r.randint(0, max(1, limit - 4)))
    return created, min(published, dt.date(year, 12, 31))


def generate(n: int, out: Path | str, seed: int = 1) -> GeneratedSite:
    """Write a site of ``n`` items under ``out`` (replacing its content/)."""
    out = Path(out)
    r = random.Random(seed)
    w = Writer(r)
    _copy_project(out)
    site = GeneratedSite(out, seed, rng=r)
    seq: dict[tuple[str, int], int] = defaultdict(int)
    doc_seq: dict[tuple[str, int], int] = defaultdict(int)
    policies: dict[str, list[ItemRecord]] = defaultdict(list)  # agency -> in-force policies, in order
    drawable = [c for c in CATEGORIES if c.weight > 0]
    weights = [c.weight for c in drawable]
    written = 0
    progress = max(1000, n // 10)

    def next_id(agency: str, year: int) -> str:
        seq[(agency, year)] += 1
        return f"{agency}/{year}-{seq[(agency, year)]:05d}"

    def doc_number(prefix: str, year: int, order: bool = False) -> str:
        if order:  # orders are numbered on across years
            doc_seq[(prefix, 0)] += 1
            return f"{prefix}第{doc_seq[(prefix, 0)]}号"
        doc_seq[(prefix, year)] += 1
        return f"{prefix}〔{year}〕{doc_seq[(prefix, year)]}号"

    def write(rec: ItemRecord, body: str, topic, keywords, extra: list[str] | None = None,
              attachment: tuple[str, str, str] | None = None) -> None:
        nonlocal written
        review = None if rec.draft else (r.choice(REVIEWERS[rec.agency]),
                                         rec.published - dt.timedelta(days=r.randint(0, 1)))
        if review and review[1] < rec.created:
            review = (review[0], rec.created)
        extra = list(extra or [])
        if attachment:
            extra += ["附件:", f"  - 文件: {attachment[0]}", f"    名称: {_q(attachment[1])}"]
        path = out / rec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        text = front_matter(rec, topic, keywords, r.choice(CHANNEL_SETS), review, extra) + body.strip() + "\n"
        path.write_text(text, encoding="utf-8")
        if attachment:
            (path.parent / attachment[0]).write_text(attachment[2], encoding="utf-8")
        site.items.append(rec)
        written += 1
        if n >= 5000 and written % progress == 0:
            print(f"generate: {written}/{n} items", file=sys.stderr, flush=True)

    def new_record(agency: str, cat: str, year: int, title: str, created: dt.date, published: dt.date,
                   number: str | None) -> ItemRecord:
        item_id = next_id(agency, year)
        rel = f"content/{SLUGS[agency]}/{year}/{item_id.rsplit('-', 1)[1]}.md"
        return ItemRecord(item_id, agency, cat, year, created, published, title, rel, number)

    drawn = 0
    while written < n:
        # years fill in order, so replacements and interpretations come after their originals
        year = YEARS[written * len(YEARS) // n]
        # every column gets an item first: an empty column is a warning (and an inspection failure)
        spec = drawable[drawn] if drawn < len(drawable) else r.choices(drawable, weights)[0]
        drawn += 1
        agency = r.choices(spec.agencies, [AGENCY_WEIGHTS[a] for a in spec.agencies])[0]
        title, body, topic, keywords = recipe(spec.kind, w, agency, year)
        created, published = _dates(r, year, spec.time_limit)
        _, office_prefix, gov_prefix, order_prefix = AGENCIES[agency]
        number = None
        if spec.kind == "rule":
            number = doc_number(order_prefix, year, order=True)
        elif spec.kind == "policy":
            number = doc_number(gov_prefix if r.random() < 0.3 else office_prefix, year)
        elif spec.kind in ("notice", "emergency", "plan") and r.random() < 0.5:
            number = doc_number(office_prefix, year)
        rec = new_record(agency, spec.code, year, title, created, published, number)
        rec.draft = r.random() < 0.01 and drawn > len(drawable)  # the first round fills every column
        extra: list[str] = []
        attachment = None
        if spec.kind == "roster" and r.random() < 0.3:
            rows = "\n".join(f"{w.masked_person()},{r.choice(PLACES)},{w.money(30000, 300000)}" for _ in range(20))
            attachment = ("名单.csv", f"{title}名单", "姓名,所在村（社区）,月保障金（元）\n" + rows + "\n")
        if spec.kind == "roster":
            start = published
            extra += ["公示期:", f"  开始日期: {start.isoformat()}",
                      f"  结束日期: {(start + dt.timedelta(days=7)).isoformat()}"]
        # a later policy of the same agency may replace an earlier one
        older = [p for p in policies[agency] if p.published < created]
        if spec.kind in ("policy", "rule") and not rec.draft and older and r.random() < 0.08:
            old = r.choice(older)
            policies[agency].remove(old)
            old.superseded_by = rec.id
        write(rec, body, topic, keywords, extra, attachment)
        if spec.kind in ("policy", "rule") and not rec.draft:
            policies[agency].append(rec)
            # most normative documents get an interpretation, published with them
            if spec.code in ("gz", "gfxwj") and written < n and r.random() < 0.8:
                jt = f"《{title}》政策解读"
                jrec = new_record(agency, "zcjd", year, jt, published, published, None)
                jbody = (f"近日，{AGENCIES[agency][0]}印发了《{title}》（{number}）。现就有关内容解读如下。\n\n"
                         + w.sections(topic or "政策", ["制定背景", "主要内容", "创新举措", "实施时间"]))
                write(jrec, jbody, topic, keywords + ["政策解读"], [f"解读对象: {rec.id}"])
                jrec.interprets = rec.id
    _mark_replaced(site, r)
    for writer in EXTRA_WRITERS:
        writer(site)
    return site


def _mark_replaced(site: GeneratedSite, r: random.Random) -> None:
    """Rewrite replaced documents as 已修订/废止 with a pointer to their successor."""
    by_id = {x.id: x for x in site.items}
    for rec in site.items:
        if rec.superseded_by is None:
            continue
        successor = by_id[rec.superseded_by]
        rec.status = r.choice(["已修订", "废止"])
        path = site.root / rec.path
        text = path.read_text(encoding="utf-8")
        extra = f"有效性: {rec.status}\n替代文件: {rec.superseded_by}\n"
        if rec.status == "废止":
            extra += f"废止日期: {successor.published.isoformat()}\n"
        head, sep, rest = text.partition("\n---\n")
        path.write_text(head + "\n" + extra.rstrip("\n") + sep + rest, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 N 个条目的合成 gongkai 站点（用于性能测试）")
    parser.add_argument("--items", type=int, required=True, help="条目数")
    parser.add_argument("--out", type=Path, required=True, help="输出目录（其中的 content/ 会被替换）")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.items < 1:
        parser.error("--items 应为正整数")
    site = generate(args.items, args.out, args.seed)
    size = sum(p.stat().st_size for p in site.content.rglob("*") if p.is_file())
    print(f"{len(site.items)} items, {size / 1e6:.1f} MB under {site.content}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
