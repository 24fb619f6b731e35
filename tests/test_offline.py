"""No built file makes a browser load anything from another host (issue 14, scope 8).

What counts: every ``http(s)://host`` in every built file is the site's own host, unless it is
- an XML namespace or schema identifier (``xmlns``, ``$schema``, Atom/sitemap namespaces):
  a name, never fetched;
- the target of an ``<a href>`` in an HTML page: a link the visitor may follow, never loaded
  (the ICP filing must link to the ministry's register);
- inside a licence or documentation comment (``/*! … */``, ``/** … */``, ``<!-- … -->``,
  also CSS-escaped inside an inline SVG).
Anything else (a script, stylesheet, image, font, fetch or polyfill address) fails.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import yaml
from sitekit import ROOT

SITE_HOST = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nhooks:")[0])
                     ["site_url"]).hostname
NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml",
              "http://www.w3.org/2005/Atom", "http://www.w3.org/XML/1998/namespace",
              "http://www.w3.org/2001/XMLSchema-instance", "http://www.sitemaps.org/schemas/sitemap/0.9",
              "https://json-schema.org/draft/2020-12/schema")
_URL = re.compile(r"https?://[^\s\"'<>()\\`]+", re.I)
_COMMENT = re.compile(r"/\*[!*].*?\*/|(?:<|\\3c\s?)!--.*?--(?:>|\\3e)", re.S)


def foreign_references(path, text: str) -> list[str]:
    comments = [m.span() for m in _COMMENT.finditer(text)]
    found = []
    for m in _URL.finditer(text):
        url = m.group(0)
        if urlsplit(url).hostname == SITE_HOST or url.startswith(NAMESPACES):
            continue
        if any(a <= m.start() < b for a, b in comments):
            continue
        if path.suffix == ".html":
            tag_start = text.rfind("<", 0, m.start())
            if text.startswith("<a ", tag_start) and text[m.start() - 6:m.start()] == 'href="':
                continue
        found.append(f"{path}: {text[max(0, m.start() - 60):m.end() + 20]!r}")
    return found


#: the only other hosts a page links to (links a visitor may follow, never loads): the ICP filing
#: register, the site's own canonical address (site_url), and what catalog/site.yml sets for the
#: footer's inspection marks and the online application channel
ALLOWED_LINKS = ("https://beian.miit.gov.cn/", "https://www.qinghe.example.gov.cn/xxgk/") + tuple(
    re.search(rf"^{key}:\s*(\S+)", (ROOT / "catalog" / "site.yml").read_text(encoding="utf-8"), re.M)[1]
    for key in ("conac_url", "error_report_url", "police_record_url", "apply_online_url"))
_LINK = re.compile(r'<a [^>]*?href="(https?://[^"]+)"', re.I)
#: an address without a scheme (``//host/x``) loads from another host as well
_SCHEMELESS = re.compile(r"""(?:(?:src|href|srcset|action|poster|data)\s*=\s*["']?|url\(\s*["']?)\s*//""", re.I)


def test_no_built_file_refers_to_another_host(built_site):
    found = []
    for path in sorted(built_site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".js", ".css", ".json", ".xml", ".txt", ".svg", ".map"):
            text = path.read_text(encoding="utf-8")
            found += foreign_references(path.relative_to(built_site), text)
            if path.suffix in (".html", ".css"):
                found += [f"{path}: {m.group(0)}" for m in _SCHEMELESS.finditer(text)]
            if path.suffix == ".html":
                found += [f"{path}: link to {url}" for url in map(html.unescape, _LINK.findall(text))
                          if urlsplit(url).hostname != SITE_HOST and not url.startswith(ALLOWED_LINKS)]
                # Material's bundle asks api.github.com for repository facts, but only for the
                # header's "source" component (repo_url): it must not be on any page
                if 'data-md-component="source"' in text:
                    found.append(f"{path}: the header's source component")
    assert not found, "\n".join(found[:20])


def test_the_polyfill_is_served_from_the_site(built_site):
    bundle = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert '"/xxgk/assets/vendor/resize-observer-polyfill/ResizeObserver.js"' in bundle
    assert "unpkg.com" not in bundle and "api.github.com" not in bundle
    polyfill = built_site / "assets" / "vendor" / "resize-observer-polyfill"
    assert "global.ResizeObserver = factory()" in (polyfill / "ResizeObserver.js").read_text(encoding="utf-8")
    assert "MIT License" in (polyfill / "LICENSE").read_text(encoding="utf-8")
    assert not list(built_site.rglob("*.map"))


def test_a_browser_without_resize_observer_loads_the_polyfill_from_the_site(open_tab, served_site):
    tab = open_tab()
    tab.page.add_init_script("delete window.ResizeObserver")
    tab.page.goto(served_site + "catalogue/", wait_until="load")
    tab.page.wait_for_function("() => typeof window.ResizeObserver === 'function'", timeout=10000)  # no eval under the CSP
    assert any(u.endswith("/xxgk/assets/vendor/resize-observer-polyfill/ResizeObserver.js")
               for u in tab.log.requests)
    # the fixture fails the test on any request to another host or any console error


def test_the_check_itself_sees_a_loaded_foreign_address(tmp_path):
    page = tmp_path / "x.html"
    assert foreign_references(page, '<a href="https://beian.miit.gov.cn/">备案</a>') == []
    assert foreign_references(page, '<script src="https://unpkg.com/x"></script>')
    assert foreign_references(page, '<link rel="stylesheet" href="https://cdn.example/x.css">')
    assert foreign_references(tmp_path / "b.js", '_t("https://unpkg.com/resize-observer-polyfill")')
    assert foreign_references(tmp_path / "b.js", "/*! https://clipboardjs.com/ */x") == []
