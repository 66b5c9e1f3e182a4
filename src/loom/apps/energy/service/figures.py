"""Consumption figures from stored readings, shop-floor output and revenue."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Integer, and_, bindparam, cast, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

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
from loom.apps.energy.engine.readings import Reading, period_intervals, register_intervals
from loom.apps.energy.models import EnergyMeter, EnergyReading
from loom.apps.energy.service import revenue
from loom.apps.energy.service.meters import all_meters
from loom.apps.energy.settings import load_settings
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.events import LOCAL_TZ as SHOPFLOOR_TZ
from loom.modules.shopfloor.engine.events import local_day
from loom.modules.shopfloor.models import LineHour

#: the longest span one request may add up (four years of days)
MAX_DAYS = 4 * 366


def _readings_stmt(registers: int, periods: bool) -> Any:
    """Return the readings select for ``registers`` register meters (and period meters).

    Built once per shape (its subqueries cost more to build than to run) with bound
    parameters: ``org_id``, ``start``/``end`` (instants), ``first``/``last`` (days), ``register``
    and ``period`` (meter ids) and ``m0``… (each register meter's id, for its edges).
    """
    key = (registers, periods)
    cached = _READINGS.get(key)
    if cached is not None:
        return cached
    r, near = EnergyReading, aliased(EnergyReading)
    org_id = bindparam("org_id", type_=Integer)
    start: Any = bindparam("start")
    end: Any = bindparam("end")

    def edge(meter_id: Any, bound: Any, side: Any) -> Any:
        # one uncorrelated subquery per meter and side: an index lookup each, evaluated once,
        # so the cost does not grow with the meter's history
        nearest = select(bound).where(near.org_id == org_id, near.meter_id == meter_id, side)
        return and_(r.meter_id == meter_id, r.read_at == nearest.scalar_subquery())

    wanted = []
    if registers:
        ids: Any = bindparam("register", expanding=True)
        wanted.append(and_(r.meter_id.in_(ids), r.read_at >= start, r.read_at <= end))
    if periods:
        periods_of: Any = bindparam("period", expanding=True)
        first: Any = bindparam("first")
        last: Any = bindparam("last")
        wanted.append(
            and_(r.meter_id.in_(periods_of), r.period_start <= last, r.period_end >= first)
        )
    for n in range(registers):
        meter_id = bindparam(f"m{n}", type_=Integer)
        wanted.append(edge(meter_id, func.max(near.read_at), near.read_at < start))
        wanted.append(edge(meter_id, func.min(near.read_at), near.read_at > end))
    columns = (r.meter_id, r.read_at, r.value_e4, r.multiplier_e4, r.event, r.old_final_e4)
    stmt = select(*columns, r.period_start).where(r.org_id == org_id, or_(*wanted))
    if len(_READINGS) >= 64:
        _READINGS.clear()
    _READINGS[key] = stmt
    return stmt


_READINGS: dict[tuple[int, bool], Any] = {}


def _readings(
    session: Session, meters: Sequence[EnergyMeter], first: date, last: date
) -> dict[int, list[Reading]]:
    """Return each meter's readings that bear on ``first``..``last``, in one statement.

    A register meter's readings inside the window and the nearest one on either side (they
    close the intervals that cross its edges); a period meter's periods that overlap the days.
    Only the columns the engine needs, not ORM objects (a dashboard reads every meter's month).
    """
    found: dict[int, list[Reading]] = {m.id: [] for m in meters}
    if not meters:
        return found
    register = [m.id for m in meters if m.mode != "period"]
    period = [m.id for m in meters if m.mode == "period"]
    params: dict[str, Any] = {
        "org_id": meters[0].org_id,
        "start": day_start(first),
        "end": day_start(last + timedelta(days=1)),
        "register": register,
        "period": period,
        "first": first,
        "last": last,
    }
    params.update({f"m{n}": meter_id for n, meter_id in enumerate(register)})
    stmt = _readings_stmt(len(register), bool(period))
    rows = session.execute(stmt, params).all()
    for meter_id, at, value, multiplier, event, old_final, period_start in rows:
        found[meter_id].append(
            Reading(
                at=at,
                value_e4=value,
                multiplier_e4=multiplier,
                event=event,
                old_final_e4=old_final,
                start=day_start(period_start) if period_start is not None else None,
            )
        )
    return found


def meter_series(
    session: Session, meters: Sequence[EnergyMeter], first: date, last: date
) -> tuple[list[MeterSeries], int]:
    """Return each meter's consumption per day from ``first`` to ``last``, and skipped intervals."""
    found: list[MeterSeries] = []
    skipped = 0
    readings = _readings(session, meters, first, last)
    for meter in meters:
        rows = readings[meter.id]
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
    window = (
        LineHour.org_id == scope.org_id,
        LineHour.hour >= day_start(first),
        LineHour.hour < day_start(last + timedelta(days=1)),
    )
    found: defaultdict[int, defaultdict[date, int]] = defaultdict(lambda: defaultdict(int))
    if session.get_bind().dialect.name == "postgresql":
        # summed by local day in the database: one row per line and day instead of per hour
        day = cast(func.timezone(_ZONE, LineHour.hour), Date)
        stmt = select(LineHour.line_id, day, func.sum(LineHour.output_qty)).where(*window)
        for line_id, local, qty in session.execute(stmt.group_by(LineHour.line_id, day)).all():
            found[line_id][local] += int(qty or 0)
    else:
        stmt = select(LineHour.line_id, LineHour.hour, func.sum(LineHour.output_qty)).where(*window)
        by_hour = stmt.group_by(LineHour.line_id, LineHour.hour)
        for line_id, hour, qty in session.execute(by_hour).all():
            found[line_id][local_day(hour)] += int(qty or 0)
    return {line: dict(days) for line, days in found.items()}


#: the factories' zone as an SQL literal (a constant: GROUP BY must see the same expression)
_ZONE: Any = literal_column(f"'{SHOPFLOOR_TZ.key}'")


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
    session: Session,
    scope: Scope,
    first: date,
    last: date,
    line_id: int | None = None,
    meters: Sequence[EnergyMeter] | None = None,
) -> Dashboard:
    """Return the consumption of the factory (or one line) from ``first`` to ``last``.

    ``meters``: the enterprise's meters when the caller has read them already.
    """
    check_span(first, last)
    coefficients = load_settings(session, scope.org_id).coefficients()
    if meters is None:
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
