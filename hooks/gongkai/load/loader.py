"""Load and validate ``catalog/`` and the items under ``content/`` into a ``Site``.

Every file is read and every problem collected before anything fails, so an
editor fixes a whole batch in one pass. Nothing here writes a file.

``load_model`` is the entry point; the work is split by job into the modules beside this one:
``files`` (which files under content/ are items), ``catalog`` (catalog/), ``items`` (every
item file, reusing the preview's ``cache``), ``item_file`` (one file read and guarded),
``item_fields`` (what its front matter says about the catalog), ``rules`` (制度 pages),
``synonyms``, ``relations`` (references between items, empty columns) and ``site_url``.
Their public names are importable from here too.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.load.cache import ItemCache, cached_catalog
from gongkai.load.catalog import Catalog, load_catalog, load_wording
from gongkai.load.codeowners import codeowners_problems as check_codeowners
from gongkai.load.context import LoadContext, LoadOptions, Progress, today_in_china
from gongkai.load.files import NON_ITEM_DIRS, Repository, misnamed_message
from gongkai.load.items import PROGRESS_MIN, PROGRESS_STEP, load_items
from gongkai.load.relations import check_empty_columns, check_relations
from gongkai.load.rules import load_rules
from gongkai.load.site_url import check_site_url
from gongkai.load.synonyms import load_synonyms
from gongkai.model import Site
from gongkai.problems import Problems, ValidationFailed

__all__ = [
    "NON_ITEM_DIRS", "PROGRESS_MIN", "PROGRESS_STEP", "Catalog", "ItemCache", "LoadOptions", "Progress",
    "Repository", "check_codeowners", "check_empty_columns", "check_relations", "check_site_url", "load_catalog", "load_model",
    "load_wording", "misnamed_message", "today_in_china",
]


def load_model(root: Path, problems: Problems | None = None, options: LoadOptions | None = None) -> Site:
    """Catalog, items and rules pages, validated and linked; every problem goes to ``problems``.

    Raises ValidationFailed only when the catalog itself is unusable (nothing else can be
    checked without it); otherwise the caller decides when the collected errors stop the build.
    ``options``: see ``LoadOptions`` (the default is a publish build for today).
    """
    problems = problems if problems is not None else Problems()
    options = options if options is not None else LoadOptions()
    repo = Repository(Path(root))
    catalog = cached_catalog(repo, problems, options.cache, options.changed)
    if catalog is None:
        raise ValidationFailed(problems.sorted())
    build_date = options.build_date or today_in_china()
    items, sketches = load_items(LoadContext(repo, catalog, problems, build_date, options))
    rules = load_rules(repo.content, repo.rel, problems, build_date, options.preview)
    site = Site(catalog.settings, catalog.agencies, catalog.categories, catalog.topics, items,
                build_date, topic_aliases=catalog.topic_aliases, rules=rules,
                root=Path(root), synonyms=load_synonyms(repo, problems), preview=options.preview,
                unbuilt=tuple(s.body for _, s in sketches if s.body is not None))
    check_relations(site, problems, sketches)
    return site
