"""Refuse a regular expression from the catalog that backtracks catastrophically.

Python's ``re`` cannot be interrupted while it matches, so a pattern such as ``(\\d+)+$``
in ``site.yml`` would hold every load for minutes on one crafted 索引号. Two tests, both
cheap: nested variable-length quantifiers are refused from the parsed pattern, and the
pattern is then run on adversarial probes of growing length, stopped as soon as one takes
longer than a small budget (exponential growth crosses it within a few characters, so no
probe runs long).
"""

from __future__ import annotations

import functools
import itertools
import re
import time
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: seconds one probe may take (a sound pattern takes microseconds)
PROBE_BUDGET = 0.05
_LENGTHS = [*range(1, 49), 60, 75, 94, 117, 146, 183, 229, 286]
_BASE = "0Aa/-_. 〔"
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


@functools.lru_cache(maxsize=64)  # one site's pattern is judged once per process
def problem(pattern: str) -> str | None:
    """Why ``pattern`` may not be used (Chinese), or None."""
    nested = _nested(sre_parse.parse(pattern))
    if nested:
        return (f"正则表达式中量词嵌套（{nested}）：匹配失败时回溯次数随长度成倍增长，"
                "一个特意写的索引号就能让检查和生成停住几分钟；请改写为不嵌套的形式，如 \\d+ 而不是 (\\d+)+")
    compiled = re.compile(pattern)
    for probe in _probes(pattern):
        for n in _LENGTHS:
            text = probe(n)
            if _slow(compiled, text) and _slow(compiled, text):  # twice: a busy machine may pause once
                return (f"正则表达式对长 {len(text)} 个字符的试探字符串匹配超过 {PROBE_BUDGET * 1000:.0f} 毫秒"
                        "（回溯过多）：请简化，避免可以多种方式匹配同一段文字的写法")
    return None


def _slow(compiled: re.Pattern[str], text: str) -> bool:
    started = time.perf_counter()
    compiled.fullmatch(text)
    compiled.match(text)
    return time.perf_counter() - started > PROBE_BUDGET


def _probes(pattern: str) -> list[Any]:
    """Strings of one or two characters repeated and then spoiled, from the pattern's own
    literal characters and the usual 索引号 ones."""
    chars = sorted({*_BASE, *(ch for ch in pattern if ch.isalnum() or ch in "/-_.〔〕")})[:24]
    probes: list[Any] = [lambda n, c=c: c * n + "!" for c in chars]
    probes += [lambda n, a=a, b=b: (a + b) * (n // 2) + "!" for a, b in itertools.combinations(chars[:8], 2)]
    return probes


def _nested(tree: Any, outer: bool = False) -> str | None:
    """A description of a variable-length quantifier inside a repeated one, or None."""
    for op, av in tree:
        if op in _REPEATS:
            low, high, body = av
            variable = low != high
            if outer and variable:
                return "重复的分组中又有可变次数的量词"
            found = _nested(body, outer or high > 1)
            if found:
                return found
        elif op == sre_constants.SUBPATTERN:
            found = _nested(av[-1], outer)
            if found:
                return found
        elif op == sre_constants.BRANCH:
            for branch in av[1]:
                found = _nested(branch, outer)
                if found:
                    return found
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            found = _nested(av[1], outer)
            if found:
                return found
    return None
