"""The reader's fast folding, HTML and JSON reading give what the plain ones gave.

``guards.reader.fold`` maps only the runs of characters that change instead of translating
every character, and skips passes that cannot match; ``scan_text`` folds for both readings of
Chinese numerals with one translation; ``read_html`` reads HTML of text, tags and declarations
in whole-string passes; ``scan_html`` reads each distinct short attribute and link once;
``_json_strings`` skips lists of short integers in one step. The plain versions are kept here
verbatim as the reference.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re
import unicodedata
import urllib.parse

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.guards import pii, reader
from gongkai.pipeline import load_site
from gongkai.render.outputs import render_site

# --- the reference: reader.fold and reader._json_strings before they were made fast ------------

_OLD_GAPS = re.compile(f"(?<=[0-9])[{reader._GAP_CHARS}]++(?=[0-9])")
_OLD_NEAR = re.compile(f"(?<=[0-9])[{reader._DIGIT_LIKE}]++|(?<![{reader._DIGIT_LIKE}])[{reader._DIGIT_LIKE}]++(?=[0-9])")


def old_fold(text: str, chinese: bool = True) -> str:
    if not text.isascii():
        table = reader._fold_table(chinese)
        text = unicodedata.normalize("NFKC", text.translate(table)).translate(table)
    if any(c in text for c in reader._DIGIT_LIKE):
        text = _OLD_NEAR.sub(lambda m: m.group().translate(reader._DIGIT_LIKE_MAP), text)
    return _OLD_GAPS.sub(" ", text)


def old_json_strings(data: object):
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            yield from map(str, value)
            stack.extend(value.values())
        elif isinstance(value, int) and value >= 10**10:
            yield str(value)


def old_scan_text(text: str) -> list:
    found = _old_scan_folded(old_fold(text))
    if any(c in reader._CHINESE_DIGITS for c in text):
        known = {f.number for f in found}
        found += [f for f in _old_scan_folded(old_fold(text, chinese=False)) if f.number not in known]
    return found


def _old_scan_folded(folded: str) -> list:
    found = pii.scan(folded, None)
    if not any(c in folded for c in "/\\|,\u3001:;~"):
        return found
    known = {f.number for f in found}
    line, line_start, at = 1, 0, 0
    for run in reader._WEAK_RUN.finditer(folded):
        written = run.group()
        if sum(c.isdigit() for c in written) < 11:
            continue
        for f in pii.scan(reader._WEAK_GAP.sub(" ", written), None):
            if f.number in known:
                continue
            known.add(f.number)
            start = run.start()
            newlines = folded.count("\n", at, start)
            if newlines:
                line += newlines
                line_start = folded.rfind("\n", at, start) + 1
            at = start
            found.append(pii.Finding(f.kind, f.number, line, start - line_start + 1, start, run.end()))
    return found


# --- texts made of what folding treats specially -------------------------------------------------

_SPECIAL = ("0123456789１２３４５６７８９０〇零一二三四五六七八九壹贰叁肆伍陆柒捌玖幺"
            "ХхΧχ×✕✖╳ⅩⅹＸｘxXOoОоΟοIlІＯｌ"
            " \t\u00a0\u3000.\u00b7\u30fb\uff0e-\u2010\u2013\u2014\u2212\uff0d/\\|,\u3001:;~"
            "，。：；（）！？…“”《》、"
            "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e\ufe0f\u3164\u0301\u0308\u20dd"
            "①⑴⒈㈠㊀⼀﹒ℓﬁ™½¹²³\u2126\u212a\u00c5A\u030a"
            "\U0001d7cf\U0001d7ce\U000e0031\U000e0020\U0001f600"
            "青禾县人民政府abc\n")
texts = st.text(alphabet=st.one_of(st.sampled_from(_SPECIAL), st.characters(max_codepoint=0x2FFFF)),
                max_size=80)


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=3000, deadline=None)
@given(texts)
def test_fold_is_the_plain_fold(text):
    assert reader.fold(text) == old_fold(text)
    assert reader.fold(text, chinese=False) == old_fold(text, chinese=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0xFFFF), min_size=200, max_size=400))
def test_fold_is_the_plain_fold_on_any_bmp_character(text):
    assert reader.fold(text) == old_fold(text)


def test_every_bmp_character_folds_as_before():
    # one by one and beside a digit, so every table entry and every NFKD shortcut is met
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        for text in (ch, f"1{ch}2", f"{ch}\u0301"):
            assert reader.fold(text) == old_fold(text), hex(cp)


numbery = st.text(alphabet=st.sampled_from("0123456789 /,、-xX一二〇零王五\n１３９" "\u200b"), max_size=120)


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=2000, deadline=None)
@given(st.one_of(texts, numbery))
def test_scan_text_finds_what_it_found(text):
    assert reader.scan_text(text) == old_scan_text(text)


def test_a_page_of_prose_folds_as_before():
    text = ("关于申报二〇一九年度老旧小区改造项目的公告（第１号）：联系电话 139\u200b0745\u30fb0001，"
            "身份证 11010５1990O3074514，卡号 6222 0212 3456 7890 128；ⅼ①⑵ 一二三…\n") * 50
    assert reader.fold(text) == old_fold(text)
    assert reader.fold(text, chinese=False) == old_fold(text, chinese=False)
    assert reader.scan_text(text) == old_scan_text(text)
    assert reader.scan_text(text)  # the test text does hold numbers


json_values = st.recursive(
    st.one_of(st.integers(min_value=-10, max_value=10**12), st.booleans(), st.none(), st.text(max_size=5),
              st.floats(allow_nan=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=4), inner, max_size=4)),
    max_leaves=40)


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=1000, deadline=None)
@given(json_values)
def test_json_strings_are_the_plain_ones(data):
    data = json.loads(json.dumps(data))
    assert list(reader._json_strings(data)) == list(old_json_strings(data))


def test_postings_are_skipped_but_long_numbers_read():
    data = {"t": [1, 2, 3, 99], "u": [5, 12345678901], "v": [True, 3], "w": [[1], "号"]}
    assert list(reader._json_strings(data)) == list(old_json_strings(data))
    assert "12345678901" in list(reader._json_strings(data))


# --- reading HTML: reader.read_html before its whole-string fast path, verbatim --------------

def old_read_html(html: str) -> reader.Reading:
    out: list[str] = []
    shown: list[str] = []
    targets: list[str] = []
    pos = 0
    pre = 0
    n = len(html)
    while pos < n:
        at = html.find("<", pos)
        if at < 0:
            at = n
        if at > pos:
            out.append(_old_text(html[pos:at], pre > 0))
        if at >= n:
            break
        if html.startswith("<!--", at):
            end = html.find("-->", at + 4)
            if end < 0:
                break
            pos = end + 3
            continue
        if html.startswith("<![CDATA[", at):
            end = html.find("]]>", at + 9)
            out.append(reader._WHITESPACE.sub(" ", html[at + 9:n if end < 0 else end]))
            pos = n if end < 0 else end + 3
            continue
        if html.startswith(("<?", "<!"), at):
            end = html.find(">", at + 2)
            if end < 0:
                break
            pos = end + 1
            continue
        m = reader._TAG.match(html, at)
        if m is None:
            nxt = html[at + 1:at + 2]
            if nxt.isalpha() or nxt in ("/", "!", "?"):
                break
            out.append("<")
            pos = at + 1
            continue
        pos = m.end()
        closing, name = m.group(1), m.group(2).lower()
        if not closing:
            for a in reader._ATTR.finditer(m.group(3)):
                attr = a.group(1).lower()
                value = a.group(2) or ""
                if value[:1] in ("'", '"'):
                    value = value[1:-1]
                if attr in reader._URL_ATTRS:
                    targets.append(urllib.parse.unquote(html_lib.unescape(value)))
                elif attr in reader._SHOWN_ATTRS:
                    shown.append(html_lib.unescape(value))
            if name in reader._HIDDEN_CONTENT:
                found = re.compile(re.escape(f"</{name}"), re.I).search(html, pos)
                pos = n if found is None else found.start()
                continue
        if name == "pre":
            pre = max(0, pre + (-1 if closing else 1))
        if name not in reader._INLINE:
            out.append("\n")
    return reader.Reading("".join(out), tuple(shown), tuple(targets))


def _old_text(chunk: str, pre: bool) -> str:
    if "&" in chunk:
        chunk = html_lib.unescape(chunk)
    if pre:
        return chunk
    return reader._WHITESPACE.sub(" ", chunk)


def old_scan_html(html: str) -> list[reader.Seen]:
    reading = old_read_html(html)
    seen = [reader.Seen(f, "text") for f in old_scan_text(reading.text)]
    for value in reading.shown:
        seen += [reader.Seen(f, "attribute") for f in old_scan_text(value)]
    for target in reading.targets:
        seen += [reader.Seen(f, "link") for f in old_scan_text(target)]
    return seen


def old_scan_output(name: str, content: bytes) -> list[pii.Finding]:
    text = content.decode("utf-8", "replace")
    if name.lower().endswith((".xml", ".html", ".htm", ".svg")):
        found = [s.finding for s in old_scan_html(text)]
        inner = old_read_html(text).text
        found += _old_with_escapes(inner)
        if "<" in inner:
            found += [s.finding for s in old_scan_html(inner)]
        return found
    return _old_with_escapes(text)


def _old_with_escapes(text: str) -> list[pii.Finding]:
    found = old_scan_text(text)
    if "%" in text:
        found += old_scan_text(reader._PERCENT.sub(lambda m: urllib.parse.unquote(m.group()), text))
    return found


#: what HTML is made of, the awkward parts included: every case of a tag name (the Kelvin sign
#: lowers to k), quoted ">" and "<", entities whole, cut short and naming a control character,
#: comments, CDATA, declarations, hidden content, pre, stray and unclosed "<", control characters
_HTML_PARTS = ["<p>", "</p>", "<P class='x'>", "<td>", "</td>", "<br>", "<br/>", "<tr>", "<div\n>",
               "<span>", "</SPAN>", "<a href=\"tel:139%200745\">", "</a>", "<A HREF='%E4%B8%80'>",
               "<kbd>", "<\u212abd>", "</\u212aBD>", "<img alt=\"139 0745\" src=x>", "<img/src=1>",
               "<b title='a>b'>", "<i data-x=\"<p>\">", "<em title=&#49;39>", "</em foo=bar>", "<wbr>",
               "<abbr title=\"0001\">", "<input value='6222&#48;'>", "<meta content=\"x\">",
               "<a href=\"../../..\">", "<th scope=\"row\">", "<span aria-label=\"二\">",
               "<!-- c -->", "<!-->", "<!--", "<![CDATA[ a & b ]]>", "<![CDATA[", "<?xml v='1'?>",
               "<!DOCTYPE html>", "<!x", "<?", "<pre>", "</pre>", "<PRE>", "<prefix>", "<script>",
               "</script>", "<Style>x</style>", "<template>", "<noscript>", "<scripts>",
               "<", "a < b", "<3", "<a", "</", "<b", ">", "\"", "'", "=",
               "&amp;", "&lt;b&gt;", "&am", "&amp", "&#", "&#49;", "&#x31;", "&#4;", "&#0;", "&not",
               "&nbsp;", "&#10;", "\x00", "\x02", "\x04", "\x05", "\x08", " ", "  ", "\n", "\t", "\r",
               "\u3000", "139", "0745", "0001", "一", "二〇", "王五", "-", "/", "，"]
html_texts = st.lists(st.one_of(st.sampled_from(_HTML_PARTS), st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(html_texts)
def test_html_is_read_as_before(html):
    assert reader.read_html(html) == old_read_html(html)


@pytest.mark.slow  # thousands of drawn texts: `make test`; test-fast keeps the exhaustive and worked examples
@settings(max_examples=5000, deadline=None)
@given(html_texts)
def test_html_is_read_and_scanned_as_before(html):
    assert reader.read_html(html) == old_read_html(html)
    assert reader.scan_html(html) == old_scan_html(html)
    assert reader.scan_output("feed.xml", html.encode("utf-8", "surrogatepass")) == \
        old_scan_output("feed.xml", html.encode("utf-8", "surrogatepass"))


def test_an_item_page_is_read_without_the_plain_path_and_as_before():
    page = ("<nav class=\"gk-crumbs\" aria-label=\"当前位置\">\n<a href=\"../../..\">首页</a> › "
            "<a href=\"../../../catalogue/139%200745%200001/\">法定主动公开内容</a></nav>\n"
            "<table class=\"gk-meta\"><caption>信息索引</caption><tbody>"
            "<tr><th scope=\"row\">索引号</th><td>002501001/2025-00025</td></tr></tbody></table>\n"
            "<h1>关于一二三的通知</h1><p>联系电话 <span>139</span><em>0745</em>0001，"
            "身份证 <abbr title=\"11010519491231002X\">见附件</abbr>；王五13907450001 &amp; 其他</p>")
    fast = reader._read_html_fast(page)
    assert fast is not None and fast == old_read_html(page)
    seen = reader.scan_html(page)
    assert seen == old_scan_html(page)
    assert {(s.where, s.finding.number) for s in seen} == {
        ("text", "13907450001"), ("attribute", "11010519491231002X"), ("link", "13907450001")}


def test_the_sample_sites_pages_and_files_are_read_as_before():
    markdown = pytest.importorskip("markdown")
    site = load_site(ROOT, dt.date(2026, 11, 26))
    out = render_site(site, "https://example.gov.cn/xxgk/")
    fast = 0
    for page in out.pages:
        html = markdown.markdown(page.markdown, extensions=["tables", "attr_list", "admonition", "toc"])
        fast += reader._read_html_fast(html) is not None
        assert reader.read_html(html) == old_read_html(html), page.src_uri
        assert reader.scan_html(html) == old_scan_html(html), page.src_uri
    assert fast >= len(out.pages) * 0.9  # the fast path is the one pages take
    for file in out.files:
        if file.content is not None and file.src_uri.endswith((".xml", ".html", ".csv", ".txt")):
            assert reader.scan_output(file.src_uri, file.content) == \
                old_scan_output(file.src_uri, file.content), file.src_uri


def test_every_bmp_character_folds_both_ways_at_once_as_before():
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        for text in (ch, f"1{ch}2", f"一{ch}", f"{ch}二3", f"{ch}\u0301"):
            assert reader._fold_both(text) == (old_fold(text, chinese=False), old_fold(text)), hex(cp)


def test_control_characters_are_never_what_a_reference_decodes_to():
    # the fast path's token marks: text decoded from the page can never hold one
    for cp in range(0x1, 0x9):
        for written in (f"&#{cp};", f"&#x{cp:x};", f"&#{cp}", f"&#00{cp};"):
            assert html_lib.unescape(written) == ""


def test_numerals_read_as_words_are_scanned_only_where_they_change_a_line_yet_found():
    text = ("索引号 002501001/2025-00025\n一、联系人王五13907450001\n二〇二五年一月 电话 0571-65125500\n"
            "零13907450002 与 身份证 11010519491231002X\n") * 3
    assert reader.scan_text(text) == old_scan_text(text)
    assert {f.number for f in reader.scan_text(text)} >= {"13907450001", "13907450002", "11010519491231002X"}
    plain = "索引号 002501001/2025-00025\n联系电话 139 0745 0001，一二三\n"
    assert reader.scan_text(plain) == old_scan_text(plain)
