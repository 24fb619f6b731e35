"""The build's shortcuts (one Markdown converter, one theme frame per page shape) change no byte."""

from __future__ import annotations

import re

from conftest import BUILD_DATE, ROOT, copy_project, file_digests, mkdocs_build


def _frame_counts(stderr: str) -> dict[str, int]:
    match = re.search(r"页面外框 (\d+) 种，\{'filled': (\d+), 'themed': (\d+)\}", stderr)
    assert match, stderr[-2000:]
    shapes, filled, themed = map(int, match.groups())
    return {"shapes": shapes, "filled": filled, "themed": themed}


def test_shortcuts_write_the_same_site_as_mkdocs_and_material_alone(built_site, tmp_path, monkeypatch):
    result = mkdocs_build(ROOT, tmp_path / "fast", BUILD_DATE, True, "-v")
    counts = _frame_counts(result.stderr)
    items = len(list((built_site / "items").glob("*/*/index.html")))
    assert counts["filled"] >= items > 50  # every item page took the shortcut
    assert file_digests(tmp_path / "fast") == file_digests(built_site)

    monkeypatch.setenv("GONGKAI_THEME_SHELL", "0")
    monkeypatch.setenv("GONGKAI_SHARED_MARKDOWN", "0")
    result = mkdocs_build(ROOT, tmp_path / "plain", BUILD_DATE, True, "-v")
    assert "页面外框" not in result.stderr
    assert file_digests(tmp_path / "plain") == file_digests(built_site)


def test_a_theme_that_shows_something_of_each_page_is_rendered_page_by_page(tmp_path):
    # a site owner's override prints each page's source path: a frame shared by all item pages
    # would repeat one page's path everywhere; the shortcut must notice and stand down
    project = copy_project(tmp_path / "project")
    main = project / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8") + (
        '\n{% block footer %}{{ super() }}{% if page %}<p class="who">{{ page.file.src_uri }}</p>{% endif %}{% endblock %}\n'),
        encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site", BUILD_DATE, True, "-v")
    counts = _frame_counts(result.stderr)
    assert counts["themed"] > counts["filled"]
    pages = sorted((tmp_path / "site" / "items").glob("*/*/index.html"))
    assert len(pages) > 50
    for page in pages:
        source = page.parent.relative_to(tmp_path / "site").as_posix() + "/index.md"
        assert f'<p class="who">{source}</p>' in page.read_text(encoding="utf-8")
