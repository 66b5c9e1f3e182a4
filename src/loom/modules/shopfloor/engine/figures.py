"""Arithmetic of the shop-floor figures: WIP, progress, efficiency and exact money and minutes.

Pure functions over numbers the counter tables hold; no database, no web. Money and minutes
arrive as integers in ten-thousandths (``*_e4``) and leave as exact decimal strings, so nothing
here ever passes through a float.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from loom.modules.shopfloor.engine.events import LOCAL_TZ

#: integers are stored in ten-thousandths of a CNY or of a minute
E4 = 10_000
#: an operator-hour on a line counts this many attended minutes in the efficiency figure
MINUTES_PER_OPERATOR_HOUR = 60


@dataclass(frozen=True, slots=True)
class Step:
    """One operation of a routing: its place and the operations that must precede it."""

    operation_id: int
    seq: int
    predecessors: tuple[int, ...] = ()


def wip_by_operation(
    steps: Sequence[Step], done: Mapping[int, int], cut_qty: int
) -> dict[int, int]:
    """Return the work in progress (WIP) at each operation of one order's routing.

    WIP at an operation = pieces done at its routing predecessors (the minimum over the
    predecessors; for an operation without predecessors, the pieces cut in bundles for the
    order) minus pieces done at this operation, never below 0. ``done`` maps operation ids to
    pieces done for the order on every line. A predecessor that is not (or no longer) part of
    the routing is ignored rather than counted as zero.
    """
    in_routing = {step.operation_id for step in steps}
    wip: dict[int, int] = {}
    for step in steps:
        before = [p for p in step.predecessors if p in in_routing]
        arrived = min(done.get(p, 0) for p in before) if before else cut_qty
        wip[step.operation_id] = max(0, arrived - done.get(step.operation_id, 0))
    return wip


def final_operation(steps: Iterable[Step]) -> int | None:
    """Return the style's final operation (the highest routing seq), or None without a routing."""
    last = max(steps, key=lambda step: step.seq, default=None)
    return None if last is None else last.operation_id


def progress(finished: int, total: int) -> Fraction:
    """Return order progress: pieces done at the final operation ÷ the order's total pieces."""
    return Fraction(finished, total) if total > 0 else Fraction(0)


def efficiency(earned_e4: int, operator_hours: int) -> Fraction | None:
    """Return earned standard minutes ÷ attended minutes, each operator-hour being 60 minutes.

    ``earned_e4`` is Σ earned minutes in ten-thousandths over a window and ``operator_hours``
    the number of operator-hour rows of the line in that window; None when nobody attended.
    """
    if operator_hours <= 0:
        return None
    return Fraction(earned_e4, MINUTES_PER_OPERATOR_HOUR * E4 * operator_hours)


def _half_up(value: Fraction) -> int:
    """Return ``value`` rounded to the nearest integer, halves away from zero."""
    magnitude = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return magnitude if value >= 0 else -magnitude


def percent(value: Fraction | None, digits: int = 1) -> str | None:
    """Return a ratio as a percentage with ``digits`` decimals (half up), e.g. ``"87.5"``."""
    if value is None:
        return None
    scaled = _half_up(value * 100 * 10**digits)
    return f"{Decimal(scaled).scaleb(-digits):.{digits}f}"


def decimal_e4(value_e4: int) -> Decimal:
    """Return a ten-thousandths integer as the exact Decimal it stands for."""
    return Decimal(value_e4).scaleb(-4)


def _places(value: Decimal, least: int) -> int:
    """Return the decimals needed to show ``value`` exactly, and at least ``least``."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(least, -exponent)


def plain_e4(value_e4: int, least: int = 2) -> str:
    """Return an exact decimal string with at least ``least`` decimals: 123450 → ``"12.345"``."""
    value = decimal_e4(value_e4)
    return f"{value:.{_places(value, least)}f}"


def grouped_e4(value_e4: int, least: int = 2) -> str:
    """Return :func:`plain_e4` with thousands separators, for pages: ``"1,234.50"``."""
    value = decimal_e4(value_e4)
    return f"{value:,.{_places(value, least)}f}"


def day_window(day: date) -> tuple[datetime, datetime]:
    """Return the UTC start (inclusive) and end (exclusive) of a local (Beijing) day."""
    start = datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), LOCAL_TZ).astimezone(UTC)
    return start, end


def local_label(hour: datetime) -> str:
    """Return the local clock hour a UTC hour starts at, e.g. ``"08:00"``."""
    return hour.astimezone(LOCAL_TZ).strftime("%H:00")


def local_time(value: datetime | None) -> str:
    """Return a UTC time as the factory's clock shows it, e.g. ``"2026-03-10 08:15"``."""
    return "—" if value is None else value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def local_today(now: datetime) -> date:
    """Return the factory's calendar day at ``now``."""
    return now.astimezone(LOCAL_TZ).date()


def month_window(first: date) -> tuple[date, date]:
    """Return the first day of a month and the first day of the next one."""
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first.replace(day=1), following
