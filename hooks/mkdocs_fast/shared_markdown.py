"""One Markdown converter for the whole build instead of a new one per page.

MkDocs' ``Page.render`` builds a fresh ``markdown.Markdown`` with every
extension for each page; on a site of thousands of items that set-up was
almost half of all Markdown time (bench/README.md). Python-Markdown is made to
be reused: ``reset()`` between documents clears what extensions keep. Here
each page is converted exactly as ``Page.render`` in MkDocs 1.6 does it, with
MkDocs' own per-page processors (anchors, relative links, title), but on one
shared converter.

Used only with the MkDocs version it mirrors; otherwise pages render as usual.
``GONGKAI_SHARED_MARKDOWN=0`` turns it off (the tests compare).
"""

from __future__ import annotations

import logging
import os
import types

import markdown
import mkdocs
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.toc import get_toc

_PARTS = ("_RawHTMLPreprocessor", "_ExtractAnchorsTreeprocessor", "_RelativePathTreeprocessor",
          "_ExtractTitleTreeprocessor")


def enabled() -> bool:
    return (os.environ.get("GONGKAI_SHARED_MARKDOWN", "1").strip() != "0"
            and mkdocs.__version__.startswith("1.6.")
            and all(hasattr(mkdocs_pages, name) for name in _PARTS))


class SharedMarkdown:
    def __init__(self, config):
        self._md: markdown.Markdown | None = None
        self._config = config

    def attach(self, page) -> None:
        """Make ``page.render`` use the shared converter."""
        page.render = types.MethodType(self._render, page)

    def _render(self, page, config, files) -> None:
        # mirrors mkdocs.structure.pages.Page.render (MkDocs 1.6)
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
        md = self._md.reset()
        raw_html_ext = mkdocs_pages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = mkdocs_pages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative_path_ext.links_to_anchors
