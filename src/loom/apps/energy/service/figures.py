"""Consumption figures from stored readings, shop-floor output and revenue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.energy.engine.coefficients import Coefficients
from loom.apps.energy.engine.consumption import (
    Change,
    DayFigures,
    MeterSeries,
    day_figures,
    day_start,
    factory_series,
    line_series,
    month_end,
    period_intensity,
    spread_by_day,
)
from loom.apps.energy.engine.readings import period_intervals, register_intervals
from loom.apps.energy.models import EnergyMeter, EnergyReading
from loom.apps.energy.service import revenue
from loom.apps.energy.service.meters import all_meters
from loom.apps.energy.service.readings import as_reading
from loom.apps.energy.settings import load_settings
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.events import local_day
from loom.modules.shopfloor.models import LineHour

#: the longest span one request may add up (four years of days)
MAX_DAYS = 4 * 366


def _readings(session: Session, meter: EnergyMeter, first: date, last: date) -> list[EnergyReading]:
    base = select(EnergyReading).where(
        EnergyReading.org_id == meter.org_id, EnergyReading.meter_id == meter.id
    )
    start, end = day_start(first), day_start(last + timedelta(days=1))
    if meter.mode == "period":
        stmt = base.where(EnergyReading.period_start <= last, EnergyReading.period_end >= first)
        return list(session.scalars(stmt))
    inside = list(
        session.scalars(base.where(EnergyReading.read_at >= start, EnergyReading.read_at <= end))
    )
    # the readings just outside the window close the intervals that cross its edges
    before = session.scalars(
        base.where(EnergyReading.read_at < start).order_by(EnergyReading.read_at.desc()).limit(1)
    ).first()
    after = session.scalars(
        base.where(EnergyReading.read_at > end).order_by(EnergyReading.read_at).limit(1)
    ).first()
    return [r for r in (before, *inside, after) if r is not None]


def meter_series(
    session: Session, meters: Sequence[EnergyMeter], first: date, last: date
) -> tuple[list[MeterSeries], int]:
    """Return each meter's consumption per day from ``first`` to ``last``, and skipped intervals."""
    found: list[MeterSeries] = []
    skipped = 0
    for meter in meters:
        rows = [as_reading(r) for r in _readings(session, meter, first, last)]
        if meter.mode == "period":
            intervals = period_intervals(rows)
        else:
            intervals, bad = register_intervals(rows, meter.rollover_at_e4)
            skipped += bad
        days = {d: v for d, v in spread_by_day(intervals).items() if first <= d <= last}
        found.append(MeterSeries(meter.id, meter.kind, meter.line_id, meter.main, days))
    return found, skipped


def pieces_by_line(
    session: Session, scope: Scope, first: date, last: date
) -> dict[int, dict[date, int]]:
    """Return finished garments per line and local day (line 0: scans without a line)."""
    stmt = (
        select(LineHour.line_id, LineHour.hour, func.sum(LineHour.output_qty))
        .where(
            LineHour.org_id == scope.org_id,
            LineHour.hour >= day_start(first),
            LineHour.hour < day_start(last + timedelta(days=1)),
        )
        .group_by(LineHour.line_id, LineHour.hour)
    )
    found: defaultdict[int, defaultdict[date, int]] = defaultdict(lambda: defaultdict(int))
    for line_id, hour, qty in session.execute(stmt):
        found[line_id][local_day(hour)] += int(qty or 0)
    return {line: dict(days) for line, days in found.items()}


@dataclass(frozen=True)
class Total:
    """Consumption of a span of days for the factory, a line or a meter."""

    amounts: dict[str, Decimal]
    kgce: Decimal
    pieces: int

    @property
    def kgce_per_piece(self) -> Decimal | None:
        """Return kgce per finished piece, or None without pieces."""
        return self.kgce / self.pieces if self.pieces else None

    def per_piece(self, kind: str) -> Decimal | None:
        """Return one kind's consumption per finished piece, or None without pieces."""
        return self.amounts.get(kind, Decimal(0)) / self.pieces if self.pieces else None


def total_of(days: Sequence[DayFigures]) -> Total:
    """Return the sum of some days."""
    amounts: defaultdict[str, Decimal] = defaultdict(Decimal)
    for day in days:
        for kind, value in day.amounts.items():
            amounts[kind] += value
    return Total(
        dict(amounts), sum((d.kgce for d in days), Decimal(0)), sum(d.pieces for d in days)
    )


@dataclass(frozen=True)
class Dashboard:
    """The figures of a span of days: per day, in total, per line and per meter."""

    first: date
    last: date
    line_id: int | None
    days: list[DayFigures]
    total: Total
    lines: dict[int, Total]
    meters: dict[int, Decimal]
    skipped: int
    coefficients: Coefficients


def check_span(first: date, last: date) -> None:
    """Refuse a span that ends before it starts or is too long to add up at once."""
    if last < first:
        raise ValidationFailed("to: the span ends before it starts", field="to")
    if (last - first).days >= MAX_DAYS:
        raise ValidationFailed("to: at most %(n)s days at once", field="to", params={"n": MAX_DAYS})


def dashboard(
    session: Session, scope: Scope, first: date, last: date, line_id: int | None = None
) -> Dashboard:
    """Return the consumption of the factory (or one line) from ``first`` to ``last``."""
    check_span(first, last)
    coefficients = load_settings(session, scope.org_id).coefficients()
    meters = all_meters(session, scope)
    series, skipped = meter_series(session, meters, first, last)
    pieces = pieces_by_line(session, scope, first, last)
    if line_id is None:
        chosen = factory_series(series)
        wanted: dict[date, int] = defaultdict(int)
        for per_line in pieces.values():
            for day, qty in per_line.items():
                wanted[day] += qty
    else:
        chosen = line_series(series, line_id)
        wanted = defaultdict(int, pieces.get(line_id, {}))
    days = day_figures(chosen, wanted, first, last, coefficients)
    lines = {
        line: total_of(
            day_figures(line_series(series, line), pieces.get(line, {}), first, last, coefficients)
        )
        for line in sorted({m.line_id for m in series if m.line_id is not None})
    }
    by_meter = {m.meter_id: sum(m.by_day.values(), Decimal(0)) for m in series}
    return Dashboard(
        first, last, line_id, days, total_of(days), lines, by_meter, skipped, coefficients
    )


def r1_change(session: Session, scope: Scope, today: date) -> Change:
    """Return R1: energy per 100 CNY of revenue in the chosen before and after periods."""
    settings = load_settings(session, scope.org_id)
    (b_first, b_last), (a_first, a_last) = settings.periods(today)
    first = min(b_first, a_first)
    last = max(month_end(b_last), month_end(a_last))
    coefficients = settings.coefficients()
    series, _skipped = meter_series(session, factory_series_meters(session, scope), first, last)
    days = day_figures(series, {}, first, last, coefficients)
    kgce = {d.day: d.kgce for d in days}
    money = revenue.by_month(session, scope)
    return Change(
        before=period_intensity(kgce, money, b_first, b_last),
        after=period_intensity(kgce, money, a_first, a_last),
    )


def factory_series_meters(session: Session, scope: Scope) -> list[EnergyMeter]:
    """Return the main meters: those whose consumption makes the factory's total."""
    return [m for m in all_meters(session, scope) if m.main]
