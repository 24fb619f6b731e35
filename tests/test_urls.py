"""Relative links between pages: the site must work from a domain root or any sub-path."""

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from gongkai.urls import relative

segment = st.sampled_from(["items", "catalogue", "a", "b", "002501001", "2025-00001", "page", "2",
                           "feed.xml", "x.csv", ".", ".."])
path = st.lists(segment, max_size=5).map("/".join)
url = st.tuples(path, st.booleans()).map(lambda p: p[0] + "/" if p[0] and p[1] else p[0])


def reference(target: str, page_url: str) -> str:
    """The definition: posixpath.relpath from the page's folder, keeping a trailing slash."""
    base = page_url if page_url.endswith("/") or page_url == "" else posixpath.dirname(page_url) + "/"
    if target == base:
        return "./"
    rel = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


@given(url, url)
def test_relative_matches_relpath(target, page_url):
    assert relative(target, page_url) == reference(target, page_url)


def test_links_a_reader_follows():
    item = "items/002501001/2025-00001/"
    assert relative("catalogue/gz/", item) == "../../../catalogue/gz/"
    assert relative("items/002501001/2025-00002/", item) == "../2025-00002/"
    assert relative("", item) == "../../.."
    assert relative(item, item) == "./"
    assert relative("items/002501001/2025-00001/a.csv", item) == "a.csv"
    assert relative("feed.xml", "") == "feed.xml"
