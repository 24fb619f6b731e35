"""What a change publishes: the diff of two revisions' models (``diff``), its Markdown and JSON
report (``report``), git access (``git``), the forge comment (``forge``), and ``new`` for the next
item file."""
