"""Pinyin: the tokens the build indexes (pypinyin) and what engine.js asks for
when a citizen types pinyin, checked against each other."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

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
