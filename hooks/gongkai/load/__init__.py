"""From files to the validated model: catalog, items, rules pages, links between them.

``loader.load_model`` reads everything under ``catalog/`` and ``content/`` (except the annual
narratives), validates each file against ``gongkai.schema`` and collects every problem. One
module per job: ``files`` (which files are items), ``catalog``, ``items`` (every item file),
``item_file`` (one file read and guarded), ``item_fields`` (what it says about the catalog),
``relations`` (between items), ``rules``, ``synonyms``, ``cache`` (the preview's), ``context``
(one load's options and look-ups), ``validation`` (pydantic, in Chinese).
"""
