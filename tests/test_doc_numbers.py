"""发文字号 as governments really print them (tests/data/doc_numbers.tsv, each with the page it was
read on) and as editors mistype them (tests/data/doc_numbers_malformed.tsv)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from itemfactory import GOOD, errors_for, new_repo, replace, write

from gongkai.schema.doc_number import check, sequence_refused

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


REAL = _rows("doc_numbers.tsv")
MALFORMED = _rows("doc_numbers_malformed.tsv")


def test_the_collection_is_large_and_sourced():
    numbers = [number for number, _ in REAL]
    assert len(numbers) >= 135 and len(set(numbers)) == len(numbers)
    assert all(re.match(r"https?://\S+$", source) for _, source in REAL)
    # the forms that were refused before are all in it
    for form in (r"公告\d{4}年第", r"令(\d{4}年|〔\d{4}〕)第", r" \S+公告\d{4}年第", r"^第\d+号$", r"令 ?第[一二三四五六七八九十百]+号$"):
        assert any(re.search(form, n) for n in numbers), form


def test_correctly_printed_numbers_pass_and_none_is_rewritten():
    refused = [n for n, _ in REAL if not check(n).ok]
    # a correct number must never be "fixed" into another string
    rewritten = [(n, check(n).fixed) for n, _ in REAL if check(n).fixed]
    assert not rewritten
    assert len(refused) * 135 <= len(REAL), refused


@pytest.mark.parametrize("number,expected,source", MALFORMED, ids=[r[0] for r in MALFORMED])
def test_a_malformed_number_is_refused_with_a_hint_that_passes(number, expected, source):
    result = check(number)
    assert not result.ok
    if expected.startswith("拒绝:"):
        assert result.fixed is None  # never glued, never guessed
        assert expected.removeprefix("拒绝:") in result.message()
    else:
        assert result.fixed == expected and check(expected).ok
        assert f"应写作“{expected}”" in result.message()
    # whatever number the message tells the editor to write passes as written
    for quoted in re.findall(r"“([^“”]*号)”", result.message()):
        if quoted != number and re.search(r"\d", quoted) and "〔年份〕" not in quoted:
            assert check(quoted).ok, quoted


def test_a_registration_number_is_named_never_glued():
    result = check("HHCR-2023-01005 怀政办发〔2023〕9号")
    assert (result.registration, result.hint, result.fixed) == ("HHCR-2023-01005", "怀政办发〔2023〕9号", None)
    assert "登记号" in result.message() and "不要与发文字号连写" in result.message()


def test_an_item_takes_the_real_forms_and_a_bare_sequence_only_where_the_site_allows(tmp_path):
    root = new_repo(tmp_path)
    forms = ["国家税务总局公告2022年第3号", "交通运输部令2024年第13号", "财政部 税务总局公告2022年第10号",
             "中华人民共和国主席令 第十六号", "中国人民银行令〔2021〕第3号", "第7号"]
    for n, number in enumerate(forms, start=1):
        text = replace(GOOD, "2025-00007", f"2025-{n:05d}")
        write(root, f"xczx/{n}.md", replace(text, "发文字号: 青乡振发〔2025〕4号", f"发文字号: {number}"))
    errors = [(p.file, p.field, p.message) for p in errors_for(root)]
    assert errors == [("content/xczx/6.md", "发文字号", sequence_refused("第7号"))]
    assert "catalog/site.yml 中写“发文字号可仅写序号: true”" in errors[0][2]
    site_yml = root / "catalog" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + "发文字号可仅写序号: true\n", encoding="utf-8")
    assert errors_for(root) == []


def test_check_suggests_the_small_bracket_repair_and_following_it_passes(tmp_path):
    root = new_repo(tmp_path)
    write(root, "xczx/1.md", replace(GOOD, "青乡振发〔2025〕4号", "青乡振发﹝2025﹞4号"))
    (error,) = errors_for(root)
    assert error.field == "发文字号" and "应写作“青乡振发〔2025〕4号”" in error.message
    write(root, "xczx/1.md", GOOD)
    assert errors_for(root) == []
