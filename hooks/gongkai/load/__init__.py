"""From files to the validated model: catalog, items, rules pages, links between them.

``loader.load_model`` reads everything under ``catalog/`` and ``content/`` (except the annual
narratives), validates each file against ``gongkai.schema`` and collects every problem.
"""
