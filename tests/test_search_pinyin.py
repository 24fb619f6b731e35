"""Pinyin: the tokens the build indexes (pypinyin) and what engine.js asks for
when a citizen types pinyin, checked against each other."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search.pinyin import pinyin_tokens, syllables

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
PINYIN_JS = ROOT / "overrides/assets/search/pinyin.js"


def test_titles_get_full_pinyin_pairs_and_initials():
    tokens = pinyin_tokens("城管局扶贫")
    assert {"chengguan", "guanju", "fupin", "cg", "fp", "cgj"} <= set(tokens)
    assert pinyin_tokens("银行")[0] == "yinhang"  # the phrase reading of a polyphone
    assert pinyin_tokens("2024年") == ["nian"]  # a lone character: its syllable
    assert pinyin_tokens("abc") == []


def node(script: str) -> object:
    out = subprocess.run([NODE, "-e", f"const P = require({json.dumps(str(PINYIN_JS))});\n{script}"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_browser_knows_every_syllable_the_build_uses():
    assert node("process.stdout.write(JSON.stringify(P.SYLLABLES))") == syllables()


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_typed_pinyin_asks_for_the_indexed_tokens():
    typed = ["fupin", "fu pin", "fúpín", "FuPin", "fp", "cgj", "chengguanju", "zuidishenghuobaozhang", "lǜhua"]
    got = node(f"process.stdout.write(JSON.stringify({json.dumps(typed)}.map(P.terms)))")
    by = dict(zip(typed, got, strict=False))
    for q in ["fupin", "fu pin", "fúpín", "FuPin"]:
        assert ["fupin"] in by[q]
    assert by["fp"] == [["fp"]] and by["cgj"] == [["cgj"]]
    for q, han in [("chengguanju", "城管局"), ("zuidishenghuobaozhang", "最低生活保障"), ("lǜhua", "绿化")]:
        indexed = set(pinyin_tokens(han))
        assert any(alt and set(alt) <= indexed for alt in by[q]), (q, by[q], indexed)


def plain_pinyin(run: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return [s.replace("ü", "v") for s in lazy_pinyin(run, errors="ignore")]


def test_word_by_word_pinyin_is_lazy_pinyin_of_the_whole_run_on_the_sample():
    import datetime as dt

    from gongkai.pipeline import load_site
    from gongkai.search.documents import documents
    from gongkai.search.pinyin import _HAN_RUN, _pinyin

    site = load_site(ROOT, dt.date(2026, 11, 26))
    runs = {run for d in documents(site) for text in (d.title, *d.names, *d.keywords)
            for run in _HAN_RUN.findall(text)}
    assert len(runs) > 100
    # polyphones read from their phrase (银行, 重庆, 长期, 行长) and a run of several words
    runs |= {"银行行长重庆长期", "中国人民银行", "还款还是还有", "〇"}
    for run in sorted(runs):
        assert _pinyin(run) == plain_pinyin(run), run


def _phrases() -> list[str]:
    from pypinyin.constants import PHRASES_DICT

    return sorted(w for w in PHRASES_DICT if all("\u4e00" <= c <= "\u9fff" for c in w))[::97]


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.sampled_from(
    "银行长重庆期还款是有中国人民的了地得和乐音〇\u3400\u4dbf")


@settings(max_examples=400, deadline=None)
@given(parts=st.lists(st.sampled_from(_phrases()) | st.text(HAN, min_size=1, max_size=3), min_size=1, max_size=8))
def test_word_by_word_pinyin_is_lazy_pinyin_of_random_han(parts):
    """Runs made of dictionary phrases (whose ends may join into other phrases) and characters."""
    from gongkai.search.pinyin import _pinyin

    run = "".join(parts)
    assert _pinyin(run) == plain_pinyin(run)
