"""When the forge received a change: the only time a back-dating check may trust.

A commit's dates are whatever its author's machine (or ``GIT_COMMITTER_DATE``) says; the
pull-request event's time is the forge's own clock.
"""

from __future__ import annotations

import datetime as dt

CHINA = dt.timezone(dt.timedelta(hours=8))


def received_day(text: str) -> dt.date:
    """The day in China of an ISO time (``Z`` or an offset; none means China time)."""
    stamp = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=CHINA)
    return stamp.astimezone(CHINA).date()
