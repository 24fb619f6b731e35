"""What the site already holds, so an import never reuses an 索引号 or brings a row in twice.

Every item file counts, drafts and broken files too, and so does the git history (the same
rule ``gongkai new`` follows: ``author.new.used_ids``). An imported item remembers where it
came from (its 索引号, or 原索引号 when it got a new one), which is how a re-run knows a row.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.author.new import ids_in_history
from gongkai.load.loader import Repository
from gongkai.read.source import SourceError, read_markdown


@dataclass
class SiteIndex:
    pattern: re.Pattern[str]  # the site's 索引号 format
    used: set[str] = field(default_factory=set)  # every 索引号 ever used
    files: set[str] = field(default_factory=set)  # every file name under content/, lower case
    by_id: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (title, file)
    by_old_id: dict[str, str] = field(default_factory=dict)  # 原索引号 -> file
    by_title: dict[tuple[str, str], str] = field(default_factory=dict)  # (title, 发布日期) -> file
    _highest: dict[tuple[str, int], int] | None = None

    def next_id(self, id_format: str, agency_code: str, year: int) -> str:
        """What ``author.new.next_id`` gives, without rereading every id for each row."""
        if self._highest is None:
            self._highest = {}
            for m in filter(None, (self.pattern.fullmatch(i) for i in self.used)):
                key = (m["agency"], int(m["year"]))
                self._highest[key] = max(self._highest.get(key, 0), int(m["seq"]))
        return id_format.format(agency=agency_code, year=year,
                                seq=self._highest.get((agency_code, year), 0) + 1)

    def seen(self, old_id: str | None, title: str, published: str) -> str | None:
        """The file an earlier import of this row wrote, if any."""
        if old_id:
            if old_id in self.by_old_id:
                return self.by_old_id[old_id]
            if old_id in self.by_id and self.by_id[old_id][0] == title:
                return self.by_id[old_id][1]
            return None
        return self.by_title.get((title, published))

    def remember(self, item_id: str, old_id: str | None, title: str, published: str, file: str) -> None:
        self.used.add(item_id)
        m = self.pattern.fullmatch(item_id)
        if m and self._highest is not None:
            key = (m["agency"], int(m["year"]))
            self._highest[key] = max(self._highest.get(key, 0), int(m["seq"]))
        self.by_id[item_id] = (title, file)
        if old_id and old_id != item_id:
            self.by_old_id[old_id] = file
        self.by_title[(title, published)] = file


def _text(data: dict, *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def scan(repo: Repository, pattern: re.Pattern, agency_codes: list[str]) -> SiteIndex:
    index = SiteIndex(pattern=pattern)
    for path in repo.item_files():
        display = repo.rel(path)
        try:
            data = read_markdown(path, display).front.data
        except SourceError:
            # a broken file still reserves whatever id it mentions
            index.used |= {m.group(0) for m in pattern.finditer(path.read_bytes().decode("utf-8", "replace"))}
            continue
        if not isinstance(data, dict):
            continue
        item_id = _text(data, "id", "索引号")
        title = _text(data, "title", "标题") or ""
        published = _text(data, "published", "发布日期") or ""
        old_id = _text(data, "old_id", "原索引号")
        if item_id:
            index.used.add(item_id)
            index.by_id[item_id] = (title, display)
        if old_id:
            index.by_old_id[old_id] = display
        if title:
            index.by_title.setdefault((title, published), display)
    if repo.content.is_dir():  # every name taken, so no new file lands on one (links not followed)
        for folder, dirs, files in os.walk(repo.content, followlinks=False):
            rel = Path(folder).relative_to(repo.content).as_posix()
            for name in dirs + files:
                index.files.add((name if rel == "." else f"{rel}/{name}").lower())
    for code in agency_codes:
        index.used |= ids_in_history(repo.root, pattern, code)
    return index
