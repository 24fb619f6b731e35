"""Every MkDocs-private name the adapter, its shortcuts and the preview use, in one place.

MkDocs promises nothing about underscore names: a minor release may rename or change
them, and a page then converts or themes differently without any error. So they are used
only here, and only on a version they were read from (``SUPPORTED``); ``check_version()``
stops the build, in Chinese, on any other. ProperDocs, the MkDocs 1.6 fork, answers
``import mkdocs`` with its own modules; it is told apart by the module's own name and path.
When MkDocs is replaced, this module is the list of what to look at.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
import markdown
import mkdocs
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

#: the generators (the name ``pip`` knows) and the version prefix whose internals this module mirrors
SUPPORTED = {"mkdocs": "1.6.", "properdocs": "1.6."}

#: what a page's ``render`` sets, copied from a worker's page to the main process's one
RENDERED = ("content", "toc", "_title_from_render", "present_anchor_ids")


def generator() -> tuple[str, str]:
    """(distribution, version) of the package that answers ``import mkdocs``."""
    version = str(getattr(mkdocs, "__version__", "?"))
    where = Path(getattr(mkdocs, "__file__", None) or ".").parent
    name = "properdocs" if "properdocs" in (mkdocs.__name__, where.name) else "mkdocs"
    return name, version


def unsupported(name: str, version: str) -> str | None:
    """Why gongkai cannot build with ``name`` ``version``, or None when it can."""
    prefix = SUPPORTED.get(name)
    if prefix is not None and version.startswith(prefix):
        return None
    shown = "ProperDocs" if name == "properdocs" else "MkDocs"
    return (f"当前安装的是 {shown} {version}，gongkai 只支持 MkDocs 1.6.x 或 ProperDocs 1.6.x："
            "适配代码（hooks/mkdocs_fast/internals.py）用到 MkDocs 1.6 的内部函数，在其他版本上可能生成错误的页面。"
            "请按 pyproject.toml 重新安装（make install），或用 make properdocs 改用 ProperDocs 1.6")


def supported() -> bool:
    return unsupported(*generator()) is None


def check_version() -> None:
    """Stop the build on a MkDocs this module was not written for."""
    problem = unsupported(*generator())
    if problem is not None:
        raise PluginError(problem)


def set_current_page(config: MkDocsConfig, page: Page | None) -> None:
    """What MkDocs sets while it converts a page (its YAML ``!relative`` tag reads it)."""
    config._current_page = page


def populate_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Read and convert one page with its plugin events, as a build does."""
    mkdocs_build._populate_page(page, config, files)


def build_page(page: Page, config: MkDocsConfig, doc_files: Sequence[File], nav: Navigation,
               env: jinja2.Environment) -> None:
    """Theme and write one converted page, as a build does."""
    mkdocs_build._build_page(page, config, doc_files, nav, env)


def render_page(md: markdown.Markdown, page: Page, config: MkDocsConfig, files: Files) -> None:
    """``Page.render`` of MkDocs 1.6, on a converter the caller provides (and has reset)."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
    raw_html_ext._register(md)
    extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    extract_anchors_ext._register(md)
    relative_path_ext = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
    relative_path_ext._register(md)
    extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
    extract_title_ext._register(md)

    page.content = md.convert(page.markdown)
    toc_tokens: Any = getattr(md, "toc_tokens", [])
    page.toc = get_toc(toc_tokens)
    page._title_from_render = extract_title_ext.title
    page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
    if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_path_ext.links_to_anchors
