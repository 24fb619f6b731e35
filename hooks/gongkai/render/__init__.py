"""From the validated model to output files: pages (Markdown for MkDocs), listings, feeds,
open data, sitemap, annual and audit pages.

``outputs.render_site`` is the one entry; ``background`` writes the detachable outputs in a
forked process while MkDocs converts pages.
"""
