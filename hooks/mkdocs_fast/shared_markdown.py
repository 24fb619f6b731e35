"""One Markdown converter for the whole build instead of a new one per page.

MkDocs' ``Page.render`` builds a fresh ``markdown.Markdown`` with every
extension for each page; on a site of thousands of items that set-up was
almost half of all Markdown time (bench/README.md). Python-Markdown is made to
be reused: ``reset()`` between documents clears what extensions keep. Here
each page is converted exactly as ``Page.render`` in MkDocs 1.6 does it, with
MkDocs' own per-page processors (anchors, relative links, title), but on one
shared converter.

Used only with the MkDocs version it mirrors (``internals``); otherwise pages render as usual.
``GONGKAI_SHARED_MARKDOWN=0`` turns it off (the tests compare).
"""

from __future__ import annotations

import os
import types

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from mkdocs_fast import internals


def enabled() -> bool:
    return os.environ.get("GONGKAI_SHARED_MARKDOWN", "1").strip() != "0" and internals.supported()


class SharedMarkdown:
    def __init__(self, config: MkDocsConfig):
        self._md: markdown.Markdown | None = None
        self._config = config

    def attach(self, page: Page) -> None:
        """Make ``page.render`` use the shared converter."""
        # a bound method replaces the class's own for this page only
        page.render = types.MethodType(self._render, page)  # type: ignore[method-assign]

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
        internals.render_page(self._md.reset(), page, config, files)
