"""Consumption per day, per line and per piece; energy per 100 CNY of revenue; R1's change.

Intervals between readings rarely match calendar days, so each interval's consumption is
spread over the local days it covers in proportion to its seconds in each day (a reading taken
every morning at eight puts 16/24 of the interval on its first day). Periods from bills spread
evenly over their days the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from loom.apps.energy.engine.coefficients import Coefficients, to_kgce
from loom.apps.energy.engine.readings import LOCAL_TZ, Interval

#: a change of energy per revenue smaller than this fraction either way reads as "flat" (持平)
FLAT_BAND = Decimal("0.01")


def day_start(day: date) -> datetime:
    """Return the instant a local day begins."""
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def spread_by_day(intervals: Iterable[Interval]) -> dict[date, Decimal]:
    """Return consumption per local day, each interval spread by its seconds in each day."""
    days: defaultdict[date, Decimal] = defaultdict(Decimal)
    for interval in intervals:
        total = Decimal((interval.end - interval.start).total_seconds())
        if total <= 0:
            continue
        day = interval.start.astimezone(LOCAL_TZ).date()
        while True:
            begin = max(interval.start, day_start(day))
            end = min(interval.end, day_start(day + timedelta(days=1)))
            if end <= begin:
                break
            days[day] += interval.amount * Decimal((end - begin).total_seconds()) / total
            day += timedelta(days=1)
    return dict(days)


@dataclass(frozen=True)
class MeterSeries:
    """One meter's consumption per local day, with what it measures and where it hangs."""

    meter_id: int
    kind: str
    line_id: int | None
    main: bool
    by_day: Mapping[date, Decimal]


@dataclass(frozen=True)
class DayFigures:
    """One day of the factory (main meters) or of one line (its meters)."""

    day: date
    #: consumption per kind in the kind's unit
    amounts: Mapping[str, Decimal]
    kgce: Decimal
    pieces: int

    @property
    def kgce_per_piece(self) -> Decimal | None:
        """Return kgce per finished piece, or None on a day without pieces."""
        return self.kgce / self.pieces if self.pieces else None

    def per_piece(self, kind: str) -> Decimal | None:
        """Return one kind's consumption per finished piece, or None without pieces."""
        return self.amounts.get(kind, Decimal(0)) / self.pieces if self.pieces else None


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def day_figures(
    series: Sequence[MeterSeries],
    pieces: Mapping[date, int],
    first: date,
    last: date,
    coefficients: Coefficients,
) -> list[DayFigures]:
    """Return each day from ``first`` to ``last``: amounts per kind, kgce and pieces."""
    found = []
    for day in _days(first, last):
        amounts: defaultdict[str, Decimal] = defaultdict(Decimal)
        for meter in series:
            if day in meter.by_day:
                amounts[meter.kind] += meter.by_day[day]
        kgce = sum(
            (to_kgce(v, k, coefficients) for k, v in amounts.items() if coefficients.counted(k)),
            Decimal(0),
        )
        found.append(DayFigures(day, dict(amounts), kgce, pieces.get(day, 0)))
    return found


def factory_series(series: Sequence[MeterSeries]) -> list[MeterSeries]:
    """Return the meters whose consumption makes the factory's total (main meters)."""
    return [m for m in series if m.main]


def line_series(series: Sequence[MeterSeries], line_id: int) -> list[MeterSeries]:
    """Return the meters on one line (attached to it or to one of its machines)."""
    return [m for m in series if m.line_id == line_id]


@dataclass(frozen=True)
class PeriodIntensity:
    """A period's energy, revenue and energy per 100 CNY of revenue."""

    first_month: date
    last_month: date
    kgce: Decimal
    revenue: Decimal
    #: months of the period without a revenue figure
    missing_revenue: tuple[date, ...]
    #: days of the period with some consumption recorded
    days_with_data: int
    days: int

    @property
    def tce(self) -> Decimal:
        """Return the period's energy in tonnes of standard coal equivalent."""
        return self.kgce / 1000

    @property
    def kgce_per_100_cny(self) -> Decimal | None:
        """Return kgce per 100 CNY of revenue, or None when revenue is missing or zero."""
        if self.missing_revenue or self.revenue <= 0:
            return None
        return self.kgce / (self.revenue / 100)


def months(first_month: date, last_month: date) -> list[date]:
    """Return the first days of every month from ``first_month`` to ``last_month``."""
    found = []
    month = first_month.replace(day=1)
    while month <= last_month:
        found.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return found


def month_end(month: date) -> date:
    """Return the last day of ``month``'s month."""
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def period_intensity(
    kgce_by_day: Mapping[date, Decimal],
    revenue_by_month: Mapping[date, Decimal],
    first_month: date,
    last_month: date,
) -> PeriodIntensity:
    """Return a period's kgce, revenue and energy per 100 CNY from daily kgce and revenue."""
    wanted = months(first_month, last_month)
    first, last = wanted[0], month_end(wanted[-1])
    in_period = {d: v for d, v in kgce_by_day.items() if first <= d <= last}
    return PeriodIntensity(
        first_month=wanted[0],
        last_month=wanted[-1],
        kgce=sum(in_period.values(), Decimal(0)),
        revenue=sum((revenue_by_month.get(m, Decimal(0)) for m in wanted), Decimal(0)),
        missing_revenue=tuple(m for m in wanted if m not in revenue_by_month),
        days_with_data=sum(1 for v in in_period.values() if v > 0),
        days=(last - first).days + 1,
    )


@dataclass(frozen=True)
class Change:
    """R1: energy per 100 CNY of revenue before and after, and what it reads as."""

    before: PeriodIntensity
    after: PeriodIntensity

    @property
    def ratio(self) -> Decimal | None:
        """Return (after − before) / before, or None when either intensity is unknown."""
        b, a = self.before.kgce_per_100_cny, self.after.kgce_per_100_cny
        if b is None or a is None or b == 0:
            return None
        return (a - b) / b

    @property
    def option(self) -> str | None:
        """Return R1's option: A 增加 (up), B 持平 (within ±1 %), C 降低 (down); None if unknown."""
        ratio = self.ratio
        if ratio is None:
            return None
        if ratio >= FLAT_BAND:
            return "A"
        if ratio <= -FLAT_BAND:
            return "C"
        return "B"
