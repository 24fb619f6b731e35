"""Yearly statistics of proactive disclosure, computed from the public items.

The figures self-inspection reports quote: items per month, per category, per
agency and per channel (门户网站公开 79 条), the share published within the
category's time limit after 成文日期, and the normative documents in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from gongkai import vocab
from gongkai.annual.tables import Application, in_force_documents, late_replies, period, public_items
from gongkai.model import Item, Site
from gongkai.workdays import workdays_between


@dataclass(frozen=True)
class YearStatistics:
    year: int
    as_of: dt.date
    total: int
    by_month: tuple[tuple[str, int], ...]
    by_category: tuple[tuple[str, str, int], ...]  # (code, name, count), top level
    by_agency: tuple[tuple[str, int], ...]
    by_channel: tuple[tuple[str, int], ...]
    timely: int  # published within the category's time limit after 成文日期
    in_force: tuple[Item, ...]  # 规章 and 行政规范性文件 in force at the period's end
    replies: int | None  # applications answered in the period; None before the register
    late: int | None  # answered late, or open past the deadline (a count only)
    reply_days: Decimal | None  # average working days from receipt to reply

    @property
    def timely_rate(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.timely * 100) / self.total).quantize(Decimal("0.1"), ROUND_HALF_UP)


def published_in(site: Site, year: int, as_of: dt.date, agency: str | None = None) -> list[Item]:
    start, end = period(year, as_of)
    return [i for i in public_items(site, agency) if start <= i.published <= end]


def compute_statistics(site: Site, year: int, as_of: dt.date,
                       apps: list[Application] | None, agency: str | None = None) -> YearStatistics:
    """``apps`` is None for a year whose tables were typed: the register does not cover it.
    ``agency``: one agency's report counts its own items only."""
    items = published_in(site, year, as_of, agency)
    months = [0] * 12
    for item in items:
        months[item.published.month - 1] += 1
    by_category = []
    for root in site.categories:
        codes = {c.code for c in root.walk()}
        by_category.append((root.code, root.name, sum(i.category.code in codes for i in items)))
    by_agency = tuple((a.name, sum(i.agency.code == a.code for i in items)) for a in site.agencies
                      if agency is None or a.code == agency)
    by_channel = tuple((ch, sum(ch in i.channels for i in items)) for ch in vocab.CHANNELS)
    timely = sum(workdays_between(i.created, i.published) <= i.category.time_limit for i in items)
    start, end = period(year, as_of)
    answered = [a for a in apps or [] if a.replied is not None and start <= a.replied <= end]
    days = [workdays_between(a.corrected or a.received, r) for a in answered if (r := a.replied) is not None]
    average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), ROUND_HALF_UP) if days else None
    replies = None if apps is None else len(answered)
    late = None if apps is None else len(late_replies(apps, year, as_of))
    return YearStatistics(
        year, as_of, len(items), tuple((f"{m}月", n) for m, n in enumerate(months, 1)),
        tuple(by_category), by_agency, by_channel, timely,
        tuple(sorted(in_force_documents(site, year, as_of, agency), key=lambda i: (i.created, i.id))),
        replies, late, average)
