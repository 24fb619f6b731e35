"""The yearly report (政府信息公开工作年度报告) in the national format.

The sources in ``catalog/annual/`` (``registers``: the register files read as tables by
``register_table``, their rows checked by ``register_rows``; the yearly figures validated by
``year_file``), the table layout (``layout``), the arithmetic and
identities (``tables``), the statistics from items (``statistics``), the agency's text with
placeholders (``narrative``), assembled per year by ``years.load_annual`` (the site
owner's) and ``years.load_agency_annual`` (every other agency's own, from
``catalog/annual/<slug>/``); ``labels`` matches row labels as real reports print them.
"""
