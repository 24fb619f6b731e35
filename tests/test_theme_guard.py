"""Files under overrides/ that MkDocs publishes verbatim pass the same guards as content:
`gongkai check` refuses script-bearing markup and personal numbers there, naming the file."""

from __future__ import annotations

import shutil

import pytest
from sitekit import ROOT, gongkai, item, make_site

from gongkai.guards.pii import id_check_digit
from gongkai.guards.theme import theme_problems

ID = "33012719800101123"
ID += id_check_digit(ID)


@pytest.fixture
def site(tmp_path):
    root = make_site(tmp_path / "site", {"zfb/a.md": item()})
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    return root


def check(root):
    return gongkai("check", str(root), "--date", "2026-11-26")


def test_the_samples_own_theme_passes():
    assert theme_problems(ROOT) == []


def test_the_sample_with_its_theme_passes_check(site):
    result = check(site)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name,text,reason", [
    ("assets/marks/logo.svg",
     '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>', "<script>"),
    ("assets/marks/ns.svg",
     '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"><svg:script>fetch("//x")</svg:script></svg:svg>',
     "<script> 元素"),
    ("assets/marks/onload.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "onload"),
    ("assets/marks/fo.svg", '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p>'
     '</foreignObject></svg>', "<foreignObject> 元素"),
    ("assets/marks/link.svg", '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     '<a xlink:href="&#106;avascript:alert(1)"><text>点此</text></a></svg>', "javascript:"),
    ("assets/page.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml"><body><img src="x" onerror="alert(1)"/>'
     "</body></html>", "onerror"),
    ("assets/page.htm", "<p>公告</p><script src=//evil.example/x.js></script>", "<script>"),
    ("assets/feed.xml", '<?xml-stylesheet type="text/xsl" href="x.xsl"?><rss/>', "<?xml-stylesheet"),
])
def test_script_bearing_markup_is_refused(site, name, text, reason):
    path = site / "overrides" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    found = theme_problems(site)
    assert all(p.severity == "error" for p in found)
    lines = [p.format() for p in found if p.file == f"overrides/{name}"]
    assert lines and len(lines) == len(found), found
    assert any(reason in ln and "主题文件会原样发布到网站上" in ln and "不能含有脚本" in ln for ln in lines), lines


@pytest.mark.parametrize("name,text", [
    ("assets/data/低保名单.csv", f"姓名,身份证号\n张三,{ID}\n"),
    ("assets/notes.txt", f"联系人 张三 {ID}"),
    ("assets/people.json", f'{{"id": "{ID}"}}'),
    ("assets/search/extra.js", f'var who = "{ID}";'),
    ("assets/marks/card.svg", f'<svg xmlns="http://www.w3.org/2000/svg"><text>{ID}</text></svg>'),
])
def test_personal_numbers_in_published_theme_files_are_refused(site, name, text):
    path = site / "overrides" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    masked = ID[:2] + "*" * 13 + ID[-3:]
    lines = [p.format() for p in theme_problems(site)]
    assert any(ln.startswith(f"overrides/{name}:") and f"含有未脱敏的身份证号（{masked}）" in ln
               and "主题文件会原样发布到网站上，不能含有个人信息" in ln for ln in lines), lines


def test_check_refuses_them_naming_each_file(site):
    (site / "overrides" / "assets" / "x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8")
    (site / "overrides" / "assets" / "名单.csv").write_text(f"姓名,身份证号\n张三,{ID}\n", encoding="utf-8")
    result = check(site)
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert any(ln.startswith("overrides/assets/x.svg:1: ") and "带有事件处理属性 onload" in ln for ln in out), out
    assert any(ln.startswith("overrides/assets/名单.csv:2: 含有未脱敏的身份证号") for ln in out), out


def test_templates_are_not_published_files(site):
    # MkDocs renders *.html in the theme folder as Jinja templates and never copies them:
    # they are the publishers' to approve, not judged as published files
    (site / "overrides" / "partials" / "extra.html").write_text("<script>var a = 1;</script>", encoding="utf-8")
    (site / "overrides" / "README.md").write_text(f"维护人 {ID}", encoding="utf-8")
    assert theme_problems(site) == []


@pytest.mark.build
def test_the_build_refuses_it_too(site, tmp_path):
    from conftest import mkdocs_build_here

    shutil.copytree(ROOT / "hooks", site / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "overrides" / "assets" / "x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8")
    built, messages = mkdocs_build_here(site, tmp_path / "out")
    assert not built
    assert "overrides/assets/x.svg" in messages
