"""The web editor end to end: an editor's everyday tasks done in /admin/ with Chromium, saved by
Decap's local git proxy (decap-server) as a pull-request branch of a clone of the sample; after
each save the branch passes ``gongkai check`` and its built site shows the change. Chinese text
is typed as an input method delivers it (``keyboard.insert_text``), file names are Chinese, and
the editor never makes a request to another host (the ``open_tab`` fixture fails the test).

The tests save a PNG of each step to $GONGKAI_CMS_SHOTS when it is set (bench/cms_screenshots.py
copies them into docs/images/cms/ for the guide)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from attachment_files import pdf, xlsx
from cms_e2e_kit import (
    PACKAGES,
    Proxy,
    branches,
    check_at,
    checkout_tree,
    free_port,
    git,
    make_clone,
    serve,
    start_proxy,
)
from conftest import mkdocs_build
from playwright.sync_api import TimeoutError as PlaywrightTimeout

#: screenshots as wide as the guide shows them
VIEWPORT = {"width": 1024, "height": 768}
SHOTS = os.environ.get("GONGKAI_CMS_SHOTS")


@dataclass
class Editor:
    clone: Path
    proxy: Proxy
    admin: str
    work: Path


@pytest.fixture(scope="module")
def editor(tmp_path_factory) -> Iterator[Editor]:
    assert (PACKAGES / "decap-server/dist/index.js").is_file(), "the web editor is not installed: run `make cms`"
    work = tmp_path_factory.mktemp("cms-e2e")
    port = free_port()
    clone = make_clone(work / "clone", port)
    # the bundle the build publishes at /admin/ (installed, never committed)
    shutil.copytree(PACKAGES / "decap-cms", clone / "cms/node_modules/decap-cms",
                    ignore=shutil.ignore_patterns("*.map"))
    mkdocs_build(clone, work / "site")
    proxy = start_proxy(clone, port, work / "proxy.log")
    server = serve(work / "site")
    editor = Editor(clone, proxy, f"http://127.0.0.1:{server.server_address[1]}/admin/", work)
    try:
        yield editor
    finally:
        server.shutdown()
        editor.proxy.stop()  # the one running now: a merge restarts it


class Form:
    """One tab of /admin/, driven as an editor does: clicks, and text as an input method
    delivers it."""

    def __init__(self, tab, editor: Editor, name: str):
        self.page = tab.page
        self.editor = editor
        self.name = name
        self.step = 0
        self.log = tab.log
        self.lookups = 0
        self.page.on("response", self._lookup)

    def _lookup(self, response) -> None:
        """Decap asks the proxy for a pull request of each entry it opens; "none yet" is a 404."""
        if response.status == 404 and response.url.startswith(f"http://127.0.0.1:{self.editor.proxy.port}/") \
                and '"action":"unpublishedEntry"' in (response.request.post_data or ""):
            self.lookups += 1

    def forgive_lookups(self) -> None:
        for _ in range(self.lookups):
            self.log.bad_responses.remove(f"404 http://127.0.0.1:{self.editor.proxy.port}/api/v1")
            self.log.console_errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
        self.lookups = 0

    def shot(self, what: str) -> None:
        self.step += 1
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SHOTS) / f"{self.name}-{self.step}-{what}.png"))

    def open(self, agency: str) -> None:
        self.page.goto(self.editor.admin)
        login = self.page.get_by_role("button", name="登录")
        listed = self.page.get_by_text(agency).first
        login.or_(listed).first.wait_for()
        if login.is_visible():  # once per tab: Decap remembers the proxy's user
            login.click()
        listed.click()
        self.shot("list")

    def field(self, name: str, within=None):
        return (within or self.page).locator(f'[id^="{name}-field-"]').first

    def type(self, name: str, text: str, within=None, replace: bool = False) -> None:
        box = self.field(name, within)
        box.click()
        if replace:
            box.press("Control+a")
            box.press("Delete")
        self.page.keyboard.insert_text(text)

    def date(self, name: str, value: str, within=None) -> None:
        self.field(name, within).fill(value)  # the browser's own date input: digits only

    def choose(self, name: str, typed: str, option: str | None = None, within=None) -> None:
        self.field(name, within).click()
        self.page.keyboard.insert_text(typed)
        self.page.get_by_role("option", name=re.compile(re.escape(option or typed))).first.click()

    def block(self, name: str):
        """An optional block (审查, 公示期), opened."""
        block = self.page.locator(f'[id^="{name}-field-"]').first
        block.get_by_role("button", name="Expand").first.click()
        return block

    def body(self, text: str) -> None:
        self.page.locator('[aria-label="markdown field"] [contenteditable="true"]').click()
        self.page.keyboard.insert_text(text)

    def review(self, reviewer: str, day: str) -> None:
        block = self.block("审查")
        self.type("审查人", reviewer, within=block)
        self.date("审查日期", day, within=block)
        self.choose("审查结果", "同意", "同意公开", within=block)

    def attach(self, path: Path, title: str) -> None:
        self.page.get_by_role("button", name="新增附件").click()
        self.page.get_by_role("button", name="选择文件").click()
        self.page.locator("input[type=file]").set_input_files(path)
        self.shot("upload")
        self.page.get_by_role("button", name="选用已选中项目").click()
        self.type("名称", title, within=self.page.locator('[id^="附件-field-"]'))

    def save(self) -> str:
        """Saves and returns the pull request's branch once the proxy has committed it."""
        before = {b: git(self.editor.clone, "rev-parse", b).strip() for b in branches(self.editor.clone)}
        self.shot("form-end")
        self.page.locator('[aria-label$=" field"]').first.scroll_into_view_if_needed()
        self.shot("form")
        self.page.get_by_role("button", name="保存").first.click()
        self.page.get_by_text("修改已保存").wait_for()
        self.shot("saved")
        self.forgive_lookups()
        after = {b: git(self.editor.clone, "rev-parse", b).strip() for b in branches(self.editor.clone)}
        changed = [b for b, sha in after.items() if before.get(b) != sha]
        assert len(changed) == 1 and changed[0].startswith("cms/"), changed
        return changed[0]


@dataclass
class Published:
    tree: Path
    site: Path

    def front_matter(self, rel: str) -> dict:
        text = (self.tree / rel).read_text(encoding="utf-8")
        return yaml.safe_load(text.split("---\n")[1])

    def page(self, item_id: str) -> str:
        return (self.site / "items" / item_id / "index.html").read_text(encoding="utf-8")


def publish(editor: Editor, branch: str, name: str) -> Published:
    """The pull request's branch as CI sees it: ``gongkai check`` passes and it builds."""
    tree = checkout_tree(editor.clone, branch, editor.work / f"tree-{name}")
    checked = check_at(tree)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    site = editor.work / f"site-{name}"
    mkdocs_build(tree, site)
    return Published(tree, site)


def merge(editor: Editor, branch: str) -> None:
    """The reviewer merges the pull request on the forge, which deletes its branch (Decap's
    proxy fails on a branch left with nothing to merge). The proxy is stopped meanwhile: it
    checks branches out in this very working tree."""
    editor.proxy.stop()
    git(editor.clone, "checkout", "-q", "main")
    git(editor.clone, "merge", "-q", "--no-ff", "-m", f"Merge {branch}", branch)
    git(editor.clone, "branch", "-D", branch)
    editor.proxy = start_proxy(editor.clone, editor.proxy.port, editor.work / "proxy.log")


def changed_files(editor: Editor, branch: str) -> list[str]:
    return git(editor.clone, "diff", "--name-only", f"main...{branch}").splitlines()


def links(html: str) -> dict[str, str]:
    """Link text → href of a page's links."""
    return {re.sub(r"<[^>]+>|\s+", "", text): href
            for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)}


def test_a_notice_with_a_chinese_named_pdf_then_its_interpretation(editor, open_tab, tmp_path):
    upload = pdf(tmp_path / "青禾县 补助资金管理办法.pdf", "Qinghe subsidy rules 2026")
    form = Form(open_tab(viewport=VIEWPORT), editor, "notice")
    form.open("青禾县乡村振兴局")
    form.page.get_by_role("link", name="条目").click()
    form.type("索引号", "002501002/2026-00005")
    form.type("标题", "青禾县乡村振兴局关于印发《青禾县乡村振兴补助资金管理办法》的通知")
    form.choose("目录", "规范性", "行政规范性文件")
    form.date("成文日期", "2026-11-10")
    form.date("发布日期", "2026-11-12")
    form.type("发文字号", "青乡振发〔2026〕3号")
    form.review("王丽", "2026-11-11")
    form.attach(upload, "青禾县 补助资金管理办法")
    form.body("各乡镇人民政府：现将《青禾县乡村振兴补助资金管理办法》印发给你们，请认真贯彻执行。")
    branch = form.save()
    # the item is a folder of its own, its upload beside it; Decap turns the space into "-"
    folder = next(Path(p).parent for p in changed_files(editor, branch) if p.endswith("/index.md"))
    assert sorted(changed_files(editor, branch)) == [f"{folder}/index.md", f"{folder}/青禾县-补助资金管理办法.pdf"]
    site = publish(editor, branch, "notice")
    assert site.front_matter(f"{folder}/index.md")["附件"] == [{"文件": "青禾县-补助资金管理办法.pdf",
                                                              "名称": "青禾县 补助资金管理办法"}]
    notice = site.page("002501002/2026-00005")
    assert "《青禾县乡村振兴补助资金管理办法》的通知" in notice and "青乡振发〔2026〕3号" in notice
    assert links(notice)["青禾县补助资金管理办法"] == "%E9%9D%92%E7%A6%BE%E5%8E%BF-" \
        "%E8%A1%A5%E5%8A%A9%E8%B5%84%E9%87%91%E7%AE%A1%E7%90%86%E5%8A%9E%E6%B3%95.pdf"
    assert (site.site / "items/002501002/2026-00005/青禾县-补助资金管理办法.pdf").read_bytes() == upload.read_bytes()
    form.page.close()  # before the merge, which deletes the branch this form reads from
    merge(editor, branch)

    # its 解读 (another day: no draft of the notice's form left in this browser), linked by
    # picking the notice by its title
    form = Form(open_tab(viewport=VIEWPORT), editor, "interpretation")
    form.open("青禾县乡村振兴局")
    form.page.get_by_role("link", name="条目").click()
    form.type("索引号", "002501002/2026-00006")
    form.type("标题", "《青禾县乡村振兴补助资金管理办法》政策解读")
    form.choose("目录", "解读", "政策解读")
    form.date("成文日期", "2026-11-12")
    form.date("发布日期", "2026-11-12")
    form.field("解读对象").click()
    form.page.keyboard.insert_text("补助资金管理办法")
    notice = form.page.get_by_role("option", name=re.compile("2026-00005")).first
    notice.wait_for()
    form.shot("relation")
    notice.click()
    form.review("王丽", "2026-11-12")
    form.body("一、制定背景。为规范补助资金管理，县乡村振兴局制定了本办法。")
    branch = form.save()
    site = publish(editor, branch, "interpretation")
    reading = site.page("002501002/2026-00006")
    assert links(reading)["青禾县乡村振兴局关于印发《青禾县乡村振兴补助资金管理办法》的通知"] == "../2026-00005/"
    assert links(site.page("002501002/2026-00005"))["《青禾县乡村振兴补助资金管理办法》政策解读"] == "../2026-00006/"
    # every tab of every test is held to this by the open_tab fixture; said here once
    assert form.log.requests and form.log.foreign_requests == []


def test_a_withdrawal_marks_the_document_repealed_on_its_page(editor, open_tab):
    form = Form(open_tab(viewport=VIEWPORT), editor, "repeal")
    form.open("青禾县乡村振兴局")
    form.page.get_by_text("《青禾县衔接推进乡村振兴补助资金管理办法》的通知").first.click()
    form.choose("有效性", "废止")
    form.date("废止日期", "2026-11-20")
    form.field("有效性").scroll_into_view_if_needed()
    form.shot("status")
    branch = form.save()
    assert changed_files(editor, branch) == ["content/xczx/2025/00002.md"]
    site = publish(editor, branch, "repeal")
    meta = site.front_matter("content/xczx/2025/00002.md")
    assert meta["有效性"] == "废止" and str(meta["废止日期"]) == "2026-11-20"
    page = site.page("002501002/2025-00002")
    assert '<td><span class="gk-status gk-status--invalid">废止</span>（2026-11-20 废止）</td>' in page
    assert "本文件已废止，不再有效" in page


def test_a_low_income_list_with_its_xlsx_and_notice_period(editor, open_tab, tmp_path):
    upload = xlsx(tmp_path / "城关街道2026年第四季度低保对象名单.xlsx")
    form = Form(open_tab(viewport=VIEWPORT), editor, "dibao")
    form.open("青禾县城关街道办事处")
    form.page.get_by_role("link", name="条目").click()
    form.type("索引号", "002501004/2026-00009")
    form.type("标题", "城关街道2026年第四季度最低生活保障对象公示")
    form.choose("目录", "社会救助")
    form.date("成文日期", "2026-11-16")
    form.date("发布日期", "2026-11-17")
    form.choose("主题分类", "社会福利")
    period = form.block("公示期")
    form.date("开始日期", "2026-11-17", within=period)
    form.date("结束日期", "2026-11-23", within=period)
    form.shot("period")
    form.review("孙晓燕", "2026-11-16")
    form.attach(upload, "低保对象名单")
    form.body("经本人申请、街道审核，现将2026年第四季度最低生活保障对象名单予以公示，公示期7天。")
    branch = form.save()
    site = publish(editor, branch, "dibao")
    page = site.page("002501004/2026-00009")
    assert "2026-11-17 至 2026-11-23" in page or ("2026-11-17" in page and "2026-11-23" in page)
    assert "城关街道2026年第四季度低保对象名单.xlsx" in " ".join(
        p.name for p in (site.site / "items/002501004/2026-00009").iterdir())
    assert "低保对象名单" in links(page)


def test_a_title_fix_changes_only_the_title(editor, open_tab):
    rel = "content/cgjd/2026/00004.md"
    before = Published(editor.clone, editor.clone).front_matter(rel)
    form = Form(open_tab(viewport=VIEWPORT), editor, "title")
    form.open("青禾县城关街道办事处")
    form.page.get_by_text("城关街道全力应对强降雨天气").first.click()
    form.type("标题", "城关街道全力应对7月强降雨天气", replace=True)
    branch = form.save()
    assert changed_files(editor, branch) == [rel]
    site = publish(editor, branch, "title")
    after = site.front_matter(rel)
    assert after.pop("标题") == "城关街道全力应对7月强降雨天气"
    before.pop("标题")
    assert after == before
    assert "<h1>城关街道全力应对7月强降雨天气</h1>" in site.page("002501004/2026-00004")


#: the caret is after the last character of ``el``'s text
_AT_END = """(el) => {
  const s = getSelection();
  if (!s.rangeCount || !el.contains(s.focusNode)) return false;
  const rest = document.createRange();
  rest.selectNodeContents(el);
  rest.setStart(s.focusNode, s.focusOffset);
  return rest.toString().length === 0;
}"""

#: count the selectionchange events seen with the caret at the end of ``selector``'s text:
#: the editor (Slate) learns where the caret is from that event, which the browser dispatches
#: a while after the caret moved; a key pressed before it reaches the editor's stale idea of
#: the caret (where the click put it), and Slate even moves the caret back there after an Enter
_WATCH = """([selector]) => {
  window.__gkAtEnd = 0;
  if (window.__gkWatching) return;
  window.__gkWatching = true;
  document.addEventListener("selectionchange", () => {
    const el = document.querySelector(selector);
    if (el && (""" + _AT_END + """)(el)) window.__gkAtEnd++;
  });
}"""


def caret_at_end(page, selector: str, tail: str):
    """Click into the text and press Control+End until the caret is after its last character
    and the editor has been told so (a selectionchange event with the caret there)."""
    page.wait_for_function("([s, t]) => { const el = document.querySelector(s); return !!el && el.textContent.includes(t); }",
                           arg=[selector, tail])
    body = page.locator(selector).first
    for _ in range(10):
        body.click()
        page.evaluate(_WATCH, [selector])
        body.press("Control+End")
        try:
            page.wait_for_function("() => window.__gkAtEnd > 0", timeout=5000)
            return body
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"光标没有移到正文末尾（{tail}）")


#: the raw editor's lines (a block each), the line the caret is on, whether the editor has the focus
_LINES = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return {lines: [], caret: -1, focused: false};
  const blocks = Array.from(el.querySelectorAll(':scope > [data-slate-node="element"]'));
  const s = getSelection();
  return {
    lines: blocks.map(b => b.textContent.replace(/\\uFEFF/g, "")),
    caret: blocks.findIndex(b => s.rangeCount > 0 && b.contains(s.focusNode)),
    focused: el.contains(document.activeElement),
  };
}"""

#: the editor's last line is ``line``, after an empty one; the last line before the empty ones
#: ends with ``tail`` (the text may have ended with an empty line, and the caret gone there)
_APPENDED = "([selector, tail, line]) => { const {lines} = (" + _LINES + """)(selector);
  const n = lines.length;
  if (n < 3 || lines[n - 1] !== line || lines[n - 2] !== "") return false;
  const before = lines.slice(0, n - 1).filter(l => l !== "");
  return before.length > 0 && before[before.length - 1].endsWith(tail);
}"""


def append_paragraph(page, selector: str, tail: str, text: str) -> None:
    """Type ``text`` as a new paragraph after the text's end (its last line ends with ``tail``),
    as an editor does: the caret to the end, Enter twice, the text. Waits until the editor
    shows it last, and says where the caret and the text went if it does not."""
    caret_at_end(page, selector, tail)
    # the page's keyboard, not the locator's: a locator's press focuses the element first, and a
    # focus() that comes when the editor has lost it puts the caret on the first line
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.insert_text(text)
    try:
        page.wait_for_function(_APPENDED, arg=[selector, tail, text])
    except PlaywrightTimeout:
        state = page.evaluate(_LINES, selector)
        found = [n for n, line in enumerate(state["lines"], 1) if text in line]
        raise AssertionError(
            f"新的一段没有出现在正文末尾：在第 {found} 行（共 {len(state['lines'])} 行），"
            f"光标在第 {state['caret'] + 1} 行，编辑框{'有' if state['focused'] else '没有'}焦点；"
            f"末尾几行：{state['lines'][-4:]}") from None


def test_the_annual_report_text_is_edited_as_raw_markdown_and_keeps_its_placeholders(editor, open_tab):
    rel = "content/annual/2025.md"
    before = (editor.clone / rel).read_text(encoding="utf-8")
    form = Form(open_tab(viewport=VIEWPORT), editor, "annual")
    form.open("政府信息公开工作年度报告")
    form.page.get_by_text("青禾县人民政府2025年政府信息公开工作年度报告").first.click()
    tail = before.rstrip().splitlines()[-1][-8:]
    append_paragraph(form.page, '[aria-label="markdown field"] [contenteditable="true"]', tail,
                     "2026年将开展政务公开标准化规范化“回头看”。")
    branch = form.save()
    assert changed_files(editor, branch) == [rel]
    site = publish(editor, branch, "annual")
    after = (site.tree / rel).read_text(encoding="utf-8")
    # everything the editor did not touch is as it was, placeholders and tables included
    added = "2026年将开展政务公开标准化规范化“回头看”。"
    at = after.find(added)
    assert after.rstrip("\n").endswith("\n" + added), (
        f"新的一句在第 {after.count(chr(10), 0, at) + 1} 行，不在末尾：{after[max(at - 80, 0):at + 80]!r}"
        if at >= 0 else f"新的一句没有保存；文件末尾：{after[-200:]!r}")
    assert after.rstrip("\n").removesuffix(added).rstrip("\n") == before.rstrip("\n")
    page = (site.site / "annual/2025/index.html").read_text(encoding="utf-8")
    assert "2026年将开展政务公开标准化规范化“回头看”。" in page and "{{" not in page
