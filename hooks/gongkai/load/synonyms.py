"""catalog/synonyms.yml: groups of words that a search treats as the same.

Optional; each group is a list of two or more words, e.g.
``- [低保, 最低生活保障]``. A query holding one word of a group also looks
for the others (search/engine.js), and the page says so.
"""

from __future__ import annotations

from collections.abc import Callable

from gongkai.problems import Problems
from gongkai.read.source import SourceError, read_yaml

FILE = "synonyms.yml"
MAX_WORD = 30


def load_synonyms(repo, problems: Problems) -> tuple[tuple[str, ...], ...]:
    """The groups, in file order; each bad entry is one problem naming its line."""
    path = repo.catalog / FILE
    if not path.exists():
        return ()
    display = repo.rel(path)
    try:
        doc = read_yaml(path, display)
    except SourceError as exc:
        problems.extend([exc.problem])
        return ()
    data = doc.data
    groups = data.get("synonyms") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        problems.add(display, doc.line_of(()), "synonyms", "应为同义词组的列表，例如 “- [低保, 最低生活保障]”")
        return ()
    return tuple(_groups(groups, lambda path: doc.line_of(("synonyms", *path)), display, problems))


def _groups(groups: list, line_of: Callable, display: str, problems: Problems):
    seen: dict[str, int | None] = {}
    for i, group in enumerate(groups):
        words = group if isinstance(group, list) else None
        if not words or len(words) < 2 or not all(isinstance(w, str) and w.strip() for w in words):
            problems.add(display, line_of((i,)), "synonyms", "每组应列出两个以上的词，例如 “- [城管, 城市管理]”")
            continue
        clean = tuple(dict.fromkeys(w.strip() for w in words))
        long = [w for w in clean if len(w) > MAX_WORD]
        if long:
            problems.add(display, line_of((i,)), "synonyms", f"词语“{long[0][:MAX_WORD]}…”过长（最多 {MAX_WORD} 个字）")
            continue
        dup = [w for w in clean if w in seen]
        if dup:
            problems.add(display, line_of((i,)), "synonyms",
                         f"“{dup[0]}”已在第 {seen[dup[0]]} 行的同义词组中，一个词只能属于一组")
            continue
        for w in clean:
            seen[w] = line_of((i,))
        yield clean
