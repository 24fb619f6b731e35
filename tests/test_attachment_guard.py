"""Attachments by allowlist: only regular files of content/, in formats a browser does not
run, whose bytes match their extension; nothing from outside content/ reaches the site."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

import attachment_files as af
import pytest
from conftest import copy_project, mkdocs_build
from sitekit import gongkai, item, make_site, write

from gongkai.read import extract
from gongkai.read.source import open_regular

SECRET = "OUTSIDE-SECRET-7f3a"  # in files outside content/ and in the build's environment


def _check(site: Path) -> str:
    result = gongkai("check", str(site), "--date", "2026-11-26")
    assert result.returncode == 1, result.stdout
    return result.stdout


def _attached(n: int, name: str) -> str:
    return item(id=f"002501001/2025-{n:05d}", title=f"附件测试{n}", extra=f"附件:\n  - 文件: {name}\n")


def _link(site: Path, rel: str, target: str | Path) -> None:
    path = site / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> tuple[str, Path]:
    """One site with every kind of refused attachment, checked once."""
    tmp = tmp_path_factory.mktemp("refused")
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    af.pdf(outside / "secret.pdf", SECRET)
    names = {
        1: "环境.txt", 2: "草稿.txt", 3: "外部.pdf", 4: "硬链接.pdf", 5: "悬空.pdf",
        6: "page.html", 7: "page.htm", 8: "图.svg", 9: "data.xml", 10: "a.xhtml", 11: "a.xht",
        12: "a.shtml", 13: "假.pdf", 14: "假.png", 15: "脚本.txt", 16: "宏.xlsm", 17: "目录.pdf",
        18: "../other/draft.md", 19: ".hidden.pdf", 20: "env.bin", 21: "假.docx", 22: "链接目录.pdf",
    }
    site = make_site(tmp / "site", {f"zfb/{n:02d}.md": _attached(n, name) for n, name in names.items()})
    write(site, "other/draft.md", item(id="002501001/2025-00099", extra="草稿: true\n",
                                       body=f"草稿正文 {SECRET}\n"))
    _link(site, "zfb/环境.txt", "/proc/self/environ")
    _link(site, "zfb/草稿.txt", "../other/draft.md")
    _link(site, "zfb/外部.pdf", outside / "secret.pdf")
    os.link(outside / "secret.pdf", site / "content/zfb/硬链接.pdf")
    _link(site, "zfb/悬空.pdf", "不存在.pdf")
    write(site, "zfb/page.html", "<script>alert(1)</script>")
    (site / "content/zfb/page.htm").write_bytes("<img src=x onerror=alert(1)>".encode("utf-16"))
    write(site, "zfb/图.svg", '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>')
    write(site, "zfb/data.xml", '<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>')
    for name in ("a.xhtml", "a.xht", "a.shtml"):
        write(site, f"zfb/{name}", "<html><script>alert(1)</script></html>")
    write(site, "zfb/假.pdf", "<html><script>alert(1)</script></html>")
    write(site, "zfb/假.png", "<svg onload=alert(1)>")
    (site / "content/zfb/脚本.txt").write_bytes("<!DOCTYPE html><script>alert(1)</script>".encode("utf-16"))
    write(site, "zfb/宏.xlsm", "PK")
    (site / "content/zfb/目录.pdf").mkdir()
    write(site, "zfb/env.bin", "x")
    write(site, "zfb/假.docx", "not a zip")
    (site / "content/linked").symlink_to(outside)
    # a folder reached through a link: the file itself is regular, its real place is not content/
    _link(site, "zfb/链接目录.pdf", "../linked/secret.pdf")
    return _check(site), site


@pytest.mark.parametrize("n, name, reason", [
    (1, "环境.txt", "是符号链接"),
    (2, "草稿.txt", "是符号链接"),
    (3, "外部.pdf", "是符号链接"),
    (4, "硬链接.pdf", "是硬链接"),
    (5, "悬空.pdf", "是符号链接"),
    (6, "page.html", "是 .html 文件：浏览器会把它当作网页打开"),
    (7, "page.htm", "是 .htm 文件：浏览器会把它当作网页打开"),
    (8, "图.svg", "是 .svg 文件：浏览器会把它当作网页打开"),
    (9, "data.xml", "是 .xml 文件"),
    (10, "a.xhtml", "是 .xhtml 文件"),
    (11, "a.xht", "是 .xht 文件"),
    (12, "a.shtml", "是 .shtml 文件"),
    (13, "假.pdf", "的内容不是 PDF 文件（文件头不符）"),
    (14, "假.png", "的内容不是 PNG 图片 文件（文件头不符）"),
    (15, "脚本.txt", "的内容是网页或脚本"),
    (16, "宏.xlsm", "的格式 .xlsm 不在允许范围内"),
    (17, "目录.pdf", "不是普通文件"),
    (18, "../other/draft.md", "应与条目放在同一目录，只写文件名"),
    (19, ".hidden.pdf", "应与条目放在同一目录"),
    (20, "env.bin", "的格式 .bin 不在允许范围内"),
    (21, "假.docx", "的内容不是 Word 文件"),
    (22, "链接目录.pdf", "是符号链接"),
])
def test_each_refused_attachment_is_one_chinese_error_on_its_line(refused, n, name, reason):
    out, _ = refused
    lines = [line for line in out.splitlines() if f"content/zfb/{n:02d}.md" in line]
    assert len(lines) == 1, out
    assert lines[0].startswith(f"content/zfb/{n:02d}.md:9: 附件: 附件“{name}”{reason}"), lines[0]
    assert "Traceback" not in out and SECRET not in out


def test_links_and_folders_named_md_are_reported_not_read(tmp_path):
    site = make_site(tmp_path / "s", {"zfb/ok.md": item()})
    write(site, "other/draft.md", item(id="002501001/2025-00099", extra="草稿: true\n", body=SECRET))
    _link(site, "zfb/broken.md", "missing.md")
    _link(site, "zfb/copy.md", "../other/draft.md")
    (site / "content/zfb/x.md").mkdir()
    result = gongkai("check", str(site), "--date", "2026-11-26")
    assert result.returncode == 1
    out = result.stdout
    assert "content/zfb/broken.md: 是符号链接" in out
    assert "content/zfb/copy.md: 是符号链接" in out
    assert "content/zfb/x.md: 是一个以 .md 结尾的目录" in out
    assert "Traceback" not in out + result.stderr


def test_copy_never_follows_a_link(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("ok")
    os.symlink(real, tmp_path / "link.txt")
    os.link(real, tmp_path / "hard.txt")
    with pytest.raises(OSError):
        open_regular(tmp_path / "link.txt")
    with pytest.raises(OSError):
        open_regular(tmp_path / "hard.txt")
    assert extract.attachment_text(tmp_path / "link.txt").unreadable


def test_build_publishes_nothing_from_outside_content(tmp_path):
    project = copy_project(tmp_path / "p")
    outside = tmp_path / "outside.txt"
    outside.write_text(SECRET)
    folder = project / "content" / "zfb" / "2025"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "link-item.md").write_text(_attached(901, "环境.txt"), encoding="utf-8")
    os.symlink("/proc/self/environ", folder / "环境.txt")
    (folder / "link-item2.md").write_text(_attached(902, "外部.txt"), encoding="utf-8")
    os.symlink(outside, folder / "外部.txt")
    os.environ["GONGKAI_TEST_SECRET"] = SECRET
    try:
        result = mkdocs_build(project, tmp_path / "site", check=False)
    finally:
        del os.environ["GONGKAI_TEST_SECRET"]
    assert result.returncode != 0
    assert "附件“环境.txt”是符号链接" in result.stderr + result.stdout
    site = tmp_path / "site"
    leaked = [p for p in site.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()] \
        if site.exists() else []
    assert leaked == []

    # a regular file of its own is published, byte for byte
    for name in ("link-item.md", "link-item2.md", "环境.txt", "外部.txt"):
        (folder / name).unlink()
    (folder / "ok.md").write_text(_attached(903, "名单.csv"), encoding="utf-8")
    (folder / "名单.csv").write_text("序号,姓名\n1,王*英\n", encoding="utf-8")
    mkdocs_build(project, tmp_path / "site2")
    published = tmp_path / "site2" / "items" / "002501001" / "2025-00903" / "名单.csv"
    assert published.read_text(encoding="utf-8") == "序号,姓名\n1,王*英\n"
    assert not published.is_symlink()


def test_text_is_read_again_when_the_bytes_change_and_once_for_the_same_bytes(tmp_path, monkeypatch):
    calls = []
    real = extract.text_of
    monkeypatch.setattr(extract, "text_of", lambda data, suffix, depth=0: calls.append(suffix) or real(data, suffix, depth))
    first, copy = tmp_path / "名单.txt", tmp_path / "名单副本.txt"
    first.write_text("联系电话 0571-12345678\n", encoding="utf-8")
    copy.write_bytes(first.read_bytes())
    assert "0571-12345678" in extract.attachment_text(first).text
    assert "0571-12345678" in extract.attachment_text(copy).text  # same bytes, another path
    assert len(calls) == 1
    # same path, same size, same modification time, other bytes: the new text is what counts
    stat = first.stat()
    first.write_text("联系电话 0571-87654321\n", encoding="utf-8")
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "0571-87654321" in extract.attachment_text(first).text
    assert len(calls) == 2


# --- tricks and bombs: read completely, or not at all ---------------------------------------

sys.path.insert(0, str(Path(__file__).parent / "data"))
import make_attachment_tricks as tricks  # noqa: E402

_NAMES = [*tricks.TRICKS, "稀疏.xlsx", *tricks.BOMBS]
_ITEM = {name: f"zfb/{n:02d}.md" for n, name in enumerate(_NAMES, 1)}


@pytest.fixture(scope="module")
def tricked(tmp_path_factory) -> str:
    """One site with one item per trick and bomb, checked once. The bombs carry a manual
    review: a person's word cannot let through what no one could read."""
    site = make_site(tmp_path_factory.mktemp("tricks") / "site", {})
    folder = site / "content" / "zfb"
    tricks.write(folder)
    reviewed = "    人工审查:\n      审查人: 王丽\n      理由: 已逐页核对\n"
    for n, name in enumerate(_NAMES, 1):
        extra = f"附件:\n  - 文件: {name}\n" + (reviewed if name in tricks.BOMBS else "")
        write(site, _ITEM[name], item(id=f"002501001/2025-{n:05d}", title=f"附件测试{n}", extra=extra))
    out = _check(site)
    assert "Traceback" not in out
    return out


@pytest.mark.parametrize("name", [n for n, (_, kind, _) in tricks.TRICKS.items() if kind == "personal"])
def test_a_number_hidden_by_a_trick_is_found_where_a_reader_sees_it(tricked, name):
    where = tricks.TRICKS[name][2]
    assert f"content/zfb/{name}{where}" in tricked, (name, tricked)


@pytest.mark.parametrize("name", [n for n, (_, kind, _) in tricks.TRICKS.items() if kind == "review"])
def test_a_part_that_cannot_be_read_sends_the_file_to_manual_review(tricked, name):
    lines = [line for line in tricked.splitlines() if line.startswith(f"content/{_ITEM[name]}:")]
    assert len(lines) == 1, tricked
    assert lines[0].startswith(f"content/{_ITEM[name]}:9: 附件: 附件“{name}”无法自动检查个人信息："), lines[0]
    assert tricks.TRICKS[name][2] in lines[0] and "人工审查" in lines[0]


@pytest.mark.parametrize("name", list(tricks.BOMBS))
def test_a_file_over_a_limit_is_one_error_naming_it_and_the_limit(tricked, name):
    lines = [line for line in tricked.splitlines() if _ITEM[name] in line or f"zfb/{name}" in line]
    assert len(lines) == 1, tricked
    assert lines[0].startswith(f"content/{_ITEM[name]}:9: 附件: 附件“{name}”超出检查限额（{tricks.BOMBS[name][1]}")
    assert "不能发布" in lines[0]


def test_a_sheet_declaring_a_billion_cells_is_read_by_the_cells_it_has(tricked):
    assert "content/zfb/稀疏.xlsx:1048576: 工作表“名单”XFD1048576: 含有未脱敏的手机号" in tricked


def test_manual_review_lets_an_unread_part_through_but_not_a_number_read_elsewhere(tmp_path):
    site = make_site(tmp_path / "site", {})
    folder = site / "content" / "zfb"
    folder.mkdir(parents=True, exist_ok=True)
    tricks.scanned_second_page(folder / "扫描.pdf")
    reviewed = "    人工审查:\n      审查人: 王丽\n      理由: 已逐页核对第 2 页\n"
    write(site, "zfb/a.md", item(extra="附件:\n  - 文件: 扫描.pdf\n" + reviewed))
    result = gongkai("check", str(site), "--date", "2026-11-26")
    assert result.returncode == 0, result.stdout

    # page 1 has a number as well: it is reported though page 2 was reviewed by a person
    (folder / "扫描.pdf").write_bytes(tricks._pdf([f"Tel {tricks.MOBILE}", None]))
    out = _check(site)
    assert "content/zfb/扫描.pdf: 第 1 页: 含有未脱敏的手机号" in out


def test_an_extractor_that_dies_or_overruns_is_replaced_and_the_file_refused(tmp_path, monkeypatch):
    from gongkai.read import sandbox

    path = tmp_path / "名单.pdf"
    path.write_bytes(tricks._pdf(["Tel 0571-12345678"]))
    monkeypatch.setattr(sandbox, "WALL_SECONDS", 0)  # no worker answers in no time
    assert extract.text_of(tricks._pdf(["x"]), ".pdf").refused == f"读取时间超过 {sandbox.time_limit()}"
    monkeypatch.undo()
    assert "0571-12345678" in extract.attachment_text(path).text  # a new worker reads the next file


def test_a_long_text_is_scanned_in_pieces_without_losing_a_number_or_its_line(tmp_path):
    from gongkai.guards import findings

    long_line = tmp_path / "长行.txt"  # the number straddles where a piece ends
    long_line.write_text("说明" * 16_380 + f" {tricks.MOBILE} " + "说明" * 100, encoding="utf-8")
    many_lines = tmp_path / "多行.txt"
    many_lines.write_text("".join(f"第{n}行，无号码\n" for n in range(1, 9000)) + f"电话 {tricks.MOBILE}\n",
                          encoding="utf-8")
    found = {path.name: [(f.line, f.message.split("（")[0]) for f in findings.attachment_findings(path, path.name)]
             for path in (long_line, many_lines)}
    assert found == {"长行.txt": [(1, "含有未脱敏的手机号")], "多行.txt": [(9000, "含有未脱敏的手机号")]}


def test_ordinary_office_files_are_read_whole_without_a_manual_review(tmp_path):
    """What editors' tools write: no gap, so no 人工审查 for files a machine can read."""
    plain = af.docx(tmp_path / "通知.docx", text_box="文本框", header="页眉", nested="嵌套")
    sheet = af.xlsx(tmp_path / "名单.xlsx", number=1, comment="批注", header="页眉", text="说明")
    pdf = tmp_path / "公告.pdf"
    pdf.write_bytes(tricks._pdf(["Tel 0571-12345678", "Page two of the notice"], font=True))
    computed = tmp_path / "合计.xlsx"  # a formula whose result Excel saved with it
    tricks.formula_without_value(computed)
    with zipfile.ZipFile(computed) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<v></v>", b"<v>1390745****</v>").replace(b'<c r="B2"', b'<c r="B2" t="str"')
    with zipfile.ZipFile(computed, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    for path in (plain, sheet, pdf, computed):
        text = extract.attachment_text(path)
        assert text.readable, (path.name, text.unreadable)
    assert "1390745****" in extract.attachment_text(computed).text
    assert "Page two" in extract.attachment_text(pdf).text


def test_the_bytes_unpacked_in_one_build_are_bounded(tmp_path, monkeypatch):
    first, second = tmp_path / "一.docx", tmp_path / "二.docx"
    af.docx(first, body="第一份")
    af.docx(second, body="第二份")
    monkeypatch.setattr(extract, "BUILD_INFLATED", 0)
    monkeypatch.setattr(extract, "_inflated", 0)
    assert extract.attachment_text(first).readable
    assert extract.attachment_text(second).refused == "本次检查解压的附件已超过总量 0 GB"
