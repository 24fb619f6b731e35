"""The web editor's own security headers: ``/admin/`` runs Decap CMS, which the site's strict
policy (``csp.py``) would stop, so its folder gets a policy of its own and the rest of the site
keeps the strict one.

What Decap 3.16 needs, found by running it in Chromium under a policy and watching for
violations (``tests/test_serve_nginx.py`` repeats it behind nginx):

- ``script-src 'unsafe-eval'``: it compiles its configuration's JSON schema with ajv, which
  builds validators with ``new Function`` (Decap issue #2343): without it the editor stops
  before its sign-in page;
- ``style-src 'unsafe-inline'``: its interface is styled by emotion, which writes ``<style>``
  elements and ``style=`` attributes as it renders;
- ``img-src blob:`` and ``connect-src blob:``: an upload is shown and then read back from an
  object URL before it is committed (Decap issue #6829);
- ``connect-src`` the forge: the API (``api_root``) and, for sign-in, ``base_url``, read
  from the published ``admin/config.yml`` that ``gongkai cms-config`` wrote from site.yml.

Everything else stays as strict as the site's: no other host, no plugins, no framing by
another site. ``Cross-Origin-Opener-Policy: same-origin-allow-popups``: Decap's GitHub sign-in
opens a window on another host that answers the editor by ``postMessage``, which
``same-origin`` would cut off.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import yaml

#: the editor's folder, relative to the site root
FOLDER = "admin/"
#: where each backend's API is when the configuration names no server (Decap's defaults)
DEFAULT_API = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}
COOP = "same-origin-allow-popups"


def _origin(url: object) -> str | None:
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def forge_origins(site_dir: Path) -> list[str] | None:
    """The forge origins the published editor talks to, in order; None when the site has no
    web editor (no ``admin/config.yml``). An unreadable file gives no origin: the editor then
    cannot reach the forge, which is what it would fail on anyway."""
    path = site_dir / FOLDER / "config.yml"
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    backend = data.get("backend") if isinstance(data, dict) else None
    if not isinstance(backend, dict):
        return []
    urls = [backend.get("api_root"), backend.get("base_url"), DEFAULT_API.get(str(backend.get("name")))]
    if backend.get("api_root") or backend.get("base_url"):
        urls.pop()
    return list(dict.fromkeys(o for o in map(_origin, urls) if o is not None))


def admin_policy(origins: list[str], *, report_uri: str | None = None) -> str:
    """The ``/admin/`` policy as an HTTP header."""
    directives = [
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval' 'report-sample'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src " + " ".join(["'self'", "blob:", *origins]),
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    if report_uri:
        directives.append(f"report-uri {report_uri}")
    return "; ".join(directives)


def admin_headers(site_dir: Path, report_uri: str | None = None) -> dict[str, str] | None:
    """The document headers ``/admin/`` gets instead of the site's; None without an editor."""
    origins = forge_origins(site_dir)
    if origins is None:
        return None
    return {"Content-Security-Policy": admin_policy(origins, report_uri=report_uri),
            "Cross-Origin-Opener-Policy": COOP}
