"""Files written by a second process: all of them, or a failed build that says why."""

from __future__ import annotations

import re

import pytest
from conftest import BUILD_DATE, ROOT, file_digests, mkdocs_build

from gongkai.render import background
from gongkai.render.pages import StaticFile


def test_the_child_writes_every_file(tmp_path):
    files = [StaticFile(f"idx/t/{n}.json", content=f'{{"n":{n}}}'.encode()) for n in range(20)]
    job = background.FileJob(lambda: iter(files), tmp_path)
    assert job.wait() == 20
    assert (tmp_path / "idx/t/7.json").read_text() == '{"n":7}'


def test_a_failure_in_the_child_reaches_the_build(tmp_path):
    def produce():
        yield StaticFile("idx/meta.json", content=b"{}")
        raise KeyError("分片 3")

    job = background.FileJob(produce, tmp_path)
    with pytest.raises(RuntimeError, match="KeyError: '分片 3'"):
        job.wait()


def test_the_child_starts_before_the_parent_hands_it_the_rest(tmp_path):
    handover = background.Handover()

    def produce():
        yield StaticFile("early.json", content=b"{}")
        for name in handover.receive():
            yield StaticFile(name, content=b"late")

    job = background.FileJob(produce, tmp_path)
    handover.send(["sitemap.xml", "b/late.txt"])
    assert job.wait() == 3
    assert (tmp_path / "b/late.txt").read_bytes() == b"late"


def test_a_child_waiting_for_a_parent_that_gave_up_fails(tmp_path):
    handover = background.Handover()
    job = background.FileJob(lambda: iter([StaticFile(str(handover.receive()), content=b"")]), tmp_path)
    handover._send.close()  # the parent stops without handing anything over (an error before it)
    with pytest.raises(RuntimeError, match="EOFError"):
        job.wait()


def test_one_process_or_two_the_site_is_the_same(tmp_path, monkeypatch, built_site):
    monkeypatch.setenv("GONGKAI_JOBS", "1")
    mkdocs_build(ROOT, tmp_path / "serial", BUILD_DATE)
    serial = file_digests(tmp_path / "serial")
    assert any(re.match(r"search/idx/[0-9a-f]{12}/t/", path) for path in serial)
    assert "catalogue.json" in serial and "feed.xml" in serial
    assert serial == file_digests(built_site)  # built with GONGKAI_JOBS=2 (conftest.py)
