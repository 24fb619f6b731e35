"""Which Markdown extensions the site's pages are converted with, read from mkdocs.yml as data.

``gongkai check`` must judge the HTML the build will publish without importing MkDocs, so it
converts bodies with python-markdown itself, with the same extensions: MkDocs' built-in ones
(always on) followed by the ``markdown_extensions`` list of ``mkdocs.yml``. Only that list is
read; MkDocs-specific tags (``!ENV``, ``!!python/name``) are read as nothing.

The review job reads a pull request's mkdocs.yml with gongkai from the protected branch, and
python-markdown imports an extension by the name written there and calls it with the written
settings (``subprocess:run`` would run a command). So only known extension modules are loaded
here (``refused`` names the rest); MkDocs itself loads them only after a publisher merged them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: what MkDocs 1.6 always enables before the configured list (``config_options.MarkdownExtensions``)
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")
CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml")


#: without a readable config, judge as the sample site converts (a superset is safe: it can
#: only make more of the text into HTML to judge)
DEFAULT_EXTENSIONS = MKDOCS_BUILTINS + ("attr_list", "admonition", "md_in_html",
                                        "gongkai.render.markdown_tables")


#: python-markdown's own extensions, by their short names
MARKDOWN_BUILTINS = ("abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
                     "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br",
                     "sane_lists", "smarty", "tables", "toc", "wikilinks")
#: gongkai's own extensions (any other gongkai module may act when imported)
GONGKAI_EXTENSIONS = ("gongkai.render.markdown_tables",)
_KNOWN_MODULE = re.compile(r"(markdown\.extensions|pymdownx)\.[a-z_][a-z0-9_]*")


def known_extension(name: str) -> bool:
    """An extension module whose import and call only configure Markdown."""
    return name in MARKDOWN_BUILTINS or name in GONGKAI_EXTENSIONS or bool(_KNOWN_MODULE.fullmatch(name))


@dataclass(frozen=True)
class MarkdownSetup:
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: names in mkdocs.yml that are not loaded (``known_extension``)
    refused: tuple[str, ...] = ()


class _ConfigLoader(yaml.SafeLoader):
    pass


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def markdown_setup(root: Path) -> MarkdownSetup:
    """The extensions of the site at ``root``; ``DEFAULT_EXTENSIONS`` when it has no readable config."""
    for name in CONFIG_FILES:
        path = Path(root) / name
        if path.is_file():
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                return MarkdownSetup()  # MkDocs itself reports a broken config
            return _from_list(data.get("markdown_extensions") if isinstance(data, dict) else None)
    return MarkdownSetup()


def _from_list(entries: Any) -> MarkdownSetup:
    names = list(MKDOCS_BUILTINS)
    configs: dict[str, dict[str, Any]] = {}
    refused: list[str] = []
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, str):
            name, config = entry, None
        elif isinstance(entry, dict) and len(entry) == 1:
            name, config = next(iter(entry.items()))
        else:
            continue
        if not isinstance(name, str) or not known_extension(name):
            refused.append(str(name))
            continue
        if name not in names:
            names.append(name)
        if isinstance(config, dict):
            configs[name] = config
    return MarkdownSetup(tuple(names), configs, tuple(refused))
