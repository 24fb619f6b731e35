"""The preview server: ``make serve`` (``python -m mkdocs_preview`` with ``hooks/`` on the path).

It drives MkDocs itself, so it lives beside the adapter, never in the ``gongkai`` package.
The model is loaded first, its item files read on every core (``prefill``); while MkDocs' own
full build runs, a forked process serves item pages rendered on request from that model
(``early``). After that build each save re-reads only the changed
files (``gongkai.load.loader.ItemCache``), renders again only pages whose context changed
(``gongkai.render.memo``), converts and themes only pages whose Markdown changed, and writes
the search index, open data and feeds in a background process, rewriting only changed files.
"""
