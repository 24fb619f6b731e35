"""What a change publishes: the diff of two revisions' models (``diff``: each side read by
``snapshot``, an item's fields, body and attachments compared by ``content``, the 索引号 and
发布日期 rules in ``numbers``, review records and exceptions in ``records``), every other
changed file (``files`` names its kind, ``describe`` says what it changes, with
``annual_diff``, ``catalog_diff`` and ``links``), its Markdown and JSON report (``report``,
author text through ``escape``), git access (``git``), the forge comment (``forge``).
(``gongkai new`` lives in ``cli.new``.)"""
