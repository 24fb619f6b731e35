"""Speed shortcuts inside MkDocs' own build, used only by the adapter (``mkdocs_gongkai.py``).

Each reaches into MkDocs or Material internals, so each has a switch that turns it off and a
test proving the built site is byte-identical either way:

- ``theme_shell``: Material's frame rendered once per page shape (``GONGKAI_THEME_SHELL=0``);
- ``shared_markdown``: one Markdown converter per build (``GONGKAI_SHARED_MARKDOWN=0``);
- ``parallel``: forked workers convert the last pages while MkDocs converts the first
  (``GONGKAI_JOBS=1``);
- ``page_cache``: converted pages kept across builds, only with ``GONGKAI_CACHE=<folder>``
  (off by default; ``tests/test_build_cache.py`` holds a cached site equal to a clean one).

They are the first thing to drop when MkDocs is replaced; the ``gongkai`` package never needs them.
``internals`` holds every MkDocs-private name they, the adapter and the preview use, behind
one version check (MkDocs or ProperDocs 1.6).
"""
