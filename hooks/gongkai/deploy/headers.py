"""The security headers every response carries, and the site-wide CSP header.

A page's own ``<meta>`` policy (``csp.py``) names the hashes of its inline scripts; the
header, one for the whole site, names the union of them (an inline script differs only by the
page's depth, so the union is a handful) and adds what a <meta> policy cannot carry:
``frame-ancestors`` and reporting. A browser enforces both, so each page gets the stricter.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.deploy.csp import page_policy, policy

HSTS = "max-age=63072000"  # two years: the Observatory asks at least six months
PERMISSIONS = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
               "microphone=(), payment=(), usb=()")


def site_policy(site_dir: Path, report_uri: str | None = None) -> str:
    scripts: dict[str, None] = {}
    styles: dict[str, None] = {}
    for page in sorted(site_dir.rglob("*.html")):
        page_scripts, page_styles = page_policy(page.read_text(encoding="utf-8"))
        scripts.update(dict.fromkeys(page_scripts))
        styles.update(dict.fromkeys(page_styles))
    return policy(scripts, styles, header=True, report_uri=report_uri)


def security_headers(csp: str, https: bool) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS,
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "SAMEORIGIN",
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers
