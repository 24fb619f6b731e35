"""The web editor at ``/admin/``: its page and the Decap CMS bundle, copied from the pinned npm
package (``cms/``, installed by ``make cms``) so the editor is served from the site's own host.
Its configuration (``admin/config.yml``) is the committed file ``gongkai cms-config`` writes into
the theme folder, which MkDocs publishes as it is. Only for a site whose catalog/site.yml has
``cms``."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from gongkai.deploy.fingerprint import hashed_name
from gongkai.load.cms_config import collection_names, config_path
from gongkai.model import Site
from gongkai.render.admin_preview import preview_script
from gongkai.render.pages import FileAt, Page, Renderer, StaticFile, Target

#: the pinned package, relative to the repository root
PACKAGE = "cms/node_modules/decap-cms"
BUNDLE = f"{PACKAGE}/dist/decap-cms.js"
#: what the browser loads: the bundle, the chunks it loads on demand (webpack, by number), the
#: WebAssembly modules they fetch, and the licences of everything bundled; not the source maps,
#: nor ``cms.js`` (the same editor built for another loader)
_SHIPPED = re.compile(r"decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt")

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>网页编辑器 · {title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
{body}
</body>
</html>
"""
_MISSING = ("<p>网页编辑器没有安装：构建前请在站点根目录运行 <code>make cms</code>"
            "（从 npm 安装 cms/package-lock.json 锁定的 Decap CMS），然后重新构建。</p>")


def _shipped(root: Path) -> Iterator[str]:
    """The package's published file names, sorted; none when it is not installed."""
    dist = root / PACKAGE / "dist"
    if not (root / BUNDLE).is_file():
        return
    yield from sorted(p.name for p in dist.iterdir() if _SHIPPED.fullmatch(p.name) and p.is_file())


def _licence(root: Path) -> bytes:
    """The package's name, version and licence (its npm package has no LICENSE file), then the
    notices of everything bundled into it."""
    meta = json.loads((root / PACKAGE / "package.json").read_text(encoding="utf-8"))
    repository = meta.get("repository")
    url = repository.get("url") if isinstance(repository, dict) else repository
    head = f"{meta.get('name')} {meta.get('version')}: {meta.get('license')} licence\n{url or ''}\n"
    notices = root / PACKAGE / "dist/decap-cms.js.LICENSE.txt"
    tail = "\nBundled third-party notices: decap-cms.js.LICENSE.txt\n" if notices.is_file() else ""
    return (head + tail).encode("utf-8")


def _preview(site: Site) -> tuple[str, bytes]:
    """The preview pane's script and its content-hashed name (it changes with the catalog)."""
    assert site.root is not None
    path = config_path(site.root)
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() and not path.is_symlink() else None
    except (OSError, UnicodeDecodeError):
        text = None  # check names the file; the preview then covers the agencies' collections
    script = preview_script(collection_names(site.agencies, text))
    return hashed_name("admin/preview.js", script), script


def contribute(site: Site, renderer: Renderer) -> Iterable[Page | StaticFile]:
    if site.settings.cms is None or site.root is None:
        return
    shipped = list(_shipped(site.root))
    body = _MISSING
    if shipped:
        name, script = _preview(site)
        # the preview's script first: it holds Decap back until the site's stylesheets are known
        body = f'<script src="{name.removeprefix("admin/")}"></script>\n<script src="decap-cms.js"></script>'
        yield StaticFile(name, content=script)
    yield StaticFile("admin/index.html", content=_PAGE.format(
        title=html.escape(site.settings.title), body=body).encode("utf-8"))
    if shipped:
        yield StaticFile("admin/LICENSE.txt", content=_licence(site.root))
    for name in shipped:
        yield StaticFile(f"admin/{name}", source=f"{PACKAGE}/dist/{name}")


def targets(site: Site) -> Iterable[Target]:
    if site.settings.cms is None or site.root is None:
        return
    yield FileAt("admin/index.html")
    shipped = list(_shipped(site.root))
    if shipped:
        yield FileAt(_preview(site)[0])
        yield FileAt("admin/LICENSE.txt")
    yield from (FileAt(f"admin/{name}") for name in shipped)
