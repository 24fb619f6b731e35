"""The whole validated site in one call: what every command and the MkDocs adapter start from.

The flow, in order (Pelican's split: the whole model first, output second):

1. ``load.loader.load_model``: catalog/, every item and rules page under content/, each file
   read strictly, validated and guarded (personal data, HTML, attachments);
2. ``annual.years.load_annual``: each year's registers, typed figures and narrative, computed
   from the model and cross-checked;
3. site-wide checks that need all of it (an empty column), and what the yearly audit would
   find about each item (``audit.edit_checks``: time limits, 公示期, 发文字号);
4. any error stops here with every problem found, each naming its file and line.

Rendering (``render.outputs.render_site``) only reads the ``Site`` this returns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gongkai.annual.years import load_agency_annual, load_annual
from gongkai.audit.edit_checks import check_items
from gongkai.guards.markup import BodyJudge
from gongkai.guards.theme import theme_problems
from gongkai.load.loader import ItemCache, LoadOptions, Progress, check_empty_columns, load_model
from gongkai.model import Site
from gongkai.problems import Problems, ValidationFailed
from gongkai.read.markdown_setup import markdown_setup


def load_site(root: Path, build_date: dt.date | None = None,
              problems: Problems | None = None, progress: Progress | None = None,
              judge_markup: bool = True, preview: bool = False, cache: ItemCache | None = None,
              changed: set[str] | None = None) -> Site:
    """The whole validated model; raises ValidationFailed on any error.

    ``judge_markup``: convert every author's Markdown with the site's extensions and judge
    the HTML (``guards.markup``). A generator that judges the HTML it converts itself (the
    MkDocs adapter) turns this off, so no page is converted twice.
    ``preview``: drafts and unreviewed items are part of the site (the preview server only).
    ``cache``/``changed``: item files read by an earlier call are reused unless changed
    (``load.cache.ItemCache``); the result is the same as without them.
    """
    problems = problems if problems is not None else Problems()
    judge = None
    if judge_markup:
        setup = markdown_setup(Path(root))
        for name in setup.refused:  # MkDocs loads it in the build, where the adapter judges its HTML
            problems.add("mkdocs.yml", None, "markdown_extensions",
                         f"“{name}”不是 Python-Markdown、PyMdown 或 gongkai 的扩展：gongkai check 不加载它，"
                         "它生成的网页内容未经检查（改动 mkdocs.yml 须经网站发布人批准）", "warning")
        judge = BodyJudge(setup.extensions, setup.configs)
    site = load_model(root, problems, LoadOptions(build_date, progress, judge, preview, cache, changed))
    site.annual = load_annual(Path(root), site, problems, judge)
    site.agency_annual = load_agency_annual(Path(root), site, problems, judge)
    if not problems.errors:  # an invalid item would make its column look empty: say that first
        check_empty_columns(site, problems)
    check_items(site, problems, site.settings.strict_checks)
    problems.extend(theme_problems(Path(root), build_date))
    if problems.errors:
        raise ValidationFailed(problems.sorted(), site)
    return site
