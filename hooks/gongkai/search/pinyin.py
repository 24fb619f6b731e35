"""Pinyin tokens of titles and names, made at build time (pypinyin).

A citizen without a Chinese input method types ``fupin``, ``fu pin``, ``fúpín``
or the initials ``fp`` / ``cgj``. Each Han run gives, per adjacent pair, its
full pinyin without tones (``fupin``) and its initials (``fp``), and per
triple its initials (``cgj``); engine.js cuts a typed pinyin string into
syllables and asks for the same pairs, so any length of run is found, as
with the Han bigrams. Only short fields get these (titles, names): bodies
would multiply the index for little gain.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import lazy_pinyin
from pypinyin.seg.simpleseg import seg as _segment  # the segmentation lazy_pinyin itself runs first

_HAN_RUN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff]+")


@lru_cache(maxsize=65536)  # a vocabulary: a site's titles are made of a few thousand words
def _word_pinyin(word: str) -> tuple[str, ...]:
    return tuple(s.replace("ü", "v") for s in lazy_pinyin(word, errors="ignore"))


def _pinyin(run: str) -> list[str]:
    """``lazy_pinyin(run, errors="ignore")``, ü spelt v, converted word by word.

    lazy_pinyin cuts a run into the words of its phrase dictionary (which is how it
    reads a polyphone: 银行 -> yin hang) and converts each word on its own; a word
    cuts into itself, so converting the words one at a time gives the same syllables,
    and each distinct word is converted once per build instead of once per title
    (``tests/test_search_pinyin.py`` compares the two on every title of the sample
    and on random Han text).
    """
    out: list[str] = []
    for word in _segment(run):
        out.extend(_word_pinyin(word))
    return out


@lru_cache(maxsize=65536)  # generated and real titles repeat their phrases
def _run_tokens(run: str) -> tuple[str, ...]:
    full = _pinyin(run)
    if len(full) != len(run):  # a character without a reading: keep the run's tokens aligned
        return ()
    initials = [s[0] for s in full]
    if len(run) == 1:
        return (full[0],)
    out = [a + b for a, b in zip(full, full[1:], strict=False)]
    out += [a + b for a, b in zip(initials, initials[1:], strict=False)]
    out += ["".join(initials[i:i + 3]) for i in range(len(initials) - 2)]
    return tuple(out)


def pinyin_tokens(text: str) -> list[str]:
    """Pinyin pair tokens and initials of every Han run of ``text``, in order."""
    out: list[str] = []
    for run in _HAN_RUN.findall(text):
        out.extend(_run_tokens(run))
    return out


def readings(word: str) -> tuple[str, ...]:
    """How a citizen types ``word`` without a Chinese input method: its full pinyin
    (``dibao``) and its initials (``db``); none for a word not all Han."""
    if not _HAN_RUN.fullmatch(word) or len(word) < 2:
        return ()
    full = _pinyin(word)
    if len(full) != len(word):
        return ()
    return ("".join(full), "".join(s[0] for s in full))


def syllables() -> list[str]:
    """Every toneless syllable pypinyin gives a common character (for engine.js's list)."""
    from pypinyin import pinyin_dict

    found: set[str] = set()
    for cp in pinyin_dict.pinyin_dict:
        if 0x4E00 <= cp <= 0x9FFF:
            found.update(s.replace("ü", "v") for s in lazy_pinyin(chr(cp)))
    return sorted(s for s in found if s.isascii() and s.isalpha())
