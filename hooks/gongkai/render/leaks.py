"""The last look before a build writes anything: personal numbers a reader would get.

The guards judge what authors wrote (``guards.findings``, run by ``gongkai check`` and by
the build alike). What the build makes of it (a page's converted HTML with the generated
parts around it, summaries, exports, feeds, sitemaps, the search index) is read here once
more as its readers read it (``guards.reader``), so a spelling the source-side guards miss
still never reaches an output. A finding names the source file and line where the number
is written (found by its digits), or says that it could not be traced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from gongkai.guards import pii, reader
from gongkai.model import Item, Site
from gongkai.problems import Problem, ValidationFailed
from gongkai.read.source import SourceError, read_markdown
from gongkai.render.build_cache import Verdicts
from gongkai.render.pages import Origin, StaticFile
from gongkai.schema.front_matter import LABELS

#: generated files read as text (attachments are the authors' files, judged by the guards)
_TEXT_OUTPUTS = (".json", ".csv", ".xml", ".txt", ".html", ".htm", ".js", ".webmanifest", ".svg")
_EXCEPTION = ("personal_data_exception", "个人信息例外")
_NUMBERS = ("numbers", "号码")


def page_problems(html: str, src_uri: str, origin: Origin | None, site: Site,
                  verdicts: Verdicts | None = None) -> list[Problem]:
    """Personal numbers a reader gets from a converted page (``html``: its content, generated
    parts included), on the source line of whoever wrote them. ``verdicts``: the build cache's
    "nothing found" on these very bytes, reused (``build_cache``)."""
    if verdicts is not None and verdicts.clean("reader", html):
        return []
    found = reader.scan_html(html, site.build_date)
    if not found:
        if verdicts is not None:
            verdicts.remember("reader", html)
        return []
    out: list[Problem] = []
    for seen in found:
        problem = _trace(seen.finding, reader.reader_note(seen.where), site, origin,
                         f"（生成的页面 {src_uri}）")
        if problem is not None:
            out.append(problem)
    return out


def screen(site: Site, files: Iterable[StaticFile], verdicts: Verdicts | None = None) -> Iterator[StaticFile]:
    """``files``, each read as its readers read it before it is handed on to be written;
    ``ValidationFailed`` at the first file that would publish a personal number. ``verdicts``:
    a file whose very bytes were found clean before, read the same way (its name's extension
    says how), is not read again: the search index's files move to a new folder with every
    change, their bytes mostly stay."""
    for file in files:
        if file.content is not None and file.src_uri.lower().endswith(_TEXT_OUTPUTS):
            how = PurePosixPath(file.src_uri.lower()).suffix
            if verdicts is not None and verdicts.clean("file", how, file.content):
                yield file
                continue
            found = reader.scan_output(file.src_uri, file.content, site.build_date)
            if not found and verdicts is not None:
                verdicts.remember("file", how, file.content)
            problems = [p for f in found
                        if (p := _trace(f, f"：生成的文件 {file.src_uri} 中会出现完整号码", site, None,
                                        f"（生成的文件 {file.src_uri}）")) is not None]
            if problems:
                raise ValidationFailed(_unique(problems))
        yield file


def screened(site: Site, files: list[StaticFile], verdicts: Verdicts | None = None) -> list[StaticFile]:
    return list(screen(site, files, verdicts))


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for p in problems:
        seen.setdefault(p.format(), p)
    return list(seen.values())


def _trace(f: pii.Finding, note: str, site: Site, origin: Origin | None, fallback: str) -> Problem | None:
    """The problem for number ``f`` where it is written, or ``None`` when that item lets it
    through by a written 个人信息例外."""
    message = f.message() + note
    if origin is not None:
        for first, text in origin.parts:
            at = reader.locate(f.number, text)
            if at is not None:
                if _exempt(site, origin.file, f.number):
                    return None
                return Problem(origin.file, first + at, "正文", message)
    for item in site.items:
        where = _in_item(site, item, f.number)
        if where is not None:
            if _exempt(site, item.source, f.number):
                return None
            line, field = where
            return Problem(item.source, line, field, message)
    return Problem(fallback, None, None, message + "（未能对应到源文件中的位置：请在全站搜索这个号码的各种写法）")


def _read(site: Site, file: str) -> str | None:
    if site.root is None:
        return None
    try:
        return (Path(site.root) / file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _in_item(site: Site, item: Item, number: str) -> tuple[int, str | None] | None:
    text = _read(site, item.source)
    if text is None:
        return None
    at = reader.locate(number, text, partial=False)
    if at is None:
        return None
    line = at + 1
    if line >= item.body_line:
        return line, "正文"
    field = next((name for name, n in sorted(item.lines.items(), key=lambda kv: -kv[1]) if n <= line), None)
    return line, LABELS.get(field, field) if field else None


def _exempt(site: Site, file: str, number: str) -> bool:
    if site.root is None:
        return False
    try:
        source = read_markdown(Path(site.root) / file, file)
    except SourceError:
        return False
    data: Any = source.front.data
    if not isinstance(data, dict):
        return False
    exception = next((data[k] for k in _EXCEPTION if k in data), None)
    numbers = next((exception[k] for k in _NUMBERS if k in exception), None) \
        if isinstance(exception, dict) else None
    return isinstance(numbers, list) and number in {pii.normalise(str(n)) for n in numbers}
