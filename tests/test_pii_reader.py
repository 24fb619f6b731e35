"""Personal numbers judged by what a reader gets (issue 26): the page as a browser shows it,
link targets decoded, every generated file. Each spelling once slipped past the source scan.

``check`` must refuse each one on the item's body line, and no file a build writes may hold
the number in any form a reader sees: neither with the guards on, nor with the source-side
guards switched off (the build's own last look, ``render.leaks``, must still refuse it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, mkdocs_build
from sitekit import gongkai, item, make_site, write

from gongkai.guards import pii, reader, unicode_policy

MOBILE = "13907450001"
ID_X = "11010519491231002X"  # check digit X (ISO 7064 MOD 11-2)
CARD = "6222021234567890128"

#: (what the author wrote in the body, kind, number): the 20 spellings of issue 26 ...
SPELLINGS = [
    ("139\n0745\n0001", "mobile", MOBILE),  # a line break inside the paragraph renders a space
    ("139    0745    0001", "mobile", MOBILE),  # four spaces: HTML collapses them
    ("139&#8203;0745&#8203;0001", "mobile", MOBILE),
    ("139&shy;0745&shy;0001", "mobile", MOBILE),
    ("139&#x200e;0745&#x200e;0001", "mobile", MOBILE),
    ("139\u200e0745\u200e0001", "mobile", MOBILE),  # LEFT-TO-RIGHT MARK
    ("139\u20660745\u20690001", "mobile", MOBILE),  # bidi isolates
    ("139\u034f0745\u034f0001", "mobile", MOBILE),  # COMBINING GRAPHEME JOINER
    ("139\U000e00310745\U000e00320001", "mobile", MOBILE),  # tag characters
    ("139\ufe0f0745\ufe0e0001", "mobile", MOBILE),  # variation selectors
    ("[139](#)[0745](#)[0001](#)", "mobile", MOBILE),  # Markdown structure
    ("11010519491231002Х", "id", ID_X),  # Cyrillic Ха as the check letter
    ("𝟏𝟑𝟗𝟎𝟕𝟒𝟓𝟎𝟎𝟎𝟏", "mobile", MOBILE),  # mathematical digits
    ("１３９０７４５０００１", "mobile", MOBILE),  # full-width digits
    ("一三九〇七四五〇〇〇一", "mobile", MOBILE),  # Chinese numerals
    ("139/0745/0001", "mobile", MOBILE),
    ("139，0745，0001", "mobile", MOBILE),  # full-width commas
    ("[联系我们](tel:%31%33%39%30%37%34%35%30%30%30%31)", "mobile", MOBILE),  # percent-encoded href
    ("6222&#8203;0212&#8203;3456&#8203;7890&#8203;128", "card", CARD),
    ("110105 19491231\u2066002Х", "id", ID_X),
    # ... and variants of the same ideas
    ("139O745OOO1", "mobile", MOBILE),  # Latin O for zero
    ("139 | 0745 | 0001", "mobile", MOBILE),
    ('联系<span title="139 0745 0001">我们</span>', "mobile", MOBILE),  # a tooltip is read too
    ("139<!-- 注 -->0745<!-- 注 -->0001", "mobile", MOBILE),  # comments show nothing
    ("١٣٩٠٧٤٥٠٠٠١", "mobile", MOBILE),  # Arabic-Indic digits
    ("①③⑨⓪⑦④⑤⓪⓪⓪①", "mobile", MOBILE),  # circled digits
    ("壹叁玖零柒肆伍零零零壹", "mobile", MOBILE),  # financial numerals
    ("1<sup>39</sup>0745<sub>0001</sub>", "mobile", MOBILE),
    ("[139][a][0745][a][0001][a]\n\n[a]: #", "mobile", MOBILE),  # reference links
    ("１３９\u3000\u3000\u30000745—0001", "mobile", MOBILE),  # ideographic spaces, then a dash
    ("王五13907450001", "mobile", MOBILE),  # a name ending in a Chinese numeral is no digit
]
BODY_LINE = 13  # sitekit.item: the body starts on line 13


def _site(root: Path) -> Path:
    items = {f"zfb/{n:02d}.md": item(id=f"002501001/2025-{n + 1:05d}", body=f"联系电话：{written}。\n")
             for n, (written, _, _) in enumerate(SPELLINGS)}
    return make_site(root, items)


def _check(site: Path) -> subprocess.CompletedProcess:
    return gongkai("check", str(site), "--date", "2026-11-26")


def test_check_refuses_every_spelling_on_its_body_line(tmp_path):
    result = _check(_site(tmp_path))
    assert result.returncode != 0
    for n, (written, kind, number) in enumerate(SPELLINGS):
        expected = (f"content/zfb/{n:02d}.md:{BODY_LINE}: 正文: 含有未脱敏的{pii.KIND_LABELS[kind]}"
                    f"（{pii.mask(kind, number)}）")
        assert expected in result.stdout, (written, result.stdout)
    assert MOBILE not in result.stdout and ID_X not in result.stdout  # messages mask them


def _outputs_hold(site_dir: Path, numbers: set[str]) -> list[str]:
    """Output files holding one of ``numbers`` in a form a reader sees."""
    held = []
    for path in site_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found = {f.number for f in reader.scan_output(path.name, data)}
            folded = {n for n in numbers if n.encode() in data}
            if (found | folded) & numbers:
                held.append(str(path.relative_to(site_dir)))
    return held


NUMBERS = {number for _, _, number in SPELLINGS}

#: a MkDocs hook that switches the source-side guards off, as a guard gap would
_NO_GUARDS = '''
from gongkai.guards import findings
findings.item_findings = lambda *args, **kwargs: []
'''


def _project(root: Path, guards: bool) -> Path:
    project = copy_project(root / "p", with_content=False)
    for n, (written, _, _) in enumerate(SPELLINGS):
        write(project, f"zfb/{n:02d}.md", item(id=f"002501001/2025-{n + 1:05d}", body=f"联系电话：{written}。\n"))
    if not guards:
        (project / "no_guards.py").write_text(_NO_GUARDS, encoding="utf-8")
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("  - hooks/mkdocs_gongkai.py\n",
                                       "  - hooks/mkdocs_gongkai.py\n  - no_guards.py\n", 1), encoding="utf-8")
    return project


@pytest.mark.parametrize("guards", [True, False], ids=["guards", "last-look-only"])
def test_no_output_of_a_build_holds_a_number(tmp_path, guards):
    project = _project(tmp_path, guards)
    site = tmp_path / "site"
    build = mkdocs_build(project, site, check=False)
    assert build.returncode != 0, build.stderr[-3000:]
    assert "网站未生成" in build.stderr
    if not guards:  # the page scan names the item and the body
        for n in range(len(SPELLINGS)):
            assert f"content/zfb/{n:02d}.md:" in build.stderr, (SPELLINGS[n], build.stderr[-4000:])
    assert "Traceback" not in build.stderr
    if site.exists():
        assert _outputs_hold(site, NUMBERS) == []


def test_generated_files_are_screened_before_they_are_written(tmp_path, monkeypatch):
    """The summary leak: a body whose automatic summary carries the number into
    catalogue.json, the CSV, the feed and the search index. With the source-side guards
    off, rendering refuses the first such file and names the item."""
    import datetime as dt

    from gongkai.guards import findings
    from gongkai.pipeline import load_site
    from gongkai.problems import Problems, ValidationFailed
    from gongkai.render import leaks
    from gongkai.render.outputs import render_detached, render_site
    from gongkai.render.pages import StaticFile

    site_dir = make_site(tmp_path, {"zfb/a.md": item(body="联系人电话139<!-- -->0745<!-- -->0001。\n")})
    result = _check(site_dir)
    assert "content/zfb/a.md:13: 正文: 含有未脱敏的手机号（139****0001）" in result.stdout, result.stdout

    monkeypatch.setattr(findings, "item_findings", lambda *a, **k: [])
    site = load_site(site_dir, dt.date(2026, 11, 26), Problems(), judge_markup=False)
    assert "13907450001" in site.items[0].summary  # what plain text makes of the comments
    with pytest.raises(ValidationFailed) as refused:
        render_site(site, "https://example.gov.cn/")
    problem = refused.value.problems[0]
    assert (problem.file, problem.line, problem.field) == ("content/zfb/a.md", 13, "正文")
    assert "139****0001" in problem.message and "生成的文件" in problem.message
    with pytest.raises(ValidationFailed):
        list(render_detached(site, "https://example.gov.cn/", []))
    # each kind of generated file on its own
    for name in ("catalogue.json", "catalogue.csv", "feed.xml", "feed.rss.xml", "search/idx/d/0.json",
                 "sitemap.xml"):
        content = {"catalogue.json": b'{"summary": "\\u0031\\u0033907450001"}',
                   "catalogue.csv": "摘要\n139，0745，0001\n".encode(),
                   "feed.xml": b"<?xml version=\"1.0\"?>\n<feed><content type=\"html\">&lt;p&gt;139&lt;b&gt;0745"
                               b"&lt;/b&gt;0001&lt;/p&gt;</content></feed>",
                   "feed.rss.xml": b"<?xml version=\"1.0\"?><rss><description><![CDATA[<p>139<i>0745</i>0001</p>]]>"
                                   b"</description></rss>",
                   "search/idx/d/0.json": '["139\u200b0745\u200b0001"]'.encode(),
                   "sitemap.xml": b"<urlset><url><loc>https://x/tel:%31%33%39%30%37%34%35%30%30%30%31</loc></url>"
                                  b"</urlset>"}[name]
        with pytest.raises(ValidationFailed) as refused:
            list(leaks.screen(site, [StaticFile(name, content=content)]))
        assert refused.value.problems[0].file == "content/zfb/a.md"  # traced to where it is written
    # the same spelling in a file that is no personal number passes
    assert list(leaks.screen(site, [StaticFile("a.json", content=b'["139 0745 00"]')]))


def test_the_sample_passes_the_reader_scan_unchanged():
    """No false alarm on real pages: every table figure, date, 索引号 and phone of the sample."""
    root = Path(__file__).resolve().parent.parent
    result = gongkai("check", str(root))
    assert result.returncode == 0, result.stdout


# --- the Unicode policy ---------------------------------------------------------------------

def test_bidi_and_invisible_characters_are_refused_with_their_place(tmp_path):
    site = make_site(tmp_path, {
        "zfb/title.md": item(title='"关于\\u202e知通的理管全安\\u202c的通知"'),
        "zfb/number.md": item(id="002501001/2025-00002", extra="发文字号: 青政办\u200b发〔2025〕3号\n"),
        "zfb/body.md": item(id="002501001/2025-00003", body="第一段。\n\n第二段有\u2066隔离\u2069和&lrm;。\n"),
        "zfb/file.md": item(id="002501001/2025-00004", extra="附件:\n  - 文件: \"名单\\u202egpj.exe\"\n"),
    })
    out = _check(site).stdout
    assert ("content/zfb/title.md:3: 标题: 值的第 3 个字符是双向文字控制符（U+202E RIGHT-TO-LEFT OVERRIDE，"
            "会让文字的显示顺序与实际内容不同）") in out, out
    assert "content/zfb/title.md:3: 标题: 值的第 11 个字符是双向文字控制符（U+202C POP DIRECTIONAL FORMATTING" in out
    assert "content/zfb/number.md:8: 发文字号: 值的第 4 个字符是不可见字符（U+200B ZERO WIDTH SPACE" in out
    assert "content/zfb/body.md:15: 正文: 第 15 行第 5 列是双向文字控制符（U+2066 LEFT-TO-RIGHT ISOLATE" in out
    assert "content/zfb/body.md:15: 正文: 第 15 行第 8 列是双向文字控制符（U+2069" in out
    assert "content/zfb/body.md:15: 正文: 第 15 行第 10 列是双向文字控制符（U+200E LEFT-TO-RIGHT MARK" in out
    assert "content/zfb/file.md:9: 附件[1].文件: 值的第 3 个字符是双向文字控制符（U+202E" in out


def test_an_agency_name_with_a_bidi_control_is_refused(tmp_path):
    site = make_site(tmp_path, {})
    agencies = site / "catalog" / "agencies.yml"
    text = agencies.read_text(encoding="utf-8")
    agencies.write_text(text.replace("    name: 青禾县人民政府办公室\n", '    name: "青禾县人民政府\\u202e办公室"\n', 1),
                        encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row == "    name: 青禾县人民政府办公室")
    out = _check(site).stdout
    assert (f"catalog/agencies.yml:{line}: agencies.0.name: 名称的第 8 个字符是双向文字控制符（U+202E RIGHT-TO-LEFT OVERRIDE"
            in out), out


def test_an_emoji_keeps_its_variation_selector():
    assert list(unicode_policy.places("服务热线 ☎️ 请拨打")) == []
    assert list(unicode_policy.places("13\ufe0f9")) == [(0, 3, "\ufe0f")]


def test_look_alike_doc_number_prefixes(tmp_path):
    site = make_site(tmp_path, {
        "zfb/trad.md": item(extra="发文字号: 青政辦发〔2025〕3号\n"),
        "zfb/latin.md": item(id="002501001/2025-00002", extra="发文字号: 青政办Ф发〔2025〕4号\n"),
    })
    out = _check(site).stdout
    assert ("content/zfb/trad.md:8: 警告: 发文字号: 发文字号的机关代字“青政辦发”与目录中的“青政办发”看起来相同却不是"
            "同一串字符") in out, out
    assert ("content/zfb/latin.md:8: 发文字号: 发文字号的机关代字“青政办Ф发”在汉字中夹有其他文字的字母 "
            "“Ф”（U+0424 CYRILLIC CAPITAL LETTER EF）") in out, out


# --- the scanner stays linear --------------------------------------------------------------

@pytest.mark.slow  # profiles 8,000-unit inputs call by call
def test_scanner_work_grows_linearly_with_its_input():
    """Counted in Python calls, not seconds: doubling the input at most doubles the work."""
    import cProfile
    import pstats

    def calls(text: str) -> int:
        profile = cProfile.Profile()
        profile.enable()
        pii.scan(text)
        reader.scan_text(text)
        profile.disable()
        return sum(v[1] for v in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]

    for unit in ("13907450001 ", "1 ", "139/0745/0001 ", "12 34 ", "1 3 9 0 7 4 5 0 0 0 1 。"):
        small, large = calls(unit * 2000), calls(unit * 4000)
        assert large <= 2.2 * small, (unit, small, large)


class _Counting(str):
    """A text that counts how many characters line counting reads."""

    read = 0

    def count(self, sub, start=0, end=None):  # type: ignore[override]
        _Counting.read += (len(self) if end is None else end) - start
        return super().count(sub, start, end)


def test_offsets_of_many_findings_count_lines_once():
    text = _Counting("\n".join(f"第{i}行 {MOBILE}" for i in range(3000)))
    _Counting.read = 0
    found = pii.scan(text)
    assert _Counting.read <= len(text)  # each newline counted once, not once per finding
    assert [f.line for f in found] == list(range(1, 3001))
    assert all(f.column == len(f"第{i}行 ") + 1 for i, f in enumerate(found))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
