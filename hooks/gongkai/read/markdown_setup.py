"""Which Markdown extensions the site's pages are converted with, read from mkdocs.yml as data.

``gongkai check`` must judge the HTML the build will publish without importing MkDocs, so it
converts bodies with python-markdown itself, with the same extensions: MkDocs' built-in ones
(always on) followed by the ``markdown_extensions`` list of ``mkdocs.yml``. Only that list is
read; MkDocs-specific tags (``!ENV``, ``!!python/name``) are read as nothing.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class MarkdownSetup:
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    configs: dict[str, dict[str, Any]] = field(default_factory=dict)


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
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, str):
            name, config = entry, None
        elif isinstance(entry, dict) and len(entry) == 1:
            name, config = next(iter(entry.items()))
        else:
            continue
        if name not in names:
            names.append(name)
        if isinstance(config, dict):
            configs[name] = config
    return MarkdownSetup(tuple(names), configs)
