"""Every script and stylesheet the site publishes is one a page loads.

A file nothing loads still costs every deployment its bytes and every reviewer a question
(what is this for?); lunr.min.js (29 KB) was published beside the search scripts for years
though only tests/js/run_queries.js reads it, from tests/js/vendor/.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from conftest import SUB_PATH  # the sample's site_url path: 404.html links absolutely under it

_ATTRIBUTE = re.compile(r'<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]+)"', re.I)


def _site_path(site: Path, page: Path, reference: str) -> str | None:
    """The site-relative path a page's src/href points at, None outside the site."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc:
        return None
    url = urljoin(SUB_PATH + page.relative_to(site).as_posix(), parts.path)
    return unquote(url)[len(SUB_PATH):] if url.startswith(SUB_PATH) else None


def _assets(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".js", ".css")}


def _loaded_by_pages(site: Path) -> set[str]:
    loaded: set[str] = set()
    for page in site.rglob("*.html"):
        for reference in _ATTRIBUTE.findall(page.read_text(encoding="utf-8")):
            path = _site_path(site, page, reference)
            if path is not None:
                loaded.add(path)
    return loaded


def test_lunr_js_is_not_published(built_site):
    assert not list(built_site.rglob("lunr*.js")), "lunr.js is only the tests' reference scorer"
    assert not (built_site / "assets/search/LICENSE.lunr").exists()
    # the scorer stays where tests/js/run_queries.js reads it
    root = Path(__file__).parent / "js" / "vendor"
    assert "lunr - http://lunrjs.com" in (root / "lunr.min.js").read_text(encoding="utf-8")[:200]
    assert (root / "LICENSE.lunr").is_file()


def test_every_published_script_and_stylesheet_is_loaded(built_site):
    assets = _assets(built_site)
    # pages load gongkai's own assets by content-hashed copies (gongkai.deploy.fingerprint);
    # the original beside a loaded copy is the same file under its plain name
    by_pages = {re.sub(r"\.[0-9a-f]{8}(\.[a-z]+)$", r"\1", p) for p in _loaded_by_pages(built_site)}
    # the search page, the theme and the accessibility bar are all in use on the sample
    assert {"assets/search/engine.js", "assets/gongkai.css", "assets/gongkai-a11y.js"} <= by_pages
    loaded = assets & (by_pages | _loaded_by_pages(built_site))
    # a file a loaded script fetches by its path (Material's bundle loads the vendored
    # ResizeObserver polyfill on browsers without one) is in use too
    scripts = "\n".join((built_site / p).read_text(encoding="utf-8") for p in sorted(loaded)
                        if p.endswith(".js"))
    fetched = {p for p in assets - loaded if SUB_PATH + p in scripts}
    unused = sorted(assets - loaded - fetched)
    assert not unused, f"published but loaded by no page or script: {unused}"
    assert "assets/vendor/resize-observer-polyfill/ResizeObserver.js" in fetched
