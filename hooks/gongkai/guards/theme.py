"""The theme's static files pass the same guards as content.

MkDocs copies every file of the theme folder (mkdocs.yml ``theme.custom_dir``, ``overrides/``)
into the site verbatim, except the Jinja templates it renders (``*.html``: main.html,
partials/, 404.html) and a few it never publishes. So an SVG with a script, an XHTML page or a
CSV with an ID number dropped there would be published as it is: each such file is read here
and refused with the reasons, as an attachment would be. The templates themselves are the
site publishers' to approve (CODEOWNERS, ``gongkai approvals``); they are not judged here.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import gzip
import html
import re
from pathlib import Path
from typing import Any

import yaml

from gongkai.guards import html as html_guard
from gongkai.guards import pii
from gongkai.problems import Problem

#: what MkDocs 1.6 does not copy from a theme folder (``Files.add_files_from_theme``), plus
#: Material's and MkDocs' rendered templates
NOT_PUBLISHED = (".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*",
                 "*.md", "*.markdown", "*.mdown", "*.mkdn", "*.mkd", "404.html", "sitemap.xml")
#: files a browser runs as a document (its scripts included) when opened from the site
MARKUP = {".svg", ".svgz", ".xml", ".xhtml", ".xht", ".htm", ".shtml", ".xsl", ".xslt", ".mml", ".rdf"}
#: what the HTML tokenizer misses in XML: namespaced elements and handlers, entity tricks
_XML_SCRIPT = re.compile(r"<\s*(?:[\w.-]+:)?(script|foreignobject|handler|listener)\b", re.I)
_XML_HANDLER = re.compile(r"[\s\"'/](?:[\w.-]+:)?(on[a-z]+)\s*=", re.I)
_XML_SUBSET = re.compile(r"<!ENTITY|<\?xml-stylesheet", re.I)
_SCRIPT_URL = re.compile(r"(javascript|vbscript|livescript):|data:text/html|data:application/xhtml", re.I)
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")


class _ConfigLoader(yaml.SafeLoader):
    pass


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def theme_folder(root: Path) -> Path | None:
    """The theme folder mkdocs.yml names (read as data), ``overrides/`` when it names none."""
    config: Any = None
    path = Path(root) / "mkdocs.yml"
    if path.is_file():
        try:
            config = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            config = None  # MkDocs reports a broken config
    theme = config.get("theme") if isinstance(config, dict) else None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    folder = Path(root) / (custom if isinstance(custom, str) and custom else "overrides")
    return folder if folder.is_dir() else None


def published(rel: str) -> bool:
    """Whether MkDocs copies the theme file at ``rel`` (relative to the theme folder) to the site."""
    return not any(fnmatch.fnmatch(rel.lower(), pattern) for pattern in NOT_PUBLISHED)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _markup(text: str) -> list[tuple[int, str]]:
    out = [(h.line, h.message) for h in html_guard.scan_html(text)]
    seen = {line for line, _ in out}
    for m in _XML_SCRIPT.finditer(text):
        if _line(text, m.start()) not in seen:
            out.append((_line(text, m.start()), f"含有 <{m[1]}> 元素：能运行脚本或内嵌网页"))
    for m in _XML_HANDLER.finditer(text):
        if _line(text, m.start()) not in seen:
            out.append((_line(text, m.start()), f"带有事件处理属性 {m[1]}：能运行脚本"))
    for m in _XML_SUBSET.finditer(text):
        out.append((_line(text, m.start()), f"含有 {m[0]}：XML 实体和样式表能拼出或引入脚本"))
    plain = _IGNORED_IN_SCHEME.sub("", html.unescape(text))
    url = _SCRIPT_URL.search(plain)
    if url is not None and not seen:  # entities or whitespace hid it from the tokenizer
        out.append((1, f"含有 {url[0]} 地址：能运行脚本"))
    return sorted(set(out))


def _text(data: bytes) -> str | None:
    if b"\0" in data:
        return None  # an image, a font: no text a reader sees as such
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def check_file(path: Path, shown: str, today: dt.date | None = None) -> list[Problem]:
    """Every reason the published theme file ``path`` (named ``shown``) may not be published."""
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".svgz":
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return [Problem(shown, None, None, f"主题文件无法读取：{exc}")]
    text = _text(data)
    if text is None:
        if path.suffix.lower() in MARKUP:
            return [Problem(shown, None, None, "主题文件不是 UTF-8 文本，无法检查其中是否有脚本：请另存为 UTF-8")]
        return []
    out: list[Problem] = []
    if path.suffix.lower() in MARKUP:
        out += [Problem(shown, line, None, f"主题文件会原样发布到网站上，{message}；"
                                          "网站的图片和页面不能含有脚本，请删去或换用不含脚本的文件")
                for line, message in _markup(text)]
    out += [Problem(shown, f.line, None, f"含有未脱敏的{f.label}（{f.masked}）：主题文件会原样发布到网站上，"
                                        "不能含有个人信息，请删去或脱敏")
            for f in pii.scan(text, today)]
    return out


def theme_problems(root: Path, today: dt.date | None = None) -> list[Problem]:
    """Problems in every file of the theme folder that MkDocs publishes verbatim."""
    folder = theme_folder(root)
    if folder is None:
        return []
    out: list[Problem] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if published(rel):
            shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
            out += check_file(path, shown, today)
    return out
