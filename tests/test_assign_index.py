"""``gongkai assign-index``: the 索引号 a web form leaves empty, filled in with the next free
number of the item's agency and year; the file otherwise byte for byte as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sitekit import commit, git, gongkai, init_repo, item, make_site, write

from gongkai.pipeline import load_site

ZFB = "002501001"  # 青禾县人民政府办公室, folder zfb


def _ids(*seqs: int, year: int = 2025) -> dict[str, str]:
    return {f"zfb/{year}/{n:05d}.md": item(f"{ZFB}/{year}-{n:05d}", title=f"通知{n}",
                                                   published=f"{year}-03-02", created=f"{year}-03-01")
            for n in seqs}


def _new(title: str = "新通知", published: str = "2025-08-01", id_value: str = '""') -> str:
    return item(id_value, title=title, published=published, created=published)


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path / "site", _ids(1, 2, 5))


def test_each_empty_id_gets_the_next_number_after_the_highest_in_both_layouts(site):
    write(site, "zfb/2025/b-new/index.md", _new("目录里的新通知"))  # the web editor's folder per item
    write(site, "zfb/2025/a-new.md", _new("一个文件的新通知"))
    result = gongkai("assign-index", str(site))
    assert result.returncode == 0, result.stderr
    # a gap (00003, 00004: perhaps deleted) is never filled: numbers are never reused
    assert result.stdout.splitlines() == [
        f"已分配索引号 {ZFB}/2025-00006：content/zfb/2025/a-new.md",
        f"已分配索引号 {ZFB}/2025-00007：content/zfb/2025/b-new/index.md",
        "共分配 2 个索引号"]
    assert f"索引号: {ZFB}/2025-00007\n" in (site / "content/zfb/2025/b-new/index.md").read_text(encoding="utf-8")
    ids = {i.id: i.title for i in load_site(site, dt.date(2026, 11, 26)).items}  # raises on any error
    assert ids[f"{ZFB}/2025-00006"] == "一个文件的新通知" and ids[f"{ZFB}/2025-00007"] == "目录里的新通知"
    again = gongkai("assign-index", str(site))
    assert (again.returncode, again.stdout) == (0, "没有需要分配索引号的条目\n")


def test_check_says_an_empty_number_is_the_pipelines_to_assign(site):
    write(site, "zfb/2025/empty.md", _new())
    write(site, "zfb/2025/absent.md", _new().replace('索引号: ""\n', ""))
    check = gongkai("check", str(site))
    assert check.returncode == 1
    hint = "新条目的索引号留空即可，合并请求的审核流水线会分配下一个未用的索引号（在本地可运行 gongkai assign-index）"
    assert f"content/zfb/2025/empty.md:2: 索引号: 不能为空：{hint}" in check.stdout
    assert f"content/zfb/2025/absent.md:2: 索引号: 缺少必填字段：{hint}" in check.stdout
    assert gongkai("assign-index", str(site)).returncode == 0
    assert gongkai("check", str(site)).returncode == 0


def test_numbers_start_again_each_year_and_follow_the_publication_year(site):
    write(site, "zfb/2026/new/index.md", _new("明年的通知", published="2026-01-05"))
    write(site, "zfb/2025/new/index.md", _new())
    result = gongkai("assign-index", str(site))
    assert f"已分配索引号 {ZFB}/2026-00001：content/zfb/2026/new/index.md" in result.stdout
    assert f"已分配索引号 {ZFB}/2025-00006：content/zfb/2025/new/index.md" in result.stdout


def test_a_number_used_in_the_history_is_not_given_again(tmp_path):
    site = init_repo(make_site(tmp_path / "site", _ids(1, 2, 3)))
    commit(site, "three items")
    (site / "content/zfb/2025/00003.md").unlink()
    commit(site, "withdraw the third")
    write(site, "zfb/2025/new.md", _new())
    result = gongkai("assign-index", str(site))
    assert f"已分配索引号 {ZFB}/2025-00004：content/zfb/2025/new.md" in result.stdout


def test_only_the_one_line_changes_bom_crlf_and_comments_kept(site):
    text = ("\ufeff---\r\n# 网页编辑器保存的条目\r\n标题: 新通知   # 标题\r\n索引号: ''    # 留空，由流水线分配\r\n"
            "发布机构: 青禾县人民政府办公室\r\n目录: qtwj\r\n成文日期: 2025-08-01\r\n发布日期: 2025-08-01\r\n"
            "草稿: true\r\n---\r\n\r\n正文写着“索引号: ”也不改。\r\n最后一行没有换行")
    path = write(site, "zfb/2025/crlf/index.md", text.encode("utf-8"))
    before = path.read_bytes()
    assert gongkai("assign-index", str(site)).returncode == 0
    expected = before.replace("索引号: ''    #".encode(), f"索引号: {ZFB}/2025-00006    #".encode())
    assert path.read_bytes() == expected


@pytest.mark.parametrize(("written", "becomes"), [
    ('索引号: ""', "索引号: {id}"), ("索引号:", "索引号: {id}"), ("索引号: ~", "索引号: {id}"),
    ("索引号: null  # 表单留空", "索引号: {id}  # 表单留空"), ('"索引号": \'\'', '"索引号": {id}'),
    ('id: ""', "id: {id}")])
@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_each_way_of_leaving_it_empty_is_filled_in_place(site, written, becomes, end):
    text = _new().replace('索引号: ""', written).replace("\n", end)
    path = write(site, "zfb/2025/form.md", text.encode("utf-8"))
    assert gongkai("assign-index", str(site)).returncode == 0
    assert path.read_bytes() == text.replace(written, becomes.format(id=f"{ZFB}/2025-00006")).encode("utf-8")


def test_a_line_it_cannot_rewrite_safely_is_reported_and_left(site):
    path = write(site, "zfb/2025/flow.md", "---\n{索引号: '', 标题: 一行写完, 发布机构: 青禾县人民政府办公室, "
                 "目录: qtwj, 成文日期: 2025-08-01, 发布日期: 2025-08-01, 草稿: true}\n---\n正文\n")
    before = path.read_bytes()
    result = gongkai("assign-index", str(site))
    assert result.returncode == 1 and path.read_bytes() == before
    assert "content/zfb/2025/flow.md:2: 索引号: 没有写入索引号：“索引号”一行不是“索引号: 值”的写法，请手工填写" in result.stderr


def test_a_missing_key_is_added_after_the_opening_line_in_the_files_own_spelling(site):
    cn = write(site, "zfb/2025/cn.md", _new().replace('索引号: ""\n', "").replace("\n", "\r\n"))
    en = write(site, "zfb/2025/en.md",
               "---\ntitle: English keys\nagency: \"002501001\"\ncategory: qtwj\ncreated: 2025-08-01\n"
               "published: 2025-08-01\ndraft: true\n---\nbody\n")
    cn_before, en_before = cn.read_bytes(), en.read_bytes()
    assert gongkai("assign-index", str(site)).returncode == 0
    assert cn.read_bytes() == cn_before.replace(b"---\r\n", f"---\r\n索引号: {ZFB}/2025-00006\r\n".encode(), 1)
    assert en.read_bytes() == en_before.replace(b"---\n", f"---\nid: {ZFB}/2025-00007\n".encode(), 1)


@pytest.mark.parametrize("written", ["2025-7", "[002501001/2025-00009]", "002501001/2025-7", "12345"])
def test_a_malformed_number_is_reported_never_replaced(site, written):
    path = write(site, "zfb/2025/odd.md", _new(id_value=written))
    write(site, "zfb/2025/new.md", _new())
    before = path.read_bytes()
    result = gongkai("assign-index", str(site))
    assert result.returncode == 1
    assert path.read_bytes() == before
    shown = "['002501001/2025-00009']" if written.startswith("[") else written
    assert f"content/zfb/2025/odd.md:2: 索引号: 索引号“{shown}”不符合格式" in result.stderr
    assert f"已分配索引号 {ZFB}/2025-00006：content/zfb/2025/new.md" in result.stdout  # the others still are


def test_an_item_without_a_known_agency_or_date_is_reported(site):
    path = write(site, "zfb/2025/who.md", _new().replace("青禾县人民政府办公室", "不存在的局"))
    dateless = write(site, "zfb/2025/when.md", _new().replace("发布日期: 2025-08-01\n", "")
                     .replace("成文日期: 2025-08-01", '成文日期: ""'))
    before = path.read_bytes(), dateless.read_bytes()
    result = gongkai("assign-index", str(site))
    assert result.returncode == 1 and (path.read_bytes(), dateless.read_bytes()) == before
    assert "content/zfb/2025/who.md:4: 发布机构: 发布机构“不存在的局”未在 catalog/agencies.yml 中定义" in result.stderr
    assert "content/zfb/2025/when.md: 发布日期: 没有可用的发布日期或成文日期" in result.stderr


def test_a_copied_item_is_renumbered_only_against_a_base(tmp_path):
    site = init_repo(make_site(tmp_path / "site", _ids(1, 2)))
    commit(site, "start")
    git(site, "checkout", "-q", "-b", "cms/copy")
    original = (site / "content/zfb/2025/00002.md").read_bytes()
    # the web editor's "duplicate" copies every field, the 索引号 too
    write(site, "zfb/2025/a-copy/index.md", original.decode().replace("通知2", "通知2（复制）"))
    write(site, "zfb/2025/0000-copy.md", original.decode().replace("通知2", "通知2（又一份，排在原件之前）"))
    alone = gongkai("assign-index", str(site))
    assert alone.returncode == 1
    # without a base there is no telling the copy from the original: reported, nothing written
    assert (f"content/zfb/2025/a-copy/index.md:2: 索引号: 索引号“{ZFB}/2025-00002”与 content/zfb/2025/0000-copy.md 重复，"
            "没有重新编号：不知道哪一个是新加的。请用 --base <主分支> 运行") in alone.stderr
    assert alone.stderr.count("没有重新编号") == 2 and git(site, "status", "--porcelain", "content/zfb/2025/00002.md") == ""
    result = gongkai("assign-index", "--base", "main", str(site))
    assert result.returncode == 0, result.stderr
    # the file that held the number before keeps it, wherever the copies sort
    assert result.stdout.splitlines() == [
        f"已重新分配索引号 {ZFB}/2025-00003：content/zfb/2025/0000-copy.md"
        f"（原索引号“{ZFB}/2025-00002”已由 content/zfb/2025/00002.md 使用）",
        f"已重新分配索引号 {ZFB}/2025-00004：content/zfb/2025/a-copy/index.md"
        f"（原索引号“{ZFB}/2025-00002”已由 content/zfb/2025/00002.md 使用）", "共分配 2 个索引号"]
    assert (site / "content/zfb/2025/00002.md").read_bytes() == original


def test_an_unknown_base_is_one_message(site):
    init_repo(site)
    commit(site, "start")
    result = gongkai("assign-index", "--base", "origin/nowhere", str(site))
    assert result.returncode == 1
    assert result.stderr == "gongkai assign-index: 找不到基准分支“origin/nowhere”：请先 git fetch，或写出存在的分支名或提交\n"


def _clone(origin: Path, dest: Path, branch: str) -> Path:
    git(origin.parent, "clone", "-q", str(origin), str(dest))
    git(dest, "config", "user.name", "流水线")
    git(dest, "config", "user.email", "bot@example.org")
    git(dest, "config", "commit.gpgsign", "false")
    git(dest, "checkout", "-q", "-b", branch)
    return dest


def test_two_pull_requests_given_the_same_number_the_second_is_renumbered(tmp_path):
    """Two review runs at the same time give both new items the same number. Once the first is
    merged, checking the second as merged into main refuses the repeat, names the first file
    and the next free number; the command run again on the branch numbers it anew."""
    origin = init_repo(make_site(tmp_path / "origin", _ids(1, 2, 3)))
    commit(origin, "start")
    a = _clone(origin, tmp_path / "a", "cms/a")
    b = _clone(origin, tmp_path / "b", "cms/b")  # neither run sees the other's branch yet
    for clone, slug in ((a, "notice-a"), (b, "notice-b")):
        write(clone, f"zfb/2025/{slug}/index.md", _new(f"{slug} 的通知"))
        run = gongkai("assign-index", "--base", "origin/main", str(clone))
        assert f"已分配索引号 {ZFB}/2025-00004：content/zfb/2025/{slug}/index.md" in run.stdout
        commit(clone, "自动分配索引号")
        git(clone, "push", "-q", "origin", f"cms/{clone.name}")
    git(origin, "merge", "-q", "--no-edit", "cms/a")  # the first pull request is merged

    git(b, "fetch", "-q", "origin")
    git(b, "checkout", "-q", "-b", "merge-result")  # what the pipeline checks: the branch merged into main
    git(b, "merge", "-q", "--no-edit", "origin/main")
    check = gongkai("check", str(b))
    assert check.returncode == 1
    assert (f"content/zfb/2025/notice-b/index.md:2: 索引号: 索引号“{ZFB}/2025-00004”与 "
            f"content/zfb/2025/notice-a/index.md 重复：索引号必须唯一，且不得复用。"
            f"本机构 2025 年下一个未用的索引号是“{ZFB}/2025-00005”，请改用它") in check.stdout + check.stderr

    git(b, "checkout", "-q", "cms/b")
    git(b, "branch", "-q", "-D", "merge-result")
    again = gongkai("assign-index", "--base", "origin/main", str(b))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == (
        f"已重新分配索引号 {ZFB}/2025-00005：content/zfb/2025/notice-b/index.md"
        f"（原索引号“{ZFB}/2025-00004”已由 content/zfb/2025/notice-a/index.md 使用）")
    commit(b, "自动分配索引号")
    git(b, "merge", "-q", "--no-edit", "origin/main")
    passed = gongkai("check", str(b))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    # the first branch, run again after its merge, keeps its number
    git(a, "fetch", "-q", "origin")
    kept = gongkai("assign-index", "--base", "origin/main", str(a))
    assert (kept.returncode, kept.stdout) == (0, "没有需要分配索引号的条目\n")
