"""解读 ↔ 原文 and 替代 ↔ 被替代 shown both ways; a reference to a missing id stops the build."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import BUILD_DATE, ROOT, build_with_broken_field
from sitehtml import anchors, article, page_html, resolve

from gongkai.pipeline import load_site


@pytest.fixture(scope="module")
def sample():
    return load_site(ROOT, dt.date.fromisoformat(BUILD_DATE))


def related(site, url: str) -> dict[str, str]:
    """Link target -> its line in the 相关信息 box."""
    html = article(page_html(site, url))
    if "gk-related" not in html:
        return {}
    box = html[html.index('class="gk-related"'):]
    box = box[:box.index("</section>")]
    return {resolve(url, a["href"]): text for a, text in anchors(box)}


def test_every_interpretation_and_its_policy_link_each_other(built_site, sample):
    pairs = [(i, sample.by_id[i.interprets]) for i in sample.public_items if i.interprets in sample.by_id]
    assert len(pairs) >= 3
    for interpretation, policy in pairs:
        assert related(built_site, interpretation.url).get(policy.url) == policy.title
        assert related(built_site, policy.url).get(interpretation.url) == interpretation.title
        assert "解读的文件（原文）" in article(page_html(built_site, interpretation.url))


def test_every_replaced_document_and_its_replacement_link_each_other(built_site, sample):
    pairs = [(i, sample.by_id[i.superseded_by]) for i in sample.public_items if i.superseded_by in sample.by_id]
    assert pairs
    for old, new in pairs:
        assert related(built_site, old.url).get(new.url) == new.title
        assert related(built_site, new.url).get(old.url) == old.title
        assert "本文件替代了" in article(page_html(built_site, new.url))


@pytest.mark.parametrize("label", ["解读对象", "替代文件"])
def test_dangling_reference_fails_the_build_naming_file_and_line(tmp_path, sample, label):
    item = next(i for i in sample.public_items
                if (i.interprets if label == "解读对象" else i.superseded_by))
    built, messages, line = build_with_broken_field(tmp_path, item.source, rf"^{label}: .*$",
                                                    f"{label}: 002501001/2019-09999", "2019-09999")
    assert not built
    assert f"{item.source}:{line}: {label}: 引用的索引号“002501001/2019-09999”不存在" in messages
    assert not (tmp_path / "site" / "index.html").exists()
