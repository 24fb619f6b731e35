"""`gongkai import --folder`, `import-docx --folder` and `new --from --folder`: each item as
``<serial>/index.md`` with its files beside it, publishing the same site as one file each."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, file_digests, mkdocs_build
from sitekit import gongkai

from gongkai.author.importer import existing
from gongkai.author.importer.run import _free_name
from gongkai.read.source import read_markdown

sys.path.insert(0, str(ROOT / "tests" / "data"))
import make_import_sample  # noqa: E402


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    make_import_sample.write(out)
    make_import_sample.write_docx(out / "公文")
    return out


def imported(project: Path) -> list[Path]:
    return sorted(p for p in (project / "content").rglob("*.md") if "gongkai import" in p.read_text(encoding="utf-8"))


@pytest.mark.build
def test_an_import_in_folders_publishes_the_same_site_as_one_file_each(sample, tmp_path):
    flat, folders = copy_project(tmp_path / "flat"), copy_project(tmp_path / "folders")
    runs = [gongkai("import", str(sample / "旧系统导出.xlsx"), "--attachments", str(sample / "附件"),
                    "--path", str(project), *extra) for project, extra in ((flat, ()), (folders, ("--folder",)))]
    assert runs[0].stdout == runs[1].stdout and runs[0].stderr == runs[1].stderr
    assert "导入后检查：gongkai check 通过。" in runs[1].stdout
    flat_items, folder_items = imported(flat), imported(folders)
    assert len(folder_items) == len(flat_items) > 50
    assert all(p.name == "index.md" for p in folder_items)
    assert all(p.parent.with_suffix(".md").relative_to(folders) == q.relative_to(flat)
               for p, q in zip(folder_items, flat_items, strict=True))
    with_files = 0
    for path in folder_items:  # every attachment sits in the item's own folder, as 附件 names it
        named = [a["文件"] for a in read_markdown(path, "x").front.data.get("附件", [])]
        beside = sorted(p.name for p in path.parent.iterdir() if p.name != "index.md")
        assert sorted(named) == beside
        with_files += bool(named)
    assert with_files >= 5
    out_flat, out_folders = tmp_path / "site-flat", tmp_path / "site-folders"
    mkdocs_build(flat, out_flat)
    mkdocs_build(folders, out_folders)
    pdfs = [p for p in out_folders.glob("items/*/*/*.pdf")]
    assert pdfs and all(re.fullmatch(r"\d{5}-.+\.pdf", p.name) for p in pdfs)
    # the same pages, attachment links and files, byte for byte: no URL depends on the layout
    assert file_digests(out_folders) == file_digests(out_flat)


def test_a_serial_either_layout_holds_is_not_taken_again(tmp_path):
    index = existing.SiteIndex(pattern=re.compile(r"x"), files={"zfb/2020/00001", "zfb/2020/00002.md"})
    assert _free_name(index, "content/zfb/2020", "00001", folder=False) == "00001-2.md"
    assert _free_name(index, "content/zfb/2020", "00002", folder=True) == "00002-2/index.md"
    assert _free_name(index, "content/zfb/2020", "00003", folder=True) == "00003/index.md"


def test_word_files_become_folder_items_with_their_pictures_beside(sample, tmp_path):
    project = copy_project(tmp_path / "p")
    result = gongkai("import-docx", str(sample / "公文"), "--folder", "--path", str(project))
    assert result.returncode == 0, result.stderr
    made = re.findall(r"已创建 (\S+)，", result.stdout)
    assert len(made) == 2 and all(re.fullmatch(r"content/\w+/\d{4}/\d{5}/index\.md", m) for m in made)
    pictures = 0
    for rel in made:
        source = read_markdown(project / rel, rel)
        for attachment in source.front.data.get("附件", []):
            name = attachment["文件"]
            assert (project / rel).with_name(name).read_bytes().startswith(b"\x89PNG")
            assert f"![]({name})" in source.body  # the link the one-file layout writes
            pictures += 1
    assert pictures >= 1
    single = gongkai("new", "--from", str(sample / "公文" / "防汛防台通知.docx"), "--category", "qtwj",
                     "--folder", str(tmp_path / "p"))
    assert single.returncode == 1 and "已有同名条目" in single.stderr  # a second copy is refused


def test_new_from_word_writes_a_folder_when_asked(sample, tmp_path):
    project = copy_project(tmp_path / "p")
    result = gongkai("new", "--from", str(sample / "公文" / "防汛防台通知.docx"), "--category", "qtwj",
                     "--folder", str(project))
    assert result.returncode == 0, result.stderr
    rel = re.search(r"已创建 (\S+)，", result.stdout)[1]
    folder = (project / rel).parent
    assert rel.endswith("/index.md") and sorted(p.name for p in folder.iterdir()) == [
        f"{folder.name}-图片1.png", "index.md"]
