"""Working days under the State Council holiday calendar, including 调休.

``chinese_calendar`` knows the official arrangement for the years it ships
(2004 to its release year). Outside those years this falls back to Monday to
Friday, and ``covered`` tells callers whether a figure is exact.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar


def covered(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@cache
def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start).

    A document signed on a Friday and published the next Monday took one
    working day; the day the clock starts does not count (《条例》 counts
    time limits from the day after the information is formed).
    """
    if end <= start:
        return 0
    count, day = 0, start
    one = dt.timedelta(days=1)
    while day < end:
        day += one
        count += is_workday(day)
    return count


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date on which ``days`` working days after ``start`` have passed."""
    day, left = start, days
    one = dt.timedelta(days=1)
    while left > 0:
        day += one
        left -= is_workday(day)
    return day
