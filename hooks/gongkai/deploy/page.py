"""What every written HTML page gets before it is saved: hashed asset names, then its CSP."""

from __future__ import annotations

from gongkai.deploy.csp import add_meta
from gongkai.deploy.fingerprint import fingerprint


def finish_page(html: str, site_dir: str) -> str:
    """A page as it is published; any other text (an XML template) is returned unchanged."""
    if "<head" not in html[:4096]:
        return html
    return add_meta(fingerprint(html, site_dir))
