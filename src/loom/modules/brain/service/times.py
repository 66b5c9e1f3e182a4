"""The brain's calendar: Beijing days and the default spans of its pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from loom.kernel.db.base import utcnow
from loom.modules.brain.engine.series import week_of

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
#: the indices open on the last twelve weeks
DEFAULT_WEEKS = 12


def today(now: datetime | None = None) -> date:
    """Return today in Beijing time, the enterprises' day."""
    return (now or utcnow()).astimezone(LOCAL_TZ).date()


def local_time(moment: datetime) -> str:
    """Return a stored (UTC) time as the enterprises' clock shows it."""
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def this_week() -> date:
    """Return the Monday of this week."""
    return week_of(today())


def default_span(start: date | None, end: date | None, *, ahead: bool = False) -> tuple[date, date]:
    """Return the span asked for, filling in the last twelve weeks up to today.

    ``ahead`` fills in this week and the eleven after it instead: planned figures (the
    utilisation of the adopted plan) lie in the future.
    """
    if ahead and start is None and end is None:
        first = this_week()
        return first, first + timedelta(weeks=DEFAULT_WEEKS, days=-1)
    last = end or today()
    first = start or week_of(last) - timedelta(weeks=DEFAULT_WEEKS - 1)
    return first, last
