"""Keep everything a browser loads on the site's own host (used by ``mkdocs_gongkai.py``).

Material's bundle loads code from another host in three cases: the ResizeObserver polyfill
from unpkg.com when the browser lacks ResizeObserver (old iOS Safari, old WebViews),
Mermaid from unpkg.com when a page has a diagram, and repository facts from api.github.com
when ``repo_url`` is set (GitHub's API, or the GitLab host named there). The polyfill is vendored (``overrides/assets/vendor/``, MIT, with
its licence) and the bundle is pointed at it; the other two addresses are pointed at a path
of this site that does not exist, so those features stay off instead of calling out (no
page may use Mermaid: the body allowlist has no such class; no gongkai site sets repo_url).

Theme files no page loads (source maps, Material's own search worker and its lunr
languages: gongkai has its own search) are not copied, so nothing in the output even names
another host outside links, comments and XML namespaces (tests/test_offline.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

POLYFILL = "assets/vendor/resize-observer-polyfill/ResizeObserver.js"
#: theme files nothing loads (prefixes and suffixes of their paths in the site)
UNUSED_PREFIXES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
UNUSED_SUFFIXES = (".map",)
_FOREIGN = {
    '"https://unpkg.com/resize-observer-polyfill"': "{polyfill}",
    '"https://unpkg.com/mermaid@11/dist/mermaid.min.js"': "{off}mermaid.js",
    "`https://api.github.com/": "`{off}",
    "`https://${e}/api/v4/": "`{off}",  # GitLab facts: the host comes from repo_url
}


def unused(src_uri: str, from_theme: bool) -> bool:
    return from_theme and (src_uri.startswith(UNUSED_PREFIXES) or src_uri.endswith(UNUSED_SUFFIXES))


def rewrite_bundle(site_dir: str, site_url: str) -> list[str]:
    """Point Material's bundle at this site; returns the bundles changed."""
    base = urlsplit(site_url).path.rstrip("/") + "/"
    values = {"polyfill": f'"{base}{POLYFILL}"', "off": f"{base}assets/not-bundled/"}
    changed = []
    for bundle in sorted(Path(site_dir, "assets", "javascripts").glob("bundle.*.js")):
        text = bundle.read_text(encoding="utf-8")
        new = text
        for old, template in _FOREIGN.items():
            replacement = template.format(**values)
            if old.startswith('"') and not replacement.startswith('"'):
                replacement = f'"{replacement}"'
            new = new.replace(old, replacement)
        if new != text:
            bundle.write_text(new, encoding="utf-8")
            changed.append(bundle.name)
    return changed
