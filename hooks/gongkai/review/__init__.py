"""What a change publishes: the diff of two revisions' models (``diff``: each side read by
``snapshot``, an item's fields, body and attachments compared by ``content``, the 索引号 and
发布日期 rules in ``numbers``), its Markdown and JSON report (``report``), git access (``git``),
the forge comment (``forge``). (``gongkai new`` lives in ``cli.new``.)"""
