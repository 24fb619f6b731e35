"""One folder per item: ``content/<agency>/<year>/<serial>/index.md`` with its attachments
beside it, mixed freely with the one-file layout (``<serial>.md``)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import copy_project, mkdocs_build
from itemfactory import errors_for
from sitekit import gongkai, item, make_site, write

from gongkai.pipeline import load_site

ATTACHED = "附件:\n  - 文件: 名单 第一批.csv\n    名称: 第一批名单\n"


def test_a_folder_item_and_its_attachment_load_beside_a_file_item(tmp_path):
    root = make_site(tmp_path / "site", {
        "zfb/2025/00001.md": item(),
        "zfb/2025/00002/index.md": item(id="002501001/2025-00002", title="关于第一批名单的公示",
                                        extra=ATTACHED),
    })
    write(root, "zfb/2025/00002/名单 第一批.csv", "序号,姓名\n1,张三\n")
    assert [e.format() for e in errors_for(root)] == []
    site = load_site(root, dt.date(2026, 1, 1))
    folder = next(i for i in site.items if i.id.endswith("00002"))
    assert folder.url == "items/002501001/2025-00002/"
    assert [a.file for a in folder.attachments] == ["名单 第一批.csv"]


def test_the_same_index_number_in_both_layouts_is_refused(tmp_path):
    root = make_site(tmp_path / "site", {
        "zfb/2025/00001.md": item(),
        "zfb/2025/00001/index.md": item(title="同一索引号的另一份通知"),
    })
    (error,) = errors_for(root)
    assert error.field == "索引号" and "重复" in error.message
    assert {error.file, error.message.split("与 ")[1].split(" ")[0]} == {
        "content/zfb/2025/00001.md", "content/zfb/2025/00001/index.md"}


@pytest.mark.build
def test_a_site_mixing_both_layouts_builds_and_publishes_folder_attachments(tmp_path):
    project = copy_project(tmp_path / "p")
    write(project, "zfb/2025/00901/index.md",
          item(id="002501001/2025-00901", title="关于第一批名单的公示", extra=ATTACHED))
    write(project, "zfb/2025/00901/名单 第一批.csv", "序号,姓名\n1,张三\n")
    out = tmp_path / "out"
    mkdocs_build(project, out)
    page = out / "items/002501001/2025-00901"
    assert "关于第一批名单的公示" in (page / "index.html").read_text(encoding="utf-8")
    assert (page / "名单 第一批.csv").read_text(encoding="utf-8") == "序号,姓名\n1,张三\n"
    assert (out / "items/002501001/2025-00001/index.html").is_file()  # a one-file item still builds


def test_new_writes_a_folder_when_asked(tmp_path):
    root = make_site(tmp_path / "site")
    made = gongkai("new", "--agency", "zfb", "--category", "qtwj", "--date", "2025-03-01",
                   "--folder", str(root))
    assert made.returncode == 0, made.stderr
    assert (root / "content/zfb/2025/00001/index.md").is_file()
    assert "content/zfb/2025/00001/index.md" in made.stdout
    again = gongkai("new", "--agency", "zfb", "--category", "qtwj", "--date", "2025-03-01", str(root))
    assert again.returncode == 0, again.stderr
    assert (root / "content/zfb/2025/00002.md").is_file()  # the folder's serial is taken
