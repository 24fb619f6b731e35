"""`gongkai check` is the build's whole truth: whatever stops `mkdocs build --strict` on a
mutated item also fails `check` (which names the source file and line instead).

Hypothesis mutates one item of a two-item site (front-matter slips, body links, images,
Word-pasted HTML) and runs both. Six examples in all, each one a real MkDocs build: four drawn,
and two pinned so that both sides (a refused build, a published page) are checked on every run.
"""

from __future__ import annotations

import datetime as dt
import shutil

from conftest import copy_project, mkdocs_build_here
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from itemfactory import GOOD

from gongkai.pipeline import load_site
from gongkai.problems import Problems, ValidationFailed
from gongkai.render.outputs import link_problems

OTHER = GOOD.replace("2025-00007", "2025-00008").replace("青乡振发〔2025〕4号", "青乡振发〔2025〕5号")

BODY = [
    "[名单](名单.csv)", "[名单](未列出.xlsx)", "![照片](现场.png)", "![照片](名单.csv)",
    "[另一份](../2025-00008/)", "[另一份](../2025-00008/index.md)", "[另一份](../2025-00099/)",
    "[栏目](../../../catalogue/gfxwj/index.md)", "[栏目](../../../catalogue/nope/)",
    "[首页](/items/)", "[上面](../../../../x.html)", "[锚点](#第一条)", "[外链](https://www.gov.cn/)",
    '<img src="file:///C:/Users/wang/Desktop/a.png">', '<a href="名单.csv">名单</a>',
    '<a href="缺少.pdf">缺少</a>', "[文](other.md)", "[邮件](mailto:a@b.cn)",
]
FRONT = [
    ("标题: ", "标题："), ("目录: gfxwj", "目录: 行政规范性文件"), ("目录: gfxwj", "目录: nope"),
    ("发布日期: 2025-03-18", "发布日期: 2025-3-18"), ("  审查结果: 同意公开", "  审查结果: 不同意"),
    ("发文字号: 青乡振发〔2025〕4号", "发文字号: 青乡振发〔2025〕5号"),
    ("主题词: [乡村振兴, 补助资金]", "主题词: [乡村振兴, 补助资金] # 注"),
    ("审查:", "附件:\n  - 文件: 名单.csv\n审查:"),
]


@st.composite
def mutations(draw):
    text = GOOD
    for old, new in draw(st.lists(st.sampled_from(FRONT), max_size=2, unique=True)):
        text = text.replace(old, new, 1)
    lines = draw(st.lists(st.sampled_from(BODY), min_size=1, max_size=3))
    return text + "\n" + "\n\n".join(lines) + "\n"


def _check_fails(root) -> bool:
    problems = Problems()
    try:
        site = load_site(root, dt.date(2026, 11, 26), problems)
    except ValidationFailed:
        return True
    problems.extend(link_problems(site))
    return bool(problems.errors)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutations())
# both outcomes every run, whatever the six random draws are: a slip the build stops on, and
# Markdown it publishes
@example(text=GOOD.replace("目录: gfxwj", "目录: nope") + "\n[另一份](../2025-00099/)\n")
@example(text=GOOD + "\n[另一份](../2025-00008/)\n\n[外链](https://www.gov.cn/)\n")
def test_what_fails_the_build_fails_check(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("site")
    copy_project(root, with_content=False)
    folder = root / "content" / "xczx"
    folder.mkdir(parents=True)
    (folder / "1.md").write_text(text, encoding="utf-8")
    (folder / "2.md").write_text(OTHER, encoding="utf-8")
    (folder / "名单.csv").write_text("a,b\n", encoding="utf-8")
    built, messages = mkdocs_build_here(root, root / "site")
    if not built:
        assert _check_fails(root), messages
    else:  # published: the item's page is there, under its title, with what was written
        page = (root / "site" / "items" / "002501002" / "2025-00007" / "index.html").read_text(encoding="utf-8")
        assert "青禾县乡村振兴局关于印发补助资金管理办法的通知" in page
        assert "现将办法印发给你们" in page
    shutil.rmtree(root, ignore_errors=True)


def test_a_link_mkdocs_would_refuse_fails_the_build_in_chinese_on_the_source_line(tmp_path):
    root = copy_project(tmp_path / "site", with_content=False)
    (root / "content" / "xczx").mkdir(parents=True)
    (root / "content" / "xczx" / "1.md").write_text(GOOD + "\n详见[名单](名单.xlsx)。\n", encoding="utf-8")
    built, messages = mkdocs_build_here(root, root / "site")
    assert not built
    assert ("content/xczx/1.md:19: 正文: 链接“名单.xlsx”指向的附件“名单.xlsx”不在 002501002/2025-00007 的附件列表中"
            "（已列：无）：请把文件放在条目旁并写入“附件”，否则不会发布") in messages
    assert "contains a link" not in messages  # MkDocs' English on a generated page is not reached
