"""The web editor's (Decap CMS) configuration, generated from the front-matter schema and the
catalog so the forms cannot drift from what ``check`` accepts: one collection per agency, each
item a folder of its own (``<year>/<slug>/index.md``, uploads beside it), Chinese labels and
hints from the schema, the catalog's choices as selects. ``gongkai cms-config`` writes it;
``check`` reports a committed copy that differs (``cms_config_problems``)."""

from __future__ import annotations

import copy
import re
import types
import typing
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from gongkai import vocab
from gongkai.guards.theme import theme_folder
from gongkai.load.files import Repository
from gongkai.model import Category
from gongkai.problems import Problem
from gongkai.schema import front_matter as schema
from gongkai.schema.catalog import CMS_BACKENDS, Agency, CmsSettings, SiteSettings

COMMAND = "gongkai cms-config"
#: where the configuration lives inside the theme folder, which MkDocs publishes verbatim
IN_THEME = "admin/config.yml"
_HEADER = ("# 网页编辑器（Decap CMS）的配置：由 gongkai cms-config 根据字段定义（schema）和 catalog/ 生成，\n"
           "# 请勿手工修改；catalog/ 改动后重新运行 gongkai cms-config 并提交。\n")
_DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
#: fields an item's form does not show: set by import only
_IMPORT_ONLY = ("old_id", "imported")


def config_path(root: Path) -> Path:
    return (theme_folder(root) or root / "overrides") / IN_THEME


def _validators(info: FieldInfo) -> list[Any]:
    """The BeforeValidator functions of a field, wherever pydantic keeps them."""
    found = [m.func for m in info.metadata if isinstance(m, BeforeValidator)]
    for arg in typing.get_args(info.annotation):
        if typing.get_origin(arg) is typing.Annotated:
            found += [m.func for m in arg.__metadata__ if isinstance(m, BeforeValidator)]
    return found


def _model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model(arg)
            if found[0] is not None:
                return found
        return None, False
    if origin is list:
        return _model(typing.get_args(annotation)[0])[0], True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _options(values: Sequence[str]) -> list[Any]:
    return list(values)


class _Choices:
    """What the catalog offers for the select and relation fields of one agency's form."""

    def __init__(self, agency: Agency, categories: Sequence[Category], topics: dict[str, tuple[str, ...]],
                 agencies: Sequence[Agency] = ()):
        self.agency = agency
        self.agencies = agencies or (agency,)
        self.categories = [{"label": f"{c.name}（{c.code}）", "value": c.code}
                           for root in categories for c in root.walk()]
        self.topics = [f"{top}\\{child}" for top, children in topics.items() for child in children]


def _widget(name: str, info: FieldInfo, choices: _Choices) -> dict[str, Any]:
    """The widget settings of one field (without name, label, hint, required)."""
    return _named_widget(name, choices) or _typed_widget(info)


def _named_widget(name: str, choices: _Choices) -> dict[str, Any] | None:
    """The fields whose choices come from the catalog, or that need a widget of their own."""
    if name == "agency":
        return {"widget": "hidden", "default": choices.agency.name}
    if name == "category":
        return {"widget": "select", "options": choices.categories}
    if name == "topic":
        return {"widget": "select", "options": choices.topics}
    if name in ("interprets", "superseded_by"):
        return _relation_widget(choices.agencies)
    if name == "file":
        return {"widget": "file", "media_library": {"config": {"multiple": False}}}
    if name == "summary":
        return {"widget": "text"}
    return None


def _typed_widget(info: FieldInfo) -> dict[str, Any]:
    """The widget for a field's type: date, yes/no, list, a fixed choice, text."""
    for func in _validators(info):
        if func is schema.parse_date:
            return dict(_DATE)
        if func is schema.parse_bool:
            out: dict[str, Any] = {"widget": "boolean"}
            if isinstance(info.default, bool):
                out["default"] = info.default
            return out
        if func is schema.parse_channels:
            return {"widget": "select", "multiple": True, "options": _options(vocab.CHANNELS),
                    "default": info.get_default(call_default_factory=True)}
        if func is schema.parse_text_list:
            return {"widget": "list"}
        options = getattr(func, "options", None)
        if options is not None:
            out = {"widget": "select", "options": _options(options)}
            extra = info.json_schema_extra
            default = extra.get("form_default") if isinstance(extra, dict) else None
            if default is None and isinstance(info.default, str):
                default = info.default
            if default is not None:
                out["default"] = default
            return out
    return {"widget": "string"}


def _fields(model: type[BaseModel], choices: _Choices, skip: Sequence[str] = (),
            within_optional: bool = False) -> list[dict[str, Any]]:
    """The form fields of ``model``. Inside an optional block every field is optional to Decap:
    it validates a block's inner fields even when the block is left out, so a required one would
    make every item unsavable; ``check`` still names an inner field a written block lacks."""
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        extra = info.json_schema_extra
        assert isinstance(extra, dict)  # every front-matter field has its label (schema.field)
        entry: dict[str, Any] = {"name": str(extra["zh"]), "label": str(extra["zh"])}
        if info.description:
            entry["hint"] = info.description
        if within_optional or not info.is_required():
            entry["required"] = False
        inner, is_list = _model(info.annotation)
        if inner is not None:
            entry.update({"widget": "list" if is_list else "object", "fields": _fields(
                inner, choices, within_optional=not is_list and not info.is_required())})
            if is_list:
                entry["summary"] = "{{fields.文件}}"
            else:
                entry["collapsed"] = True
        else:
            entry.update(_widget(name, info, choices))
        if info.default is not PydanticUndefined and info.default is not None and "default" not in entry \
                and entry.get("widget") not in ("list", "object", "hidden"):
            entry["default"] = info.default
        out.append(entry)
    return out


#: an agency's list is split into one collection per year from this many items on: Decap
#: reads and lists a folder collection whole, with no paging on any backend. bench/cms_list.py:
#: 1,806 items took 2.8 CPU s (7 s on a busy machine) to list, a year of them (179) 0.7 s;
#: about 0.45 s plus 1.3 ms an item, so a list under 500 stays near 1 CPU s, and a small
#: agency keeps the one list it is used to
PER_YEAR_FROM = 500
#: the collection the relation fields search: every item of every agency, hidden from the menu
ALL_ITEMS = "all-items"
#: per agency slug, the years that get a collection of their own
YearCollections = Mapping[str, Sequence[int]]
_YEAR_FOLDER = re.compile(r"(?:19|20)\d\d")


def years_to_split(root: Path, agencies: Sequence[Agency], this_year: int) -> dict[str, tuple[int, ...]]:
    """The year folders (``content/<slug>/<year>/``) of each agency holding at least
    ``PER_YEAR_FROM`` items, and ``this_year`` (where its new items go), newest first; an
    agency with fewer items has none."""
    counts: dict[str, Counter[int]] = {a.slug: Counter() for a in agencies}
    for _, shown in Repository(root).markdown_files()[0]:
        parts = shown.split("/")
        if len(parts) > 3 and parts[1] in counts and _YEAR_FOLDER.fullmatch(parts[2]):
            counts[parts[1]][int(parts[2])] += 1
    return {slug: tuple(sorted({*by_year, this_year}, reverse=True)) for slug, by_year in counts.items()
            if sum(by_year.values()) >= PER_YEAR_FROM}


def years_in(text: str | None) -> dict[str, tuple[int, ...]]:
    """The per-year collections a written configuration has. ``check`` compares against these
    rather than the folders' counts: an item saved in a new year must not make the editor's own
    pull request fail; ``gongkai cms-config`` adds the year."""
    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError:
        return {}
    collections = data.get("collections") if isinstance(data, dict) else None
    found: dict[str, list[int]] = {}
    for collection in collections if isinstance(collections, list) else ():
        folder = collection.get("folder") if isinstance(collection, dict) else None
        parts = folder.split("/") if isinstance(folder, str) else []
        if len(parts) == 3 and parts[0] == "content" and _YEAR_FOLDER.fullmatch(parts[2]) \
                and collection.get("name") == f"{parts[1]}-{parts[2]}":
            found.setdefault(parts[1], []).append(int(parts[2]))
    return {slug: tuple(years) for slug, years in found.items()}


def _year_collections(agency_collection: dict[str, Any], years: Sequence[int]) -> list[dict[str, Any]]:
    """A large agency's collections, one per year folder, newest first, in place of its one
    collection: Decap reads and lists a folder collection whole (no paging on any backend), and
    a 1,806-item list took 7 s to open (bench/cms_list.py). New items are created in the
    newest year's folder (``{{slug}}/index`` inside it), so a year's collection comes with the
    ``gongkai cms-config`` run at the start of that year."""
    out = []
    for year in years:
        out.append({
            **copy.deepcopy(agency_collection),  # no YAML anchors: a file people may read
            "name": f"{agency_collection['name']}-{year}",
            "label": f"{agency_collection['label']} · {year}年",
            "folder": f"{agency_collection['folder']}/{year}",
            "path": "{{slug}}/index",
            "create": year == years[0],
        })
    return out


def _relation_widget(agencies: Sequence[Agency]) -> dict[str, Any]:
    """Picks an item by its title among every agency's items and stores its 索引号. Decap's
    relation widget searches one collection, so it searches the hidden ``ALL_ITEMS`` one; its
    ``filters`` keep out what is not an item (annual reports, pages: no catalog agency)."""
    return {"widget": "relation", "collection": ALL_ITEMS, "value_field": "索引号",
            "search_fields": ["标题", "索引号", "发文字号"], "display_fields": ["{{标题}}（{{索引号}}）"],
            "filters": [{"field": "发布机构", "values": [v for a in agencies for v in (a.name, a.code)]}]}


def _all_items_collection() -> dict[str, Any]:
    """Every item under content/ (flat files three deep, item folders four), listed for the
    relation fields only: hidden from the menu, nothing created or edited through it."""
    return {
        "name": ALL_ITEMS,
        "label": "全部条目",
        "folder": "content",
        "path": "{{发布机构}}/{{year}}/{{slug}}/index",
        "hide": True,
        "create": False,
        "extension": "md",
        "format": "frontmatter",
        "identifier_field": "标题",
        "fields": [{"name": schema.LABELS[name], "label": schema.LABELS[name], "widget": "string"}
                   for name in ("title", "id", "doc_number", "agency")],
    }


def _backend(cms: CmsSettings) -> dict[str, Any]:
    out: dict[str, Any] = {"name": cms.backend, "repo": cms.repo, "branch": cms.branch}
    if cms.base_url is not None:
        base = cms.base_url.rstrip("/")
        out["base_url"] = base
        out["api_root"] = base + ("/api/v4" if cms.backend == "gitlab" else "/api/v1"
                                  if cms.backend in ("gitea", "forgejo") else "/api/v3")
    if cms.app_id is not None:
        out["app_id"] = cms.app_id
        if cms.backend == "gitlab":
            out["auth_type"] = "pkce"
    return out


def review_in_form(cms: CmsSettings) -> bool:
    """Whether the form has the 审查 block. No Decap backend shows a field to some users only
    (Decap has no roles), so the block is there only where a save is a pull request that the
    agency's reviewer must approve (``review/approvals``) before it is published; where the
    backend commits straight to the published branch (gitea), an editor could record a review
    nobody made, so the reviewer writes it through the forge instead."""
    return CMS_BACKENDS[cms.backend]


def cms_config(settings: SiteSettings, agencies: Sequence[Agency], categories: Sequence[Category],
               topics: dict[str, tuple[str, ...]], years: YearCollections | None = None) -> dict[str, Any]:
    """The configuration as data; ``settings.cms`` must be set. ``years``: the years that get
    a collection of their own, per agency slug (``years_to_split``)."""
    cms = settings.cms
    assert cms is not None
    config: dict[str, Any] = {"backend": _backend(cms)}
    if CMS_BACKENDS[cms.backend]:
        config["publish_mode"] = "editorial_workflow"
    if cms.local_backend is not None:
        # Decap uses the proxy only when /admin/ itself is opened from this machine
        config["local_backend"] = {"url": f"http://127.0.0.1:{cms.local_backend}/api/v1"}
    config.update({
        "locale": "zh_Hans",
        "site_url": "../",
        "display_url": "../",
        # each collection keeps uploads beside the item; this is only Decap's required default
        "media_folder": "content/.uploads",
        "collections": [],
    })
    for agency in agencies:
        choices = _Choices(agency, categories, topics, agencies)
        skip = _IMPORT_ONLY if review_in_form(cms) else (*_IMPORT_ONLY, "review")
        fields = _fields(schema.FrontMatter, choices, skip=skip)
        fields.append({"name": "body", "label": "正文", "widget": "markdown"})
        config["collections"].append({
            "name": agency.slug,
            "label": agency.name,
            "label_singular": "条目",
            "folder": f"content/{agency.slug}",
            "path": "{{year}}/{{slug}}/index",
            "slug": "{{year}}{{month}}{{day}}{{hour}}{{minute}}{{second}}",
            "media_folder": "",
            "public_folder": "",
            "create": True,
            "extension": "md",
            "format": "frontmatter",
            "identifier_field": "标题",
            "summary": "{{索引号}} {{标题}}",
            "sortable_fields": ["发布日期", "标题", "索引号"],
            "fields": fields,
        })
        split = (years or {}).get(agency.slug, ())
        if split:
            config["collections"][-1:] = _year_collections(config["collections"][-1], split)
    config["collections"].append(_all_items_collection())
    config["collections"].append(_annual_collection())
    return config


def _annual_collection() -> dict[str, Any]:
    """The site's yearly report text (content/annual/<year>.md: 标题, 发布日期 and the body with
    its {{ 统计.… }} placeholders). Edited as raw Markdown, so the rich-text editor cannot
    rewrite the placeholders or the tables; a new year's file is not made here, since Decap can
    name a new file only by the day it is written, not by the year it reports."""
    return {
        "name": "annual",
        "label": "政府信息公开工作年度报告",
        "label_singular": "年度报告",
        "folder": "content/annual",
        "create": False,
        "extension": "md",
        "format": "frontmatter",
        "identifier_field": "标题",
        "summary": "{{标题}}",
        "fields": [
            {"name": "标题", "label": "标题", "widget": "string"},
            {"name": "发布日期", "label": "发布日期", "hint": "年报公布的日期，在报告年度的次年", **_DATE},
            {"name": "body", "label": "正文", "widget": "markdown", "modes": ["raw"],
             "hint": "{{ 统计.主动公开 }} 这样的写法由网站按当年数据填入，请勿改动"},
        ],
    }


def cms_config_text(settings: SiteSettings, agencies: Sequence[Agency], categories: Sequence[Category],
                    topics: dict[str, tuple[str, ...]], years: YearCollections | None = None) -> str:
    data = cms_config(settings, agencies, categories, topics, years)
    return _HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def cms_config_problems(root: Path, settings: SiteSettings, agencies: Sequence[Agency],
                        categories: Sequence[Category], topics: dict[str, tuple[str, ...]]) -> list[Problem]:
    """A problem when the site has a web editor (``cms`` in catalog/site.yml) and its committed
    configuration is missing or differs from what the schema and catalog say."""
    if settings.cms is None:
        return []
    path = config_path(root)
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    try:
        current = path.read_text(encoding="utf-8") if path.is_file() and not path.is_symlink() else None
    except (OSError, UnicodeDecodeError):
        current = None
    wanted = cms_config_text(settings, agencies, categories, topics, years_in(current))
    if current == wanted:
        return []
    state = "缺失" if current is None else "与字段定义或 catalog/ 不一致（已过期）"
    return [Problem(shown, None, None, f"网页编辑器的配置 {shown} {state}：请运行 {COMMAND} 重新生成并提交")]


def collection_names(agencies: Sequence[Agency], text: str | None) -> list[str]:
    """The collections a written configuration has whose items are edited (every one but
    ``ALL_ITEMS``): the agencies' and their years'."""
    years = years_in(text)
    return [name for a in agencies for name in ([f"{a.slug}-{y}" for y in years[a.slug]] if years.get(a.slug)
                                                 else [a.slug])]
