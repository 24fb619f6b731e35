"""Pages' converted HTML kept across builds in the build cache (``gongkai.render.build_cache``).

Used only when a cache folder is given (``GONGKAI_CACHE``), only by ``mkdocs build``. A page's
conversion is found by a digest of everything it depends on: the page's Markdown exactly as
MkDocs hands it to ``render`` (gongkai writes every item, catalog and setting a page shows into
that text, so an edit reaches exactly the pages whose text changed), the page's own path and
URL, the Markdown settings of ``mkdocs.yml``, how verbose the log is, and the code version.

What a page's links resolve to depends on other files too (a link to a page that is gone
warns). So a conversion records every file it looked up and what it found (its URL, whether it
is excluded), and a cached conversion is used only if each of those looks the same today; it
also records what it logged, which a hit logs again, so a warning still fails ``--strict``.

The HTML of a hit goes through ``on_page_content`` like a fresh one: judged by the guards, with
only a verdict on the very same bytes reused. Hook: ``attach(page)`` wraps the page's render,
whichever converter (shared, forked) calls it.
"""

from __future__ import annotations

import json
import logging
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from gongkai.guards import markup
from gongkai.render import build_cache
from gongkai.render.build_cache import BuildCache, Verdicts

KIND = "page"
_PAGES_LOG = "mkdocs.structure.pages"


def from_env(config: MkDocsConfig, code: Iterable[Path] = ()) -> PageCache | None:
    """The cache ``GONGKAI_CACHE`` names, or None (a full clean build). ``code``: files and folders
    whose change must invalidate the cache besides gongkai's and this package's (the adapter)."""
    cache = build_cache.from_env([Path(__file__).resolve().parent, *code])
    if cache is None:
        return None
    _refuse_overlap(cache.root, config)
    return PageCache(cache, config)


def _refuse_overlap(root: Path, config: MkDocsConfig) -> None:
    project = Path(config.config_file_path).parent.resolve()
    for folder in (project / "content", project / "catalog", Path(config.docs_dir), Path(config.site_dir)):
        folder = folder.resolve()
        if root == folder or root.is_relative_to(folder) or folder.is_relative_to(root):
            raise PluginError(
                f"构建缓存目录 {build_cache.ENV}={root} 与 {folder} 重叠：缓存不能放在 content/、catalog/ "
                "或输出目录（site_dir）中，也不能包含它们。请另选一个单独的目录（如 .cache/gongkai）")


class _Lookups:
    """``Files`` as a page's conversion sees it, noting every path it looks up."""

    def __init__(self, files: Files):
        self._files = files
        self.seen: dict[str, list | None] = {}

    def get_file_from_path(self, path: str) -> File | None:
        found = self._files.get_file_from_path(path)
        self.seen[path] = _target(found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def _target(file: File | None) -> list | None:
    # what a link's output depends on: the target's URL, and whether it is excluded (a warning)
    return None if file is None else [file.url, file.inclusion.is_excluded()]


class _Said(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[list] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append([record.name, record.levelno, record.getMessage()])


class PageCache:
    def __init__(self, cache: BuildCache, config: MkDocsConfig):
        self.cache = cache
        self._setting = build_cache.digest(json.dumps(
            [config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"],
             _plain(config["validation"])], sort_keys=True, default=_plain, ensure_ascii=False))

    def verdicts(self, today: Any) -> Verdicts:
        return Verdicts(self.cache, today)

    def attach(self, page: Page) -> None:
        """Make ``page.render`` look in the cache first (and fill it on a miss)."""
        convert = page.render
        cache = self

        def render(self: Page, config: MkDocsConfig, files: Files) -> None:
            cache.render(self, config, files, convert)
        page.render = types.MethodType(render, page)  # type: ignore[method-assign]

    def _key(self, page: Page) -> str:
        level = logging.getLogger(_PAGES_LOG).getEffectiveLevel()
        return build_cache.digest(KIND, self.cache.version, self._setting, page.file.src_uri, page.file.url,
                                  str(page.file.inclusion.is_excluded()), str(level), page.markdown or "")

    def render(self, page: Page, config: MkDocsConfig, files: Files,
               convert: Callable[[MkDocsConfig, Files], None]) -> None:
        key = self._key(page)
        found = self.cache.get_json(KIND, key, count=False)
        entry = _valid(found)
        if found is not None and entry is None:
            self.cache.stats.reject()
        # a linked file that is gone, moved or excluded since: converted again (it may warn now)
        hit = entry is not None and all(_target(files.get_file_from_path(uri)) == seen
                                        for uri, seen in entry["lookups"].items())
        self.cache.stats.count(KIND, hit)
        if entry is not None and hit:
            _apply(page, entry, files)
            return
        lookups, said = _Lookups(files), _Said()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(said)
        try:
            convert(config, lookups)  # type: ignore[arg-type]  # Files as its conversion sees it
        finally:
            logger.removeHandler(said)
        links = vars(page).get("links_to_anchors")
        self.cache.put_json(KIND, key, {
            "content": page.content, "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()), "toc": _toc_out(page.toc.items),
            "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            "lookups": lookups.seen, "log": said.records})


def _apply(page: Page, entry: dict, files: Files) -> None:
    for name, level, message in entry["log"]:
        logger = logging.getLogger(name)
        if logger.isEnabledFor(level):
            logger.log(level, message)
    page.content = entry["content"]
    page._title_from_render = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    page.toc = get_toc(_toc_in(entry["toc"]))
    if entry["links"] is not None:
        page.links_to_anchors = {target: anchors for uri, anchors in entry["links"].items()
                                 if (target := files.get_file_from_path(uri)) is not None}


def _toc_out(items: list[AnchorLink]) -> list:
    return [[a.title, a.id, a.level, _toc_out(a.children)] for a in items]


def _toc_in(items: list) -> list:
    return [{"name": t, "id": i, "level": n, "children": _toc_in(c)} for t, i, n, c in items]


def _plain(value: Any) -> Any:
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


# --- an entry from the folder is hostile until its shape is checked ----------------------------

def _str_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _toc_ok(items: Any, depth: int = 0) -> bool:
    return depth < 10 and isinstance(items, list) and all(
        isinstance(t, list) and len(t) == 4 and isinstance(t[0], str) and isinstance(t[1], str)
        and type(t[2]) is int and _toc_ok(t[3], depth + 1) for t in items)


def _valid(entry: Any) -> dict | None:
    """``entry`` if every field has the shape ``render`` writes and says only what its HTML says
    (``_consistent``), else None."""
    if not isinstance(entry, dict):
        return None
    ok = (isinstance(entry.get("content"), str) and _str_or_none(entry.get("title"))
          and isinstance(entry.get("anchors"), list) and all(isinstance(a, str) for a in entry["anchors"])
          and _toc_ok(entry.get("toc"))
          and isinstance(entry.get("lookups"), dict)
          and all(v is None or (isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
                                and isinstance(v[1], bool)) for v in entry["lookups"].values())
          and (entry.get("links") is None or (isinstance(entry["links"], dict) and all(
              isinstance(v, dict) and all(isinstance(a, str) and isinstance(u, str) for a, u in v.items())
              for v in entry["links"].values())))
          and isinstance(entry.get("log"), list)
          and all(isinstance(r, list) and len(r) == 3 and isinstance(r[0], str) and type(r[1]) is int
                  and isinstance(r[2], str) for r in entry["log"]))
    return entry if ok and _consistent(entry) else None


def _consistent(entry: dict) -> bool:
    """The content is judged in ``on_page_content`` like any page; the title and the table of
    contents, which the theme shows too, are not. Fresh, they come from that content's headings,
    so an entry is trusted only if each heading's id is in its HTML and no title is text the
    sanitizer would change (a forged entry could otherwise put markup in the sidebar)."""
    content = entry["content"]
    titles: list[str] = [entry["title"]] if entry["title"] else []
    stack = list(entry["toc"])
    while stack:
        title, anchor, _, children = stack.pop()
        if f'id="{anchor}"' not in content or '"' in anchor:
            return False
        titles.append(title)
        stack.extend(children)
    return not any(markup.judge(title) for title in titles)

