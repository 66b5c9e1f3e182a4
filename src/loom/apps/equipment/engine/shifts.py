"""Shift windows: when a line's machines are planned to work on a day, and their breaks.

A shift starts at a local time, holds a number of working minutes (the master-data line's
``shift_minutes``) and the breaks that fall inside it; the window is stretched by each break
it meets, so 480 working minutes from 08:00 with lunch 12:00–13:00 end at 17:00. Breaks are
planned stops: they are excluded from planned production time. A break given before the
shift's start time belongs to the next calendar day (night shifts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from loom.apps.equipment.engine.timeline import PLANNED_STOP, Span

BREAK_REASON = "break"


@dataclass(frozen=True)
class ShiftPlan:
    """A shift's local start, working minutes and breaks (local start and end times)."""

    start: time
    minutes: int
    breaks: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True)
class ShiftWindow:
    """One shift on one day: its window and its planned stops."""

    day: date
    start: datetime
    end: datetime
    breaks: tuple[Span, ...]


def _at(day: date, start: time, moment: time, tz: tzinfo) -> datetime:
    """Return ``moment`` on the shift's day, or on the next day when it comes before the start."""
    when = day if moment >= start else day + timedelta(days=1)
    return datetime.combine(when, moment, tz)


def shift_window(day: date, plan: ShiftPlan, tz: tzinfo) -> ShiftWindow:
    """Return the shift of ``day``: its start, its end after the breaks it meets, the breaks."""
    if plan.minutes < 0:
        raise ValueError("a shift cannot hold negative minutes")
    start = datetime.combine(day, plan.start, tz)
    pauses = sorted(
        (_at(day, plan.start, a, tz), _at(day, plan.start, b, tz)) for a, b in plan.breaks if b != a
    )
    end, remaining = start, timedelta(minutes=plan.minutes)
    taken: list[Span] = []
    for pause_start, pause_end in pauses:
        if pause_end <= pause_start:
            # a break across midnight, e.g. 23:30–00:30
            pause_end += timedelta(days=1)
        if pause_start < end or remaining <= timedelta(0):
            continue
        if pause_start - end >= remaining:
            break
        remaining -= pause_start - end
        taken.append(Span(pause_start, pause_end, PLANNED_STOP, BREAK_REASON))
        end = pause_end
    return ShiftWindow(day, start, end + remaining, tuple(taken))
