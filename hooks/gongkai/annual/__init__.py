"""The yearly report (政府信息公开工作年度报告) in the national format.

Registers and typed figures (``registers``), the table layout (``layout``), the arithmetic and
identities (``tables``), the statistics from items (``statistics``), the agency's text with
placeholders (``narrative``), assembled per year by ``years.load_annual``.
"""
