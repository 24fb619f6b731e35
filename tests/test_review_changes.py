"""``gongkai diff`` shows every changed file, the report figures a register change moves,
review records that were copied, exceptions for the reviewer to confirm; its comment cannot
be shaped by author text; ``pr-comment`` updates only the bot's own comment; back-dating is
measured against the time the forge received the change, never the commit date."""

from __future__ import annotations

import csv
import datetime as dt
import http.server
import io
import json
import re
import shutil
import threading
from pathlib import Path

import markdown
import pytest
from openpyxl import Workbook
from sitekit import ROOT, commit, git, gongkai, init_repo, item, make_site, write

from gongkai.review.report import MARKER

A = "zfb/2025/planting.md"
ID_A = "002501001/2025-00001"
ID_B = "002501001/2025-00002"
APPS = "catalog/annual/applications.csv"


def diff(site: Path, *args: str, fmt: str = "markdown") -> tuple[int, str]:
    result = gongkai("diff", *args, "--path", str(site), "--format", fmt, "--date", "2026-11-26")
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, result.stdout


def _put(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _append(repo: Path, rel: str, text: str) -> None:
    path = repo / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    """Two items, the sample's registers, narratives, rules pages, theme, configuration and
    a file of tool code, committed on 2025-03-05."""
    site = make_site(tmp_path / "repo", {
        A: item(ID_A, "关于开展春季植树活动的通知"),
        "zfb/2025/fire.md": item(ID_B, "关于做好秋季防火工作的通告"),
    })
    shutil.copytree(ROOT / "catalog/annual", site / "catalog/annual")
    for folder in ("content/annual", "content/pages", "overrides", ".github"):
        shutil.copytree(ROOT / folder, site / folder, dirs_exist_ok=True)  # make_site wrote .github/CODEOWNERS
    for name in ("mkdocs.yml", "pyproject.toml", "Makefile"):
        shutil.copy(ROOT / name, site / name)
    _put(site, ".ci/run", "#!/usr/bin/env bash\nmake test\n")
    _put(site, ".github/CODEOWNERS", "/content/zfb/ @wangli\n")
    _put(site, "hooks/gongkai/extra.py", "VALUE = 1\n")
    _put(site, "bench/run.py", "print(1)\n")
    _put(site, "tests/test_extra.py", "def test_x():\n    assert True\n")
    init_repo(site)
    commit(site, "两条通知", date="2025-03-05")
    git(site, "tag", "base")
    return site


# --- 1. every kind of file is named -------------------------------------------------------

EVERY_KIND = {  # path -> what the reviewer is told it is
    APPS: "年报登记表",
    "catalog/annual/2025.yml": "年报年度数据",
    "catalog/annual/2023.yml": "年报年度数据",  # a typed year
    "content/annual/2025.md": "年报正文",
    "catalog/agencies.yml": "目录设置",
    "catalog/categories.yml": "目录设置",
    "catalog/site.yml": "目录设置",
    "catalog/wording.yml": "目录设置",
    "catalog/synonyms.yml": "目录设置",
    "catalog/topics.yml": "目录设置",
    "content/pages/rules/baomi-shencha.md": "规则页面",
    ".github/CODEOWNERS": "审查人名单（CODEOWNERS）",
    "overrides/main.html": "网站外观（主题文件）",
    "mkdocs.yml": "构建和审查配置",
    "pyproject.toml": "构建和审查配置",
    "Makefile": "构建和审查配置",
    ".github/workflows/review.yml": "构建和审查配置",
    ".ci/run": "构建和审查配置",
    "hooks/gongkai/extra.py": "生成工具的程序代码",
    "bench/run.py": "生成工具的程序代码",
    "tests/test_extra.py": "生成工具的程序代码",
}
NEEDS_ADMIN = {p for p, label in EVERY_KIND.items()
               if label in ("审查人名单（CODEOWNERS）", "网站外观（主题文件）", "构建和审查配置", "生成工具的程序代码")}


def test_one_commit_touching_every_kind_of_file_names_each(repo):
    _append(repo, APPS, "YSQ2026-099,2026-11-02,自然人,予以公开,2026-11-10,否,\n")
    _replace(repo, "catalog/annual/2025.yml", "行政许可: 1354", "行政许可: 1360")
    _replace(repo, "catalog/annual/2023.yml", "规章: [0, 0, 0]", "规章: [1, 0, 1]")
    _append(repo, "content/annual/2025.md", "\n更多内容见[年报附表](https://evil.example/a.xlsx)。\n")
    _replace(repo, "catalog/agencies.yml", "phone: 0571-65000001", "phone: 0571-65009999")
    _replace(repo, "catalog/categories.yml", "name: 其他文件", "name: 其他")
    _replace(repo, "catalog/site.yml", "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=3301270001",
             "https://zfwzzc.evil.example/report")
    _append(repo, "catalog/wording.yml", "  - correct: 王丽\n    wrong: [王莉]\n")
    _append(repo, "catalog/synonyms.yml", "  - [路灯, 照明设施]\n")
    _append(repo, "catalog/topics.yml", "  - name: 新主题\n    children: [新子类]\n")
    _append(repo, "content/pages/rules/baomi-shencha.md", "\n**第九条** 本制度自印发之日起施行。\n")
    _append(repo, ".github/CODEOWNERS", "/catalog/ @someone\n")
    _append(repo, "overrides/main.html", "<script src=\"https://evil.example/x.js\"></script>\n")
    for name in ("mkdocs.yml", "pyproject.toml", "Makefile", ".github/workflows/review.yml", ".ci/run"):
        _append(repo, name, "# changed\n")
    for name in ("hooks/gongkai/extra.py", "bench/run.py", "tests/test_extra.py"):
        _append(repo, name, "# changed\n")
    commit(repo, "每类文件各改一处", date="2026-11-20")

    code, out = diff(repo, "base", "HEAD")
    lines = out.splitlines()
    for path, label in EVERY_KIND.items():
        (line,) = [ln for ln in lines if ln.startswith("- ") and f"修改 `{path}`：" in ln]
        assert label in line, line
        assert ("需网站管理员批准" in line) == (path in NEEDS_ADMIN), line
    assert "本次变更：新增 0 条、修改 0 条、删除 0 条" in out
    assert f"另有 {len(EVERY_KIND)} 个其他文件改动" in out
    assert "条目没有变化。" not in out.replace("条目没有变化（其他文件的改动见上）。", "")
    # what each change does, in words
    assert "  - site.yml" not in out  # keys are named without the file, under the file's line
    assert ("  - error\\_report\\_url：https://zfwzzc.www.gov.cn/check\\_web/errorInfo\\_querySiteInfo.action?"
            "sitecode=3301270001 → https://zfwzzc.evil.example/report") in out
    assert "  - agencies\\[002501001\\].phone：0571-65000001 → 0571-65009999" in out
    assert ("  - 目录 qtwj 由“政策文件 › 其他文件”改为“政策文件 › 其他”，其中的 2 个条目随之变动："
            f"{ID_A}、{ID_B}") in out
    # an entry of a list is named by what names it, not by its place in the list
    assert "  - 新增 words\\[王丽\\].correct：王丽\n  - words\\[王丽\\].wrong：新增 王莉" in out
    assert "  - synonyms：新增 \\[路灯、照明设施\\]" in out
    assert "- 2025 年报 二 行政许可 本年处理决定数量 1354 → 1360" in out
    assert "  - 填报表格.第二十条第（一）项.规章：\\[0、0、0\\] → \\[1、0、1\\]" in out
    assert "- 2023 年报 二 规章 本年制发件数 0 → 1\n- 2023 年报 二 规章 现行有效件数 0 → 1" in out
    assert "- 2026 年报 三.一 新收申请 12 → 13" in out
    assert "+**第九条** 本制度自印发之日起施行。" in out  # a rules page's text, in a code block
    assert "+<script src=\"https://evil.example/x.js\"></script>" in out
    assert "年报附表 → `https://evil.example/a.xlsx`" in out
    assert "+/catalog/ @someone" in out


# --- 2. a register replaced, figures changed -----------------------------------------------

def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([cell or None for cell in row])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_a_register_replaced_by_an_xlsx_and_the_published_figures_it_changes(repo):
    rows = list(csv.reader(io.StringIO((repo / APPS).read_text(encoding="utf-8"))))
    assert len(rows) == 48  # a header and 47 applications
    rows += [[f"YSQ2025-{n:03d}", f"2025-12-0{n - 18}", "自然人", "予以公开", "2025-12-19", "否", ""]
             for n in range(19, 24)]
    (repo / APPS).unlink()
    (repo / "catalog/annual/applications.xlsx").write_bytes(_xlsx(rows))
    _append(repo, "catalog/annual/cases.csv", "XF2025-02,行政复议,,2025-10-10,维持,2025-11-20\n")
    commit(repo, "换成 Excel 登记表", date="2026-11-20")

    code, out = diff(repo, "base", "HEAD")
    assert "- 删除 `catalog/annual/applications.csv`：年报登记表\n  - 依申请公开登记表：原有 47 行，全部删除" in out
    assert "- 新增 `catalog/annual/applications.xlsx`：年报登记表\n  - 依申请公开登记表：新文件，共 52 行" in out
    assert "  - 行政复议、行政诉讼登记表：现有 6 行（逐行变化见“年报登记表和年报数字”一节）" in out
    assert ("- 依申请公开登记表（catalog/annual/applications.csv → catalog/annual/applications.xlsx，47 行 → 52 行）："
            "新增 5 行（YSQ2025-019、YSQ2025-020、YSQ2025-021、YSQ2025-022、YSQ2025-023），删除 0 行，修改 0 行") in out
    assert "- 2025 年报 三.一 新收申请 18 → 23" in out
    assert "- 2025 年报 四 行政复议 总计 1 → 2" in out
    assert ("- `content/annual/2025.md` 2025 年度已经结束，年报可能已经公布：本次改动改变了其中 8 项数字"
            "（见“年报登记表和年报数字”），请核实是否为更正，并在年报中说明") in out
    assert "本次变更：新增 0 条、修改 0 条、删除 0 条" in out
    assert "✅ 条目没有变化" not in out

    report = json.loads(diff(repo, "base", "HEAD", fmt="json")[1])
    assert "2025 年报 三.一 新收申请 18 → 23" in report["annual"]
    assert {(f["path"], f["status"]) for f in report["files"]} >= {(APPS, "删除"),
                                                                   ("catalog/annual/applications.xlsx", "新增")}


# --- 3. review records and exceptions --------------------------------------------------------

def test_a_copied_or_early_review_record_blocks(repo):
    copied = "审查:\n  审查人: 王丽\n  审查日期: 2025-03-02\n  审查结果: 同意公开\n"
    write(repo, "zfb/2026/copy.md", item("002501001/2026-00001", "关于冬季供暖的通知", created="2026-11-25",
                                         published="2026-11-26", review=False, extra=copied))
    early = "审查:\n  审查人: 王丽\n  审查日期: 2026-11-19\n  审查结果: 同意公开\n"
    write(repo, "zfb/2026/early.md", item("002501001/2026-00002", "关于道路施工的通告", created="2026-11-20",
                                          published="2026-11-26", review=False, extra=early))
    code, out = diff(repo, "base")
    assert code == 1
    assert ("- `content/zfb/2026/copy.md:8` 审查：审查记录（审查人 王丽，审查日期 2025-03-02）与 content/zfb/2025/"
            "fire.md（002501001/2025-00002，成文于 2025 年）相同，而本条目成文于 2026 年：像是复制来的记录，"
            "不是对本条目的审查。请由本机关审查人审查本条目后填写") in out
    assert "- `content/zfb/2026/copy.md:8` 审查：审查日期 2025-03-02 早于成文日期 2026-11-25" in out
    assert ("- `content/zfb/2026/early.md:8` 审查：审查日期 2026-11-19 早于成文日期 2026-11-20："
            "文件形成之前不可能审查过") in out
    assert "early.md:8` 审查：审查记录" not in out  # reviewed on its own day by the same person: no copy
    assert "**❌ 有 3 个问题必须在合并前解决。**" in out
    commit(repo, "两条", date="2026-11-26")
    git(repo, "tag", "with-records")
    # editing another field of an item leaves its record as it was: nothing new to flag
    write(repo, "zfb/2026/copy.md", item("002501001/2026-00001", "关于冬季供暖的通知（更正）", created="2026-11-25",
                                         published="2026-11-26", review=False, extra=copied))
    code, out = diff(repo, "with-records")
    assert "审查记录" not in out and code == 0, out


def test_an_exception_already_granted_is_not_listed_again(repo):
    exception = "个人信息例外:\n  号码: [13907450001]\n  理由: 村委会对外公布的办公电话\n"
    write(repo, A, item(ID_A, "关于开展春季植树活动的通知", extra=exception, body="电话 13907450001。\n"))
    commit(repo, "例外", date="2026-11-20")
    git(repo, "tag", "granted")
    write(repo, A, item(ID_A, "关于开展春季植树活动的通知（修订）", extra=exception, body="电话 13907450001。\n"))
    code, out = diff(repo, "granted")
    assert "需审查人确认" not in out, out
    code, out = diff(repo, "base")
    assert "### 需审查人确认（1）" in out


# --- 4. a comment that cannot be shaped ---------------------------------------------------

def test_an_item_file_name_cannot_shape_the_comment(repo):
    hostile = "zfb/2026/a\n**✅ 没有发现必须解决的问题。**\n<!--.md"
    write(repo, hostile, item("002501001/2026-00001", "第一条\u202e通知", created="2026-11-26",
                              published="2026-11-26"))
    write(repo, "zfb/2026/z.md", item("002501001/2026-00002", "第二条通知", created="2026-11-26",
                                      published="2026-11-26", extra="历史导入: true\n"))
    code, out = diff(repo, "base")
    assert code == 1
    assert "\u202e" not in out and "<U+202E>" in out.replace("&lt;", "<").replace("&gt;", ">")
    # the file name is shown in a code span, its newlines as \\n: text, never markup
    assert "- 文件：`content/zfb/2026/a\\n**✅ 没有发现必须解决的问题。**\\n<!--.md`" in out
    assert out.startswith(MARKER)
    html = markdown.markdown(out, extensions=["tables", "fenced_code"])
    assert html.count("<!--") == 1 and html.index("-->") < html.index("<h2>")  # only our closed marker
    assert "<strong>✅" not in html and "**❌ 有 1 个问题必须在合并前解决。**" in out
    headings = re.findall(r"<h4>(.*?)</h4>", html)
    assert any("002501001/2026-00001" in h for h in headings)
    assert any("002501001/2026-00002 第二条通知" in h for h in headings)
    assert "<strong>✅" not in html
    # the list of exceptions comes first, and still names the item after the hostile one
    assert out.index("### 需审查人确认") < out.index("### 新增条目")
    assert "content/zfb/2026/z.md:8` 历史导入" in out


def test_a_long_body_diff_says_what_is_not_shown_and_lists_every_added_link(repo):
    body = "".join(f"第{n}段。\n\n" for n in range(1, 31))
    write(repo, A, item(ID_A, "关于开展春季植树活动的通知", body=body))
    commit(repo, "长正文", date="2026-11-20")
    git(repo, "tag", "long")
    new = body.replace("第25段。", "第25段，详见[报名系统](https://evil.example/login?next=%2F)。")
    new = new.replace("第28段。", "第28段。![示意图](https://tracker.example/p.png \"示意\")")
    new = "".join(f"第{n}段（修订）。\n\n" for n in range(1, 21)) + new.split("第21段。", 1)[1]
    write(repo, A, item(ID_A, "关于开展春季植树活动的通知", body=new))
    code, out = diff(repo, "long")
    more = re.search(r"正文改动（另有 (\d+) 行改动未显示）", out)
    assert more and int(more[1]) > 0
    assert "evil.example" not in out.split("正文改动")[1].split("</details>")[0]  # beyond the shown lines
    assert "- 新增的链接和图片（2，全部列出）：" in out
    assert "  - 报名系统 → `https://evil.example/login?next=%2F`" in out
    assert "  - 图片 示意图 → `https://tracker.example/p.png`" in out


# --- 5. back-dating against the forge's time ------------------------------------------------

def test_a_faked_commit_date_does_not_pass_a_back_dated_item(repo):
    write(repo, "zfb/2025/old.md", item("002501001/2025-00003", "关于春耕生产的通知",
                                        created="2025-02-20", published="2025-02-25"))
    commit(repo, "补录一条", date="2025-02-25")  # GIT_COMMITTER_DATE and GIT_AUTHOR_DATE in the past
    assert "2025-02-25" in git(repo, "show", "-s", "--format=%cI", "HEAD")
    code, out = diff(repo, "base", "HEAD")  # received: now (--date stands for today)
    assert code == 1
    assert "新增条目的发布日期 2025-02-25 早于它加入仓库的日期 2026-11-26，属于倒签" in out
    result = gongkai("diff", "base", "HEAD", "--path", str(repo), "--date", "2026-11-26",
                     "--received-at", "2026-11-20T02:30:00Z")
    assert result.returncode == 1
    assert "早于它加入仓库的日期 2026-11-20，属于倒签" in result.stdout
    assert "**❌ 有 1 个问题必须在合并前解决。**" in result.stdout
    bad = gongkai("diff", "base", "--path", str(repo), "--received-at", "昨天")
    assert bad.returncode == 2 and "不是 ISO 格式的时间" in bad.stderr


# --- 6. the bot updates only its own comment ------------------------------------------------

class _RecordedForge(http.server.BaseHTTPRequestHandler):
    """Answers as GitHub did: GET /user, the pull request's comments, PATCH and POST."""

    comments: list[dict] = []
    requests: list[tuple[str, str]] = []
    auth: set[str] = set()
    me = {"login": "gongkai-bot", "id": 41}

    def log_message(self, *args):
        pass

    def _reply(self, status: int, data) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _payload(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length)) if length else None

    def do_GET(self):
        self.auth.add(self.headers["Authorization"])
        self.requests.append(("GET", self.path))
        self._reply(200, self.me if self.path.endswith("/user") else self.comments)

    def do_POST(self):
        payload = self._payload()
        self.requests.append(("POST", self.path))
        comment = {"id": 100, "body": payload["body"], "user": {"login": self.me["login"]},
                   "html_url": "http://forge/c/100"}
        self.comments.append(comment)
        self._reply(201, comment)

    def do_PATCH(self):
        payload = self._payload()
        self.requests.append(("PATCH", self.path))
        cid = int(self.path.rsplit("/", 1)[1])
        comment = next(c for c in self.comments if c["id"] == cid)
        comment["body"] = payload["body"]
        self._reply(200, comment)


READER = {"id": 5, "body": MARKER + "\n## 信息公开变更报告：main → HEAD\n**✅ 没有发现必须解决的问题。**\n",
          "user": {"login": "reader", "id": 7}, "html_url": "http://forge/c/5"}
BOT = {"id": 9, "body": MARKER + "\n## 旧报告\n", "user": {"login": "gongkai-bot", "id": 41},
       "html_url": "http://forge/c/9"}


@pytest.fixture
def forge():
    _RecordedForge.requests = []
    _RecordedForge.auth = set()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RecordedForge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _post(forge: str, tmp_path: Path, monkeypatch, *extra: str, kind: str = "github"):
    report = tmp_path / "review.md"
    report.write_text(MARKER + "\n## 信息公开变更报告：新的一次推送\n", encoding="utf-8")
    monkeypatch.setenv("GONGKAI_FORGE_TOKEN", "s3cret")
    return gongkai("pr-comment", str(report), "--forge", kind, "--api", forge, "--repo", "qinghe/xxgk",
                   "--pr", "12", *extra)


def test_pr_comment_updates_the_bot_s_comment_not_a_reader_s_with_the_marker(forge, tmp_path, monkeypatch):
    _RecordedForge.comments = [dict(READER), dict(BOT)]
    result = _post(forge, tmp_path, monkeypatch)
    assert result.returncode == 0, result.stderr
    assert _RecordedForge.requests == [("GET", "/user"),
                                       ("GET", "/repos/qinghe/xxgk/issues/12/comments?per_page=50&page=1"),
                                       ("PATCH", "/repos/qinghe/xxgk/issues/comments/9")]
    reader, bot = _RecordedForge.comments
    assert reader["body"] == READER["body"]
    assert bot["body"].endswith("新的一次推送\n")
    assert _RecordedForge.auth == {"Bearer s3cret"}


def test_pr_comment_posts_anew_when_only_a_reader_used_the_marker(forge, tmp_path, monkeypatch):
    _RecordedForge.comments = [dict(READER)]
    result = _post(forge, tmp_path, monkeypatch, "--bot-login", "gongkai-bot", kind="gitea")
    assert result.returncode == 0, result.stderr
    assert [m for m, _ in _RecordedForge.requests] == ["GET", "POST"]  # no GET /user with --bot-login
    assert _RecordedForge.comments[0]["body"] == READER["body"]
    assert _RecordedForge.auth == {"token s3cret"}
    # the next push finds the bot's comment by its author and updates it in place
    result = _post(forge, tmp_path, monkeypatch, "--bot-login", "gongkai-bot", kind="gitea")
    assert result.returncode == 0, result.stderr
    assert _RecordedForge.requests[-1] == ("PATCH", "/repos/qinghe/xxgk/issues/comments/100")
    assert len(_RecordedForge.comments) == 2


def test_received_day_is_the_day_in_china():
    from gongkai.review.received import received_day

    assert received_day("2026-11-25T16:30:00Z") == dt.date(2026, 11, 26)
    assert received_day("2026-11-25T16:30:00+08:00") == dt.date(2026, 11, 25)


def test_author_text_shows_hidden_characters_and_no_markup():
    from gongkai.review import escape

    shown = escape.text("标题\u200b\r\n:white_check_mark: @wangli #12 [x](javascript:y) <!-- z")
    assert shown == ("标题&lt;U+200B&gt;\\\\r\\\\n`:white_check_mark:` \\@wangli \\#12 "
                     "\\[x\\](javascript:y) &lt;!-- z")
    html = markdown.markdown(f"- {shown}")
    assert "<a" not in html and "<!--" not in html and "✅" not in html
    assert escape.code("a`b\u202ec") == "`aˋb<U+202E>c`"
    assert escape.fence(["```", "\tx\u2066"], "diff") == ["```diff", "ˋˋˋ", "\tx<U+2066>", "```"]
