"""What a quarterly inspection of the column looks at (issue 17), read from the built sample and
from `gongkai check` / `gongkai audit --due` on planted copies of it."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from conftest import BUILD_DATE, ROOT, copy_project, mkdocs_build
from sitehtml import anchors, article, page_html, resolve
from sitekit import gongkai

SITE_YML = (ROOT / "catalog" / "site.yml").read_text(encoding="utf-8")


def _setting(key: str) -> str:
    return re.search(rf"^{key}:\s*(\S+)", SITE_YML, re.M)[1]


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("name", "")[:1].isupper():
            self.tags.setdefault(a["name"], []).append(a.get("content"))


def meta_tags(html: str) -> dict[str, str]:
    parser = _Meta()
    parser.feed(html)
    for name, values in parser.tags.items():
        assert len(values) == 1, f"<meta name={name}> appears {len(values)} times"
    return {name: values[0] for name, values in parser.tags.items()}


def _imgs(html: str) -> list[dict]:
    found = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                found.append(dict(attrs))
    P().feed(html)
    return found


def _footer(html: str) -> str:
    return html[html.index('<div class="md-copyright gk-footer">'):html.index("</footer>")]


def check(root: Path, *extra: str) -> tuple[int, list[str]]:
    result = gongkai("check", str(root), "--date", BUILD_DATE, *extra)
    return result.returncode, (result.stdout + result.stderr).splitlines()


# --- footer ----------------------------------------------------------------------------------

FOOTER_PAGES = ["", "guide/", "catalogue/gfxwj/", "agency/xczx/", "apply/"]


@pytest.mark.parametrize("url", FOOTER_PAGES)
def test_footer_marks_link_their_records_with_local_images(built_site: Path, url: str):
    footer = _footer(page_html(built_site, url))
    links = {a.get("href"): a for a, _ in anchors(footer)}
    for key in ("conac_url", "error_report_url", "police_record_url"):
        assert _setting(key) in links, f"footer has no link to {key}"
    imgs = {i["alt"]: i for i in _imgs(footer)}
    for alt, file in (("党政机关网站标识（查看开办备案信息）", "dzjg.svg"), ("我为政府网站找错", "jiucuo.svg")):
        src = imgs[alt]["src"]
        assert "//" not in src, f"mark image loaded from another host: {src}"
        target = resolve(url, src)
        # named by its content (gongkai.deploy.fingerprint), so browsers may keep it for a year
        stem = file.removesuffix(".svg")
        assert re.fullmatch(rf"assets/marks/{stem}\.[0-9a-f]{{8}}\.svg", target), target
        assert (built_site / target).read_bytes() == (built_site / "assets/marks" / file).read_bytes()
    # the police filing: its number as the link text, the badge inside the same link
    police = next((a, text) for a, text in anchors(footer) if a.get("href") == _setting("police_record_url"))
    assert police[1] == "浙公网安备33012702000001号"
    badge = re.search(r'<a class="gk-police"[^>]*><img src="([^"]+)"', footer)[1]
    assert (built_site / resolve(url, badge)).is_file()


def test_each_missing_footer_mark_is_a_warning_naming_its_key(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    site = root / "catalog" / "site.yml"
    text = site.read_text(encoding="utf-8")
    for key in ("conac_url", "error_report_url", "police_record_url"):
        text = re.sub(rf"^{key}:.*\n", "", text, flags=re.M)
    site.write_text(text, encoding="utf-8")
    code, out = check(root)
    assert code == 0
    assert "catalog/site.yml: 警告: conac_url: 页脚缺少党政机关网站标识（链接到开办备案信息）：请在 catalog/site.yml 中填写 conac_url" in out
    assert "catalog/site.yml: 警告: error_report_url: 页脚缺少“我为政府网站找错”入口：请在 catalog/site.yml 中填写 error_report_url" in out
    assert any(line.startswith("catalog/site.yml: 警告: police_record_url: ") for line in out)
    # the build says the same (a warning is reported, not fatal: what check passes, the build builds)
    result = mkdocs_build(root, tmp_path / "site", BUILD_DATE, False)
    assert result.returncode == 0, result.stderr
    assert "conac_url" in result.stderr and "error_report_url" in result.stderr


# --- page tags -------------------------------------------------------------------------------

SITE_TAGS = {"SiteName": "青禾县人民政府信息公开", "SiteDomain": "www.qinghe.example.gov.cn",
             "SiteIDCode": "3301270001"}
COLUMN = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
ARTICLE = ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Description")


def test_home_page_carries_the_site_tags_only(built_site: Path):
    tags = meta_tags(page_html(built_site, ""))
    assert {k: tags.get(k) for k in SITE_TAGS} == SITE_TAGS
    assert not set(COLUMN + ARTICLE) & set(tags)


def test_column_pages_carry_column_tags(built_site: Path):
    tags = meta_tags(page_html(built_site, "catalogue/gfxwj/"))
    assert {k: tags[k] for k in SITE_TAGS} == SITE_TAGS
    assert tags["ColumnName"] == "行政规范性文件"
    assert tags["ColumnDescription"] == "本机关制发的、涉及公民、法人和其他组织权利义务的行政规范性文件。"
    assert tags["ColumnKeywords"] == "行政规范性文件,政策文件"
    assert tags["ColumnType"] == "信息公开"
    assert not set(ARTICLE) & set(tags)
    guide = meta_tags(page_html(built_site, "guide/"))
    assert guide["ColumnName"] == "政府信息公开指南" and guide["ColumnType"] == "信息公开"


def test_item_pages_carry_article_tags_from_the_item(built_site: Path):
    tags = meta_tags(page_html(built_site, "items/002501001/2025-00001/"))
    assert {k: tags[k] for k in SITE_TAGS} == SITE_TAGS
    assert tags["ArticleTitle"] == "青禾县人民政府办公室关于印发青禾县2025年政务公开工作要点的通知"
    assert tags["PubDate"] == "2025-02-21"
    assert tags["ContentSource"] == "青禾县人民政府办公室"
    assert tags["Keywords"] == "政务公开,工作要点"
    assert tags["Description"].startswith("各乡镇人民政府、街道办事处，县政府各部门、各直属单位：")
    assert tags["ColumnName"] == "其他文件"


def test_rule_and_annual_report_pages_carry_article_tags(built_site: Path):
    """制度 and 年报 are documents too (issue 30): what they are, when and from whom."""
    rule = meta_tags(page_html(built_site, "rules/baomi-shencha/"))
    assert rule["ArticleTitle"] == "青禾县政府信息公开保密审查制度"
    assert rule["PubDate"] == "2024-03-01"
    assert rule["ContentSource"] == "青禾县人民政府办公室"
    assert rule["ColumnName"] == "政府信息公开制度"
    report = meta_tags(page_html(built_site, "annual/2025/"))
    assert report["ArticleTitle"] == "青禾县人民政府2025年政府信息公开工作年度报告"
    assert report["PubDate"] == "2026-01-23"
    assert report["ContentSource"] == "青禾县人民政府办公室"
    assert report["ColumnName"] == "政府信息公开年报"
    # the lists of them stay column pages
    assert not set(ARTICLE) & set(meta_tags(page_html(built_site, "annual/")))
    assert not set(ARTICLE) & set(meta_tags(page_html(built_site, "rules/")))


def test_every_page_names_its_site(built_site: Path):
    pages = [p for p in built_site.rglob("*.html")]
    assert len(pages) > 100
    for path in pages:
        tags = meta_tags(path.read_text(encoding="utf-8"))
        assert tags.get("SiteName") == SITE_TAGS["SiteName"], path
        assert tags.get("SiteIDCode") == SITE_TAGS["SiteIDCode"], path


# --- a planted site: hostile title, empty columns, wording ---------------------------------------

HOSTILE = '关于<b>整治</b>“占道”&经营"行为"的通告'


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> tuple[Path, Path]:
    root = copy_project(tmp_path_factory.mktemp("planted") / "p")
    item = root / "content" / "cgj" / "2025" / "00001.md"
    text = item.read_text(encoding="utf-8")
    text = re.sub(r"^标题: .*$", "标题: " + json.dumps(HOSTILE, ensure_ascii=False), text, count=1, flags=re.M)
    item.write_text(text, encoding="utf-8")
    out = root.parent / "site"
    mkdocs_build(root, out)
    return root, out


def test_tag_values_are_escaped(planted):
    _, out = planted
    html = page_html(out, "items/002501003/2025-00001/")
    assert meta_tags(html)["ArticleTitle"] == HOSTILE
    assert ('<meta name="ArticleTitle" content="关于&lt;b&gt;整治&lt;/b&gt;“占道”&amp;经营&#34;行为&#34;的通告">'
            in html)


# --- wording and classification marks --------------------------------------------------------------

def _plant(root: Path, rel: str, body_lines: list[str], title: str | None = None) -> tuple[int, int]:
    """Append lines to an item's body (and optionally retitle it); return (first planted line,
    title line)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    if title is not None:
        text = re.sub(r"^标题: .*$", f"标题: {title}", text, count=1, flags=re.M)
    text = text.rstrip("\n") + "\n\n" + "\n".join(body_lines) + "\n"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    first = next(n for n, line in enumerate(lines, 1) if line == body_lines[0])
    title_line = next(n for n, line in enumerate(lines, 1) if line.startswith("标题:"))
    return first, title_line


def test_planted_wording_errors_fail_check_with_file_line_and_the_right_form(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    rel = "content/zfb/2025/00001.md"
    first, title_line = _plant(root, rel, [
        "坚持以中华人名共和国宪法为根本遵循。",
        "在中国共产觉的领导下，付县长出席会议。",
        "截止目前，青和县已完成部署。",
        "本机关的内部控制制度和商业机密保护规定见附件；港澳台地区来函另行办理。",
    ], title="关于陈建化同志任职的通知")
    code, out = check(root)
    assert code == 1
    expected = [
        f"{rel}:{title_line}: 标题: “陈建化”应为“陈建华”（本机关规范用语）",
        f"{rel}:{first}: 正文: “中华人名共和国”应为“中华人民共和国”（严重表述错误）",
        f"{rel}:{first + 1}: 正文: “中国共产觉”应为“中国共产党”（严重表述错误）",
        f"{rel}:{first + 1}: 正文: “付县长”应为“副县长”（严重表述错误）",
        f"{rel}:{first + 2}: 正文: “截止目前”应为“截至目前”（公文常见错字）",
        f"{rel}:{first + 2}: 正文: “青和县”应为“青禾县”（本机关规范用语）",
    ]
    for line in expected:
        assert line in out, f"missing: {line}\n" + "\n".join(out)
    # prose that only contains 内部 or 机密 is not a mark, and correct words are not flagged
    assert not [line for line in out if f"{rel}:{first + 3}:" in line]
    # the planted lines have no blank line between them: they would run into one paragraph
    joined = [line for line in out if rel in line and "之间没有空行" in line]
    assert [line.split(": 警告: ")[0] for line in joined] == [f"{rel}:{first + 1}"]
    assert sum(rel in line for line in out) == len(expected) + len(joined)


@pytest.mark.parametrize("mark, shown", [
    ("秘密★1年", "秘密★1年"),
    ("**机密★长期**", "机密★长期"),
    ("绝密", "绝密"),
    ("内部资料　注意保存", None),
    ("【内部】", "【内部】"),
    ("密级：秘密", "密级：秘密"),
])
def test_classification_marks_in_a_published_body_fail_check(tmp_path: Path, mark: str, shown: str | None):
    root = copy_project(tmp_path / "p")
    rel = "content/xczx/2025/00001.md"
    first, _ = _plant(root, rel, [mark])
    code, out = check(root)
    assert code == 1
    found = [line for line in out if line.startswith(f"{rel}:{first}: 正文: 出现密级标志")]
    assert len(found) == 1, "\n".join(out)
    if shown is not None:
        assert found[0] == (f"{rel}:{first}: 正文: 出现密级标志“{shown}”：涉密或内部信息不得公开，"
                            "请删去该内容并重新进行保密审查")


def test_a_draft_may_still_carry_its_mark(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    rel = "content/xczx/2025/00001.md"
    _plant(root, rel, ["秘密★1年"])
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\n草稿: true\n", 1), encoding="utf-8")
    code, out = check(root)
    assert code == 0, "\n".join(out)


def test_wording_yml_is_validated(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    (root / "catalog" / "wording.yml").write_text("words:\n  - correct: 青禾县\n    wrong: [青禾县]\n",
                                                   encoding="utf-8")
    code, out = check(root)
    assert code == 1
    assert any(line.startswith("catalog/wording.yml:3: ") and "错误写法“青禾县”与正确写法相同" in line
               for line in out), "\n".join(out)


# --- empty columns ----------------------------------------------------------------------------

def test_empty_column_shows_its_note_on_the_page_and_in_the_guide(built_site: Path):
    note = "本县目前没有列入省、市重大建设项目计划的在建水利工程，暂无相关信息。"
    page = article(page_html(built_site, "catalogue/slgc/"))
    assert re.search(r'<p class="gk-empty">本栏目暂无公开信息。<span class="gk-empty-note">'
                     + re.escape(note) + "</span></p>", page)
    guide = article(page_html(built_site, "guide/"))
    row = re.search(r"<tr><td>[^<]*<a href=\"[^\"]*catalogue/slgc/\">重大水利工程</a>（0）</td>(.*?)</tr>", guide)
    assert row and f"暂无信息：{note}" in row[1]


def test_sample_has_no_column_without_a_note_or_an_item(built_site: Path):
    guide = article(page_html(built_site, "guide/"))
    rows = re.findall(r"<tr><td>[^<]*<a href=\"[^\"]*\">([^<]+)</a>（(\d+)）</td>(.*?)</tr>", guide)
    assert len(rows) == (ROOT / "catalog" / "categories.yml").read_text(encoding="utf-8").count("- code:")
    for name, count, rest in rows:
        assert count != "0" or "暂无信息：" in rest, name


def test_an_empty_column_without_a_note_is_a_warning(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    cats = root / "catalog" / "categories.yml"
    text = cats.read_text(encoding="utf-8")
    text = re.sub(r"^\s*empty_note: .*\n", "", text, flags=re.M)
    cats.write_text(text, encoding="utf-8")
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.strip() == "- code: slgc")
    code, out = check(root)
    assert code == 0
    assert (f"catalog/categories.yml:{line}: 警告: 目录: 栏目“重大水利工程”（slgc）没有已公开的信息：网站检查会把空白栏目"
            "判为不合格，请补充信息，或用 empty_note 写明暂无信息的原因（例如“本机关无此职责”）") in out


# --- the eight elements -----------------------------------------------------------------------------

ELEMENTS = ("事项名称", "公开内容", "公开依据", "公开时限", "公开主体", "公开方式", "公开渠道和载体", "公开对象")


def test_category_page_lists_the_eight_elements(built_site: Path):
    page = article(page_html(built_site, "catalogue/shjz/"))
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td></tr>', page))
    assert rows["事项名称"] == "社会救助"
    assert rows["公开内容"] == "社会救助政策、救助标准、申请程序和救助对象公示。"
    assert rows["公开依据"] == "《条例》第二十一条"
    assert rows["公开时限"] == "信息形成或变更之日起 20 个工作日内"
    assert rows["公开主体"] == "县政府各部门、各乡镇人民政府（街道办事处）"  # inherited from 地方重点公开
    assert rows["公开方式"] == "主动公开、依申请公开"
    assert rows["公开渠道和载体"] == "政府网站、公开查阅点、社区/村公示栏(电子屏)"
    assert rows["公开对象"] == "面向全社会"


def test_guide_table_has_the_eight_elements_for_every_category(built_site: Path):
    guide = article(page_html(built_site, "guide/"))
    table = guide[guide.index('<table class="gk-list gk-guide-catalogue">'):]
    table = table[:table.index("</table>")]
    assert re.findall(r'<th scope="col">([^<]+)</th>', table) == list(ELEMENTS)
    for row in re.findall(r"<tr><td>.*?</tr>", table):
        cells = re.findall(r"<td>(.*?)</td>", row)
        assert len(cells) == 8 and all(cells), row


# --- agency head, application form -------------------------------------------------------------

def test_agency_page_shows_the_head(built_site: Path):
    page = article(page_html(built_site, "agency/xczx/"))
    head = page[page.index('<section class="gk-head"'):page.index("</section>")]
    assert '<h2 id="gk-head-title">机关负责人</h2>' in head
    photo = _imgs(head)[0]
    assert photo["alt"] == "李卫东局长照片"
    target = resolve("agency/xczx/", photo["src"])
    assert (built_site / target).read_bytes() == (ROOT / "catalog" / "heads" / "xczx.png").read_bytes()
    assert "<dt>姓名</dt><dd>李卫东</dd>" in head
    assert "<dt>职务</dt><dd>局长</dd>" in head
    assert re.search(r"<dt>简历</dt><dd>李卫东，男，汉族，1975年3月生", head)
    assert "<dt>工作分工</dt><dd>主持局全面工作" in head


def test_apply_page_offers_the_form_and_the_online_channel(built_site: Path):
    page = article(page_html(built_site, "apply/"))
    links = {text: a["href"] for a, text in anchors(page)}
    form = resolve("apply/", links["下载政府信息公开申请表（Word 文档）"])
    assert links["在线提交申请"] == _setting("apply_online_url")
    document = docx.Document(io.BytesIO((built_site / form).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "政府信息公开申请表" in text
    assert "所需政府信息的名称" in cells and "申请人签名（盖章）" in cells
    for name in ("青禾县人民政府办公室", "青禾县乡村振兴局", "青禾县城市管理局", "青禾县城关街道办事处"):
        assert name in cells
    assert "0571-65000201" in cells  # 乡村振兴局's phone, from catalog/agencies.yml
    assert _setting("apply_online_url") in text
    assert not list((ROOT / "content").rglob(Path(form).name))  # the build never writes into content/


def test_head_photo_must_exist(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    (root / "catalog" / "heads" / "cgj.png").unlink()
    code, out = check(root)
    assert code == 1
    assert any(line.startswith("catalog/agencies.yml:") and "负责人照片: 负责人照片“catalog/heads/cgj.png”不存在" in line
               for line in out), "\n".join(out)


# --- audit --due ----------------------------------------------------------------------------------

def test_audit_due_names_what_breaches_next():
    result = gongkai("audit", str(ROOT), "--due", "--date", BUILD_DATE, "--format", "json")
    assert result.returncode == 0, result.stderr
    due = json.loads(result.stdout)["due"]
    upcoming = [d for d in due if d["days_left"] >= 0]
    assert [(d["kind"], d["subject"], d["deadline"]) for d in upcoming] == [
        ("column", "工作动态", "2026-12-02"), ("home", "首页", "2026-12-02")]
    text = gongkai("audit", str(ROOT), "--due", "--date", BUILD_DATE).stdout
    assert "栏目“工作动态”最近一次更新是 2026-11-18，更新周期 14 天：6 天后（2026-12-02 之后）超期" in text


def _owner_reports(result) -> list[dict]:
    """The site owner's annual-report duties (the sample is a portal: every agency has its own)."""
    return [d for d in json.loads(result.stdout)["due"]
            if d["kind"] == "annual_report" and d["agency"] == "002501001"]


def test_audit_due_annual_report_deadline_follows_the_agency_type(tmp_path: Path):
    result = gongkai("audit", str(ROOT), "--due", "--date", BUILD_DATE, "--days", "130", "--format", "json")
    assert [(d["subject"], d["deadline"]) for d in _owner_reports(result)] == [
        ("青禾县人民政府办公室 2026 年度报告", "2027-03-31")]
    root = copy_project(tmp_path / "p")
    agencies = root / "catalog" / "agencies.yml"
    agencies.write_text(agencies.read_text(encoding="utf-8").replace("kind: 政府", "kind: 部门"), encoding="utf-8")
    result = gongkai("audit", str(root), "--due", "--date", BUILD_DATE, "--days", "70", "--format", "json")
    assert [(d["subject"], d["deadline"], d["days_left"]) for d in _owner_reports(result)] == [
        ("青禾县人民政府办公室 2026 年度报告", "2027-01-31", 66)]


def test_audit_due_reports_an_unpublished_report_past_its_deadline(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    (root / "content" / "annual" / "2025.md").unlink()
    result = gongkai("audit", str(root), "--due", "--date", "2026-04-02", "--format", "json")
    reports = _owner_reports(result)
    assert reports[0]["subject"] == "青禾县人民政府办公室 2025 年度报告" and reports[0]["days_left"] == -2
    assert "应在 2026-03-31 前公布（《条例》第四十九条），尚未发布：已于 2026-04-01 超期（2 天前）" in reports[0]["message"]


def test_publish_pipelines_post_the_due_report_to_the_job_summary():
    for forge in (".github", ".gitea"):
        text = (ROOT / forge / "workflows" / "publish.yml").read_text(encoding="utf-8")
        assert 'gongkai audit --due --days 14 | tee -a "${GITHUB_STEP_SUMMARY:-/dev/null}"' in text


# --- annual report across typed years -------------------------------------------------------------

def test_typed_years_carry_over_into_each_other(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    y2023 = (root / "catalog" / "annual" / "2023.yml").read_text(encoding="utf-8")
    typed = y2023[y2023.index("填报表格:"):]  # same tables: 上年结转 1, 2023's 结转下年度 is 2
    y2024 = root / "catalog" / "annual" / "2024.yml"
    text = y2024.read_text(encoding="utf-8").rstrip("\n") + "\n" + typed
    y2024.write_text(text, encoding="utf-8")
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if "二、上年结转政府信息公开申请数量" in ln)
    carried = next(n for n, ln in enumerate(y2023.splitlines(), 1) if "四、结转下年度继续办理" in ln)
    code, out = check(root)
    assert code == 1
    assert (f"catalog/annual/2024.yml:{line}: 第三部分“二、上年结转政府信息公开申请数量”行“总计”列: "
            f"2024 年填报的上年结转为 1 件，但 2023 年填报的结转下年度为 2 件"
            f"（catalog/annual/2023.yml:{carried}），两者应相等") in out, "\n".join(out)


# --- site_url ------------------------------------------------------------------------------------

def test_site_url_outside_gov_cn_is_a_warning(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^site_url: .*$", "site_url: https://qinghe.github.io/xxgk/", text, count=1, flags=re.M)
    config.write_text(text, encoding="utf-8")
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("site_url:"))
    code, out = check(root)
    assert code == 0
    assert (f"mkdocs.yml:{line}: 警告: site_url: site_url 的域名“qinghe.github.io”不是 .gov.cn 域名：政府网站应使用"
            " .gov.cn 域名，部署在境内已备案的对象存储或服务器上（GitHub Pages 只用于演示）") in out
