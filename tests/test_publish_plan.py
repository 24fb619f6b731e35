"""``gongkai publish --plan``: a deploy that stops after any upload leaves a working site.

The sample as built is the old site; the new one changes a stylesheet (a new fingerprinted
name), an item's text (a new search index version), adds an item and drops one. The plan's
uploads are applied one by one onto the old site; after every one of them, every page a
visitor can be on (any old page, opened before the deploy, and every page the half-deployed
site serves) finds every asset and attachment it names, and the search index that the
served meta.json names is complete, as is the old one a search opened earlier still reads.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import copy_project, mkdocs_build

_REF = re.compile(r'\s(?:src|href)="([^"#?]+)')
_VERSION = re.compile(rb'"version":"([0-9a-f]{12})"')


def _gongkai(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def references(page: str, html: str) -> set[str]:
    """The site files a page loads or links to (not other pages), relative to the site root."""
    found = set()
    folder = posixpath.dirname(page)
    for ref in _REF.findall(html):
        if ":" in ref or ref.startswith("//") or ref.endswith("/") or ref.endswith(".html"):
            continue
        path = ref.removeprefix("/xxgk/") if ref.startswith("/") else posixpath.normpath(posixpath.join(folder, ref))
        if "." in posixpath.basename(path).strip(".") and not path.startswith(("..", "/")):  # "../.." is a page
            found.add(unquote(path))
    return found


@functools.cache
def _references_of(page: str, content: bytes) -> frozenset[str]:
    """``references`` of one version of a page, read once: a deploy is checked after each of
    a few hundred uploads against the same few hundred pages."""
    return frozenset(references(page, content.decode("utf-8")))


def index_files(files: dict[str, bytes], version: str) -> set[str]:
    return {p for p in files if p.startswith(f"search/idx/{version}/")}


def broken(state: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    """What some page open at this point cannot load."""
    problems = []
    pages = {(p, c) for p, c in old.items() if p.endswith(".html")}  # opened before the deploy
    pages |= {(p, c) for p, c in state.items() if p.endswith(".html")}  # served now
    for page, content in pages:
        missing = _references_of(page, content) - state.keys()
        problems += [f"{page} → {m}" for m in sorted(missing)]
    served = _VERSION.search(state["search/idx/meta.json"])[1].decode()
    for build in (old, new):
        version = _VERSION.search(build["search/idx/meta.json"])[1].decode()
        if version == served or build is old:  # the served index, and the one earlier searches read
            problems += [f"索引 {m}" for m in sorted(index_files(build, version) - state.keys())]
    return problems


@pytest.fixture(scope="module")
def two_sites(built_site, tmp_path_factory):
    root = tmp_path_factory.mktemp("publish")
    project = copy_project(root / "p")
    css = project / "overrides" / "assets" / "gongkai.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.gk-footer { margin-top: 2rem; }\n", encoding="utf-8")
    item = project / "content" / "zfb" / "2025" / "00002.md"
    item.write_text(item.read_text(encoding="utf-8").replace("稳中有进", "稳中有进、质效齐升"), encoding="utf-8")
    added = (project / "content" / "zfb" / "2025" / "00003.md").read_text(encoding="utf-8")
    (project / "content" / "zfb" / "2025" / "00099.md").write_text(
        added.replace("002501001/2025-00003", "002501001/2025-00099"), encoding="utf-8")
    (project / "content" / "zfb" / "2025" / "00010.md").unlink()
    mkdocs_build(project, root / "new")
    return built_site, root / "new", root


def test_the_plan_lists_changes_in_a_safe_order(two_sites):
    old, new, _ = two_sites
    plan = json.loads(_gongkai("publish", "--plan", str(old), str(new), "--format", "json"))
    assert "items/002501001/2025-00099/index.html" in plan["added"]
    assert "items/002501001/2025-00010/index.html" in plan["removed"]
    assert "items/002501001/2025-00002/index.html" in plan["changed"]
    first, entry, pages, removals = (s["files"] for s in plan["steps"])
    assert any(re.fullmatch(r"assets/gongkai\.[0-9a-f]{8}\.css", p) for p in first)
    assert any(p.startswith("search/idx/") and p.endswith("/meta.json") is False for p in first)
    assert entry == ["search/idx/meta.json"]
    assert all(p.endswith(".html") for p in pages[:-2]) and pages[-2:] == ["sitemap.xml", "feed.xml"]
    assert pages.index("items/002501001/2025-00099/index.html") < pages.index("index.html")  # added first
    assert set(removals) == set(plan["removed"]) and any(re.match(r"search/idx/[0-9a-f]{12}/", p) for p in removals)
    text = _gongkai("publish", "--plan", str(old), str(new))
    assert text.startswith(f"新增 {len(plan['added'])} 个、修改 {len(plan['changed'])} 个、删除 {len(plan['removed'])} 个文件。")
    assert "第 4 步 宽限期后删除新网站已没有的文件" in text


def test_a_deploy_stopped_after_any_upload_leaves_every_page_working(two_sites):
    old_dir, new_dir, root = two_sites
    old, new = files_of(old_dir), files_of(new_dir)
    plan = json.loads(_gongkai("publish", "--plan", str(old_dir), str(new_dir), "--format", "json"))
    uploads = [p for step in plan["steps"][:3] for p in step["files"]]
    assert len(uploads) > 100
    state = dict(old)
    assert broken(state, old, new) == []
    for n, path in enumerate(uploads, 1):
        state[path] = new[path]
        assert broken(state, old, new) == [], f"after upload {n} of {len(uploads)} ({path})"
    for path in plan["steps"][3]["files"]:
        del state[path]
    assert state == new  # the finished deploy is the new site, file for file
    # and on disk: half the uploads applied onto a copy of the old site
    half = root / "half"
    shutil.copytree(old_dir, half)
    for path in uploads[: len(uploads) // 2]:
        (half / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(new_dir / path, half / path)
    assert broken(files_of(half), old, new) == []


def test_aws_commands_upload_each_step_with_its_headers(two_sites):
    old, new, _ = two_sites
    entry = _gongkai("publish", "--plan", str(old), str(new), "--format", "aws", "--step", "2",
                     "--target", "s3://bucket/xxgk")
    assert entry.strip() == (f"aws s3 cp {new}/search/idx/meta.json s3://bucket/xxgk/search/idx/meta.json "
                             "--content-type 'application/json; charset=utf-8' --cache-control no-cache")
    removals = _gongkai("publish", "--plan", str(old), str(new), "--format", "aws", "--step", "4",
                        "--target", "s3://bucket/xxgk/")
    assert "aws s3 rm s3://bucket/xxgk/items/002501001/2025-00010/index.html" in removals.splitlines()
