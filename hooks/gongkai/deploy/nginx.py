"""``gongkai serve-config nginx``: the site's nginx configuration, from the rules in ``rules.py``.

The output goes in nginx's ``http`` context (Debian: ``/etc/nginx/conf.d/gongkai.conf``): three
``map``s that pick each response's caching and download headers by address, and one ``server``
that serves the built folder under the site's sub-path. The headers are set by maps at the
server level rather than in nested ``location``s because nginx drops every inherited
``add_header`` in a location that adds one of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.deploy import admin, rules
from gongkai.deploy.headers import security_headers

#: headers that only a document (a page, an SVG opened on its own) obeys
DOCUMENT_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy",
                    "X-Frame-Options")


@dataclass(frozen=True)
class NginxOptions:
    prefix: str  # the site's sub-path, "/xxgk/"
    root: str  # the built site's folder on the server
    listen: str = "80"
    server_name: str = "_"
    https: bool = True  # HSTS; TLS itself is set up where the certificate is


def _quote(value: str) -> str:
    if '"' in value or "\n" in value:
        raise ValueError(f"配置值不能含引号或换行：{value!r}")
    return f'"{value}"'


def _prefixed(pattern: str, prefix: str) -> str:
    """A rules.py pattern (relative to the site root) as one on nginx's $uri."""
    base = re.escape(prefix)
    return "~" + ("^" + base + pattern[1:] if pattern.startswith("^") else pattern)


def _maps(prefix: str) -> list[str]:
    lines = ["map $uri $gongkai_cache_control {", f"    default {_quote(rules.SHORT)};"]
    lines += [f"    {_quote(_prefixed(p, prefix))} {_quote(rules.IMMUTABLE)};" for p in rules.IMMUTABLE_PATTERNS]
    lines += [f"    {_quote(_prefixed(p, prefix))} {_quote(rules.NO_CACHE)};" for p in rules.NO_CACHE_PATTERNS
              if p != r"^$"]
    lines += ["}", "", "map $uri $gongkai_disposition {", '    default "";']
    inline = "|".join(rules.INLINE)
    download = "|".join(rules.DOWNLOAD)
    lines += [f'    "~*\\.(?:{inline})$" "inline";', f'    "~*\\.(?:{download})$" "attachment";', "}"]
    return lines


def _types() -> list[str]:
    by_type: dict[str, list[str]] = {}
    for ext, kind in rules.TYPES.items():
        by_type.setdefault(kind, []).append(ext)
    return ["        types {"] + [f"            {kind} {' '.join(exts)};" for kind, exts in by_type.items()] \
        + ["        }", "        default_type application/octet-stream;"]


def _admin_map(prefix: str) -> list[str]:
    """``$gongkai_admin``: 1 for the web editor's folder, whose documents get headers of their own."""
    return ["", "map $uri $gongkai_admin {", "    default 0;",
            f"    {_quote(_prefixed('^' + admin.FOLDER, prefix))} 1;", "}"]


def _document_map(var: str, value: str, admin_value: str | None) -> list[str]:
    if admin_value is None:
        return ["", f"map $sent_http_content_type {var} {{", '    default "";',
                f'    "~^(?:text/html|image/svg\\+xml)" {_quote(value)};', "}"]
    return ["", f"map $gongkai_admin$sent_http_content_type {var} {{", '    default "";',
            f'    "~^1(?:text/html|image/svg\\+xml)" {_quote(admin_value)};',
            f'    "~^0(?:text/html|image/svg\\+xml)" {_quote(value)};', "}"]


def nginx_config(options: NginxOptions, csp: str, admin_headers: dict[str, str] | None = None) -> str:
    """``admin_headers``: the document headers the web editor's folder gets instead of the
    site's (``admin.admin_headers``); None when the site has no editor."""
    prefix = "/" + options.prefix.strip("/") + "/" if options.prefix.strip("/") else "/"
    root = options.root.rstrip("/") + "/"
    headers: list[str] = []
    document_maps = _admin_map(prefix) if admin_headers else []
    for name, value in security_headers(csp, options.https).items():
        if name in DOCUMENT_HEADERS:
            # what governs a document only: not sent with each script, stylesheet and image,
            # where it would cost a kilobyte a response (the CSP) for nothing
            var = "$gongkai_" + name.lower().replace("-", "_")
            document_maps += _document_map(var, value, (admin_headers or {}).get(name))
            headers.append(f"        add_header {name} {var} always;")
        else:
            headers.append(f"        add_header {name} {_quote(value)} always;")
    compressible = sorted({rules.content_type(f"x.{ext}").split(";")[0] for ext in rules.COMPRESSIBLE}
                          | {"application/atom+xml"})
    lines = [
        "# gongkai serve-config nginx: written by gongkai; regenerate instead of editing.",
        "# Place in nginx's http context (Debian: /etc/nginx/conf.d/). TLS: add listen 443 ssl",
        "# and the certificate where the site's other servers have theirs.",
        *_maps(prefix),
        *document_maps,
        "",
        "server {",
        f"    listen {options.listen};",
        f"    server_name {options.server_name};",
        "    server_tokens off;",
        "    charset utf-8;",
        "    charset_types " + " ".join(t for t in rules.CHARSET_TYPES if t != "text/html") + ";",
        "    gzip on;",
        "    gzip_static on;  # site/…/x.gz written by `gongkai compress`",
        "    gzip_vary on;",
        "    gzip_comp_level 6;",
        "    gzip_min_length 512;",
        "    gzip_types " + " ".join(t for t in compressible if t != "text/html") + ";",
        "",
        f"    location = {prefix.rstrip('/') or '/'} {{ return 301 {prefix}; }}" if prefix != "/" else "",
        f"    location ^~ {prefix} {{",
        f"        alias {root};",
        "        index index.html;",
        *_types(),
        "        etag on;",
        "        add_header Cache-Control $gongkai_cache_control always;",
        "        add_header Content-Disposition $gongkai_disposition;",
        *headers,
        f"        error_page 404 {prefix}404.html;",
        # a type by name, not by extension; no add_header here, so the ones above still apply
        *[f"        location = {prefix}{name} {{ alias {root}{name}; types {{ }} default_type {kind}; }}"
          for name, kind in rules.NAMED_TYPES.items()],
        "    }",
        "}",
        "",
    ]
    return "\n".join(lines)
