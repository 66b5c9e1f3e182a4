"""OEE per machine, line and shift, and the downtime Pareto, from stored telemetry.

Each machine works its line's shift (``service.telemetry_settings``: the factory's shift start
and breaks, the line's ``shift_minutes``; a machine on no line works 480 minutes). Today's shift
counts only up to now. The figures follow ``engine.oee`` (sums before ratios, unknown time
apart). These functions read only the scope's organisation and return plain dataclasses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from loom.apps.equipment.engine.oee import Counts, Oee, combine, machine_oee, pareto
from loom.apps.equipment.engine.shifts import ShiftWindow, shift_window
from loom.apps.equipment.engine.timeline import Segment, StateReport, timeline
from loom.apps.equipment.models.telemetry import MachineTelemetrySetting, TelemetryRecord
from loom.apps.equipment.service.telemetry_settings import equipment_settings
from loom.kernel.db.base import utcnow
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine, ProductionLine

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
#: the working minutes of a machine that stands on no line
NO_LINE_MINUTES = 480
MAX_DAYS = 92


@dataclass(frozen=True)
class OeeFigures:
    """OEE's factors (0..1, None when unknown) and the minutes and pieces behind them."""

    availability: float | None
    performance: float | None
    performance_capped: bool
    quality: float | None
    oee: float | None
    planned_minutes: float
    running_minutes: float
    idle_minutes: float
    down_minutes: float
    unknown_minutes: float
    planned_stop_minutes: float
    good: int
    reject: int

    @classmethod
    def of(cls, value: Oee) -> OeeFigures:
        """Return the figures of an engine result, in minutes."""
        t = value.time
        return cls(
            availability=value.availability,
            performance=value.performance,
            performance_capped=value.performance_capped,
            quality=value.quality,
            oee=value.oee,
            planned_minutes=round(t.planned / 60, 1),
            running_minutes=round(t.running / 60, 1),
            idle_minutes=round(t.idle / 60, 1),
            down_minutes=round(t.down / 60, 1),
            unknown_minutes=round(t.unknown / 60, 1),
            planned_stop_minutes=round(t.planned_stop / 60, 1),
            good=value.counts.good,
            reject=value.counts.reject,
        )


@dataclass(frozen=True)
class MachineOee:
    """One machine's OEE on one day's shift."""

    machine_id: int
    code: str
    machine_type: str
    line_id: int | None
    line_code: str
    ideal_cycle_s: float | None
    figures: OeeFigures


@dataclass(frozen=True)
class LineOee:
    """A line's OEE over a period: its machines' shifts summed."""

    line_id: int
    code: str
    name: str
    machines: int
    figures: OeeFigures


@dataclass(frozen=True)
class ShiftOee:
    """A line's OEE on one shift."""

    line_id: int
    line_code: str
    day: date
    start: datetime
    end: datetime
    figures: OeeFigures


@dataclass(frozen=True)
class DowntimeReason:
    """A bar of the downtime Pareto: a reason, its minutes and its separate stoppages."""

    reason: str
    minutes: float
    count: int


@dataclass(frozen=True)
class _Cell:
    """One machine on one day's shift, evaluated."""

    machine: Machine
    line: ProductionLine | None
    window: ShiftWindow
    segments: list[Segment]
    result: Oee
    ideal_cycle_s: float | None


def _days(day_from: date, day_to: date) -> list[date]:
    """Return the days of a period; refuse a reversed or too long one (422 naming the field)."""
    if day_to < day_from:
        raise ValidationFailed("day_to: must not be before day_from", field="day_to")
    if (day_to - day_from).days >= MAX_DAYS:
        raise ValidationFailed(
            "day_to: at most %(max)s days at once", field="day_to", params={"max": MAX_DAYS}
        )
    return [day_from + timedelta(days=n) for n in range((day_to - day_from).days + 1)]


class _Record(NamedTuple):
    """The columns of a telemetry record that OEE reads."""

    machine_id: int
    ts: datetime
    kind: str
    state: str | None
    reason: str
    good: int
    reject: int


def _records_stmt() -> Any:
    """Return the one select of ``_records``, built once, with bound parameters.

    ``org``, ``ids`` (machine ids), ``lo`` and ``hi``: the records in [lo, hi), and each
    machine's last state report before ``lo`` (every one of those precedes the window, so
    time order keeps it first).
    """
    t = TelemetryRecord
    org: Any = bindparam("org", type_=Integer)
    ids: Any = bindparam("ids", expanding=True)
    lo: Any = bindparam("lo")
    columns = (t.machine_id, t.ts, t.kind, t.state, t.reason, t.good, t.reject)
    window = select(*columns).where(
        t.org_id == org, t.machine_id.in_(ids), t.ts >= lo, t.ts < bindparam("hi")
    )
    last = (
        select(t.machine_id, func.max(t.ts).label("ts"))
        .where(t.org_id == org, t.machine_id.in_(ids), t.kind == "state", t.ts < lo)
        .group_by(t.machine_id)
        .subquery()
    )
    before = (
        select(*columns)
        .join(last, (t.machine_id == last.c.machine_id) & (t.ts == last.c.ts))
        .where(t.org_id == org, t.kind == "state")
    )
    return union_all(before, window).order_by(t.ts.name)


_RECORDS = _records_stmt()
_SETTING = MachineTelemetrySetting
#: the active machines (of one line) with their ideal cycle times, built once
_MACHINES = (
    select(Machine, _SETTING.ideal_cycle_s)
    .outerjoin(_SETTING, (_SETTING.machine_id == Machine.id) & (_SETTING.org_id == Machine.org_id))
    .where(Machine.org_id == bindparam("org", type_=Integer), Machine.active.is_(True))
    .order_by(Machine.code)
)
_LINE_MACHINES = _MACHINES.where(Machine.line_id == bindparam("line", type_=Integer))


def _records(
    session: Session, org_id: int, machine_ids: list[int], lo: datetime, hi: datetime
) -> dict[int, list[_Record]]:
    """Return the machines' records in [lo, hi) and each one's last state report before lo.

    One statement, columns rather than ORM objects: a factory's day is ~1,000 records.
    """
    out: dict[int, list[_Record]] = defaultdict(list)
    if not machine_ids:
        return out
    params = {"org": org_id, "ids": machine_ids, "lo": lo, "hi": hi}
    for row in session.execute(_RECORDS, params).all():
        record = _Record(*row)
        out[record.machine_id].append(record)
    return out


def _evaluate(
    session: Session,
    scope: Scope,
    days: Sequence[date],
    line_id: int | None,
    now: datetime | None,
    known_lines: Sequence[ProductionLine] | None = None,
) -> list[_Cell]:
    """Evaluate every active machine (of ``line_id``) on each day's shift.

    ``known_lines``: every line of the organisation, when the caller has read them already.
    """
    now = now or utcnow()
    settings = equipment_settings(session, scope.org_id)
    if line_id is None:
        rows = session.execute(_MACHINES, {"org": scope.org_id}).all()
    else:
        rows = session.execute(_LINE_MACHINES, {"org": scope.org_id, "line": line_id}).all()
    machines = [machine for machine, _ideal in rows]
    ideals = {machine.id: float(ideal) for machine, ideal in rows if ideal is not None}
    line_ids = {m.line_id for m in machines if m.line_id is not None}
    if known_lines is None:
        known_lines = session.scalars(
            select(ProductionLine).where(
                ProductionLine.org_id == scope.org_id, ProductionLine.id.in_(sorted(line_ids))
            )
        ).all()
    lines = {
        line.id: line for line in known_lines if line.id in line_ids and line.org_id == scope.org_id
    }
    windows: dict[tuple[int | None, date], ShiftWindow] = {}
    for machine in machines:
        line = lines.get(machine.line_id) if machine.line_id is not None else None
        minutes = line.shift_minutes if line is not None else NO_LINE_MINUTES
        for day in days:
            key = (machine.line_id, day)
            if key not in windows:
                windows[key] = shift_window(day, settings.plan(minutes), LOCAL_TZ)
    if not machines:
        return []
    lo = min(w.start for w in windows.values()) - settings.max_silence
    hi = max(w.end for w in windows.values())
    records = _records(session, scope.org_id, [m.id for m in machines], lo, hi)
    cells: list[_Cell] = []
    for machine in machines:
        mine = records.get(machine.id, [])
        reports = [StateReport(r.ts, r.state or "", r.reason) for r in mine if r.kind == "state"]
        life = [r.ts for r in mine]
        line = lines.get(machine.line_id) if machine.line_id is not None else None
        for day in days:
            window = windows[(machine.line_id, day)]
            # today's shift counts up to now; the rest of it has not happened yet
            end = max(window.start, min(window.end, now))
            segments = timeline(
                window.start,
                end,
                reports,
                life=life,
                extra=window.breaks,
                max_silence=settings.max_silence,
            )
            counted = [r for r in mine if r.kind == "count" and window.start <= r.ts < end]
            counts = Counts(sum(r.good for r in counted), sum(r.reject for r in counted))
            ideal = ideals.get(machine.id)
            result = machine_oee(segments, counts, ideal)
            cells.append(_Cell(machine, line, window, segments, result, ideal))
    return cells


def oee_by_machine(
    session: Session,
    scope: Scope,
    *,
    day: date,
    line_id: int | None = None,
    now: datetime | None = None,
) -> list[MachineOee]:
    """Return each active machine's OEE on ``day``'s shift (of one line when given)."""
    return _machine_rows(_evaluate(session, scope, [day], line_id, now))


def _machine_rows(cells: Iterable[_Cell]) -> list[MachineOee]:
    return [
        MachineOee(
            machine_id=cell.machine.id,
            code=cell.machine.code,
            machine_type=cell.machine.machine_type,
            line_id=cell.machine.line_id,
            line_code=cell.line.code if cell.line is not None else "",
            ideal_cycle_s=cell.ideal_cycle_s,
            figures=OeeFigures.of(cell.result),
        )
        for cell in cells
    ]


def _by_line(cells: Iterable[_Cell]) -> dict[int, list[_Cell]]:
    """Group cells of machines on a line by line id."""
    groups: dict[int, list[_Cell]] = defaultdict(list)
    for cell in cells:
        if cell.line is not None:
            groups[cell.line.id].append(cell)
    return groups


def oee_by_line(
    session: Session,
    scope: Scope,
    *,
    day_from: date,
    day_to: date,
    now: datetime | None = None,
) -> list[LineOee]:
    """Return each line's OEE over the days (its machines' shifts summed), by line code."""
    return _line_rows(_evaluate(session, scope, _days(day_from, day_to), None, now))


def _line_rows(cells: Iterable[_Cell]) -> list[LineOee]:
    groups = _by_line(cells)
    rows = []
    for cells in groups.values():
        line = cells[0].line
        assert line is not None
        machines = len({cell.machine.id for cell in cells})
        figures = OeeFigures.of(combine(cell.result for cell in cells))
        rows.append(LineOee(line.id, line.code, line.name, machines, figures))
    return sorted(rows, key=lambda row: row.code)


def oee_by_shift(
    session: Session,
    scope: Scope,
    *,
    day_from: date,
    day_to: date,
    line_id: int | None = None,
    now: datetime | None = None,
) -> list[ShiftOee]:
    """Return each line's OEE per shift (one shift per line and day), by line then day."""
    cells = _evaluate(session, scope, _days(day_from, day_to), line_id, now)
    shifts: dict[tuple[int, date], list[_Cell]] = defaultdict(list)
    for line_cells in _by_line(cells).values():
        for cell in line_cells:
            shifts[(cell.line.id if cell.line else 0, cell.window.day)].append(cell)
    rows = []
    for (_line, day), group in shifts.items():
        line, window = group[0].line, group[0].window
        assert line is not None
        figures = OeeFigures.of(combine(cell.result for cell in group))
        rows.append(ShiftOee(line.id, line.code, day, window.start, window.end, figures))
    return sorted(rows, key=lambda row: (row.line_code, row.day))


def downtime_pareto(
    session: Session,
    scope: Scope,
    *,
    day_from: date,
    day_to: date,
    line_id: int | None = None,
    now: datetime | None = None,
) -> list[DowntimeReason]:
    """Return unplanned downtime by reason within the shifts, longest first."""
    return _reasons(_evaluate(session, scope, _days(day_from, day_to), line_id, now))


def _reasons(cells: Iterable[_Cell]) -> list[DowntimeReason]:
    stoppages = pareto(segment for cell in cells for segment in cell.segments)
    return [DowntimeReason(s.reason, round(s.seconds / 60, 1), s.count) for s in stoppages]


def day_figures(
    session: Session,
    scope: Scope,
    *,
    day: date,
    now: datetime | None = None,
    lines: Sequence[ProductionLine] | None = None,
) -> tuple[list[MachineOee], list[LineOee], list[DowntimeReason]]:
    """Return ``day``'s OEE by machine and by line and its downtime Pareto, for every line.

    What ``oee_by_machine``, ``oee_by_line`` and ``downtime_pareto`` return for that day, from
    one evaluation: the OEE page shows all three, and each evaluation reads every machine's
    telemetry of the day again. ``lines``: every line of the organisation, when the caller
    has read them already (the page's picker).
    """
    cells = _evaluate(session, scope, [day], None, now, lines)
    return _machine_rows(cells), _line_rows(cells), _reasons(cells)
