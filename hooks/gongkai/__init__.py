"""gongkai: build a government information-disclosure site from Markdown items.

The package is independent of any site generator: it loads and validates
``content/`` and ``catalog/`` into a typed model and renders pages, feeds and
data files from it. ``hooks/mkdocs_gongkai.py`` adapts it to MkDocs.
"""

__version__ = "0.1.0"
