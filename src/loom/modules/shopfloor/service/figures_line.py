"""The live line dashboard: a line's local day from its hourly counters.

Reads ``LineHour`` (output, pieces, earned minutes per UTC hour) and ``OperatorHour`` (one row
per operator present on the line in an hour), never the raw events.

Definitions:

- Line output per hour = ``LineHour.output_qty``: garments finished (done at the style's final
  operation) on the line in that hour.
- Line efficiency over a window = Σ earned_e4 ÷ (60 × 10⁴ × the number of ``OperatorHour`` rows
  of that line in the window): each operator-hour on a line counts 60 attended minutes.
- Operator output per hour = ``OperatorHour.done_qty``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm import Session

from loom.kernel.db.base import utcnow
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operator, ProductionLine
from loom.modules.masterdata.service.line_plans import (
    LinePlanView,
    PlanStationView,
    current_line_plan,
)
from loom.modules.shopfloor.engine.figures import (
    day_window,
    efficiency,
    local_label,
    local_today,
)
from loom.modules.shopfloor.models import LineHour, OperatorHour
from loom.modules.shopfloor.service.figures import Lines, LineWip, Operators, line_wip

TOP_OPERATORS = 10


@dataclass(frozen=True)
class HourFigure:
    """One UTC hour of a line's day."""

    hour: datetime
    label: str
    output_qty: int
    done_qty: int
    earned_e4: int
    rework_qty: int
    defect_qty: int
    operator_hours: int
    efficiency: Fraction | None


@dataclass(frozen=True)
class OperatorFigure:
    """One operator's totals on the line over the day."""

    operator_id: int
    code: str
    name: str
    done_qty: int
    earned_e4: int
    hours: int
    efficiency: Fraction | None


@dataclass(frozen=True)
class StationPlanFigure:
    """One station of the published plan: planned pieces per hour next to the actual ones.

    The operator sews 1/parts of each assigned operation per garment, so at the plan's pace
    they do ``planned garments per hour × Σ 1/parts`` pieces per hour.
    """

    station: PlanStationView
    planned_qty: Fraction | None
    actual_qty: int


@dataclass(frozen=True)
class PlanFigures:
    """Who does what on the line, and the plan's pace against the hour shown.

    ``hour`` is the current hour on today's dashboard, else the day's last hour with scans;
    None when there is no such hour (nothing to compare yet).
    """

    plan: LinePlanView
    hour: datetime | None
    hour_label: str
    planned_output: Fraction | None
    actual_output: int
    stations: list[StationPlanFigure]


@dataclass
class LineDay:
    """Everything the dashboard shows of one line on one local day."""

    line: ProductionLine
    day: date
    hours: list[HourFigure] = field(default_factory=list)
    wip: list[LineWip] = field(default_factory=list)
    top: list[OperatorFigure] = field(default_factory=list)
    output_qty: int = 0
    done_qty: int = 0
    earned_e4: int = 0
    rework_qty: int = 0
    defect_qty: int = 0
    operator_hours: int = 0
    operators: int = 0
    plan: PlanFigures | None = None

    @property
    def efficiency(self) -> Fraction | None:
        """Return the day's efficiency: Σ earned minutes ÷ 60 per operator-hour."""
        return efficiency(self.earned_e4, self.operator_hours)

    @property
    def has_scans(self) -> bool:
        """Return whether any scan counted on the line that day."""
        return bool(self.hours)


def lines(session: Session, scope: Scope) -> list[ProductionLine]:
    """Return the enterprise's active lines by code (the dashboard's picker)."""
    return list(session.scalars(_ACTIVE_LINES, {"org": scope.org_id}))


#: one operator-hour on the line: (operator, hour, pieces, earned e4, badge code, name)
PersonHour = tuple[int, datetime, int, int, str | None, str | None]


def _operator_hours(
    session: Session, scope: Scope, line_id: int, start: datetime, end: datetime
) -> list[PersonHour]:
    """Return every operator-hour on the line, with the operator's code and name."""
    params = {"org": scope.org_id, "line": line_id, "start": start, "end": end}
    return [
        (int(o), h, int(d), int(e), c, n)
        for o, h, d, e, c, n in session.execute(_OPERATOR_HOURS, params)
    ]


def _top(rows: list[PersonHour], limit: int) -> list[OperatorFigure]:
    """Return the operators with the most earned minutes, with their names."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    people: dict[int, tuple[str | None, str | None]] = {}
    for operator_id, _hour, done, earned, code, name in rows:
        cell = sums[operator_id]
        cell[0] += done
        cell[1] += earned
        cell[2] += 1
        people[operator_id] = (code, name)
    ranked = sorted(sums.items(), key=lambda item: (-item[1][1], -item[1][0], item[0]))[:limit]
    top = []
    for operator_id, (done, earned, hours) in ranked:
        code, name = people[operator_id]
        top.append(
            OperatorFigure(
                operator_id=operator_id,
                # an operator the scope cannot see (none should exist) shows by id, unnamed
                code=code if code is not None else str(operator_id),
                name=name if name is not None else "",
                done_qty=done,
                earned_e4=earned,
                hours=hours,
                efficiency=efficiency(earned, hours),
            )
        )
    return top


def line_day(
    session: Session,
    scope: Scope,
    line_id: int,
    day: date,
    *,
    top: int = TOP_OPERATORS,
    line: ProductionLine | None = None,
) -> LineDay:
    """Return a line's local day: hours, totals, WIP by operation and top operators.

    Another enterprise's line raises NotFound. Hours run in UTC (Beijing's offset is whole
    hours, so each is one local clock hour) and are labelled in local time. ``line`` is the
    line when the caller has just read it under the same scope (``lines``).
    """
    if line is None or line.id != line_id:
        line = Lines(session, scope).get(line_id)
    start, end = day_window(day)
    result = LineDay(line=line, day=day)
    people = _operator_hours(session, scope, line_id, start, end)
    present: dict[datetime, int] = defaultdict(int)
    for _operator, hour, *_rest in people:
        present[hour] += 1
    params = {"org": scope.org_id, "line": line_id, "start": start, "end": end}
    for hour, output_qty, done_qty, earned_e4, rework_qty, defect_qty in session.execute(
        _LINE_HOURS, params
    ):
        attended = present.get(hour, 0)
        result.hours.append(
            HourFigure(
                hour=hour,
                label=local_label(hour),
                output_qty=output_qty,
                done_qty=done_qty,
                earned_e4=earned_e4,
                rework_qty=rework_qty,
                defect_qty=defect_qty,
                operator_hours=attended,
                efficiency=efficiency(earned_e4, attended),
            )
        )
        result.output_qty += output_qty
        result.done_qty += done_qty
        result.earned_e4 += earned_e4
        result.rework_qty += rework_qty
        result.defect_qty += defect_qty
    result.operator_hours = len(people)
    result.operators = len({operator for operator, *_ in people})
    result.top = _top(people, top)
    result.wip = line_wip(session, scope, line_id)
    result.plan = _plan_figures(session, scope, result, people)
    return result


# The dashboard's own statements, built once with bound parameters (building a select costs
# more Python per view than running it; see ``figures``). Each names the organisation itself;
# the session's tenant criteria and row-level security still apply on top.
_ORG = bindparam("org", type_=Integer)
_LINE = bindparam("line", type_=Integer)
_ACTIVE_LINES = (
    select(ProductionLine)
    .where(ProductionLine.org_id == _ORG, ProductionLine.active.is_(True))
    .order_by(ProductionLine.code, ProductionLine.id)
)
# the names ride along (a few dozen rows a day) instead of costing a statement of their own
_OPERATOR_HOURS = (
    select(
        OperatorHour.operator_id,
        OperatorHour.hour,
        OperatorHour.done_qty,
        OperatorHour.earned_e4,
        Operator.code,
        Operator.name,
    )
    .outerjoin(Operator, (Operator.id == OperatorHour.operator_id) & (Operator.org_id == _ORG))
    .where(
        OperatorHour.org_id == _ORG,
        OperatorHour.line_id == _LINE,
        OperatorHour.hour >= bindparam("start"),
        OperatorHour.hour < bindparam("end"),
    )
)
_LINE_HOURS = (
    select(
        LineHour.hour,
        LineHour.output_qty,
        LineHour.done_qty,
        LineHour.earned_e4,
        LineHour.rework_qty,
        LineHour.defect_qty,
    )
    .where(
        LineHour.org_id == _ORG,
        LineHour.line_id == _LINE,
        LineHour.hour >= bindparam("start"),
        LineHour.hour < bindparam("end"),
    )
    .order_by(LineHour.hour)
)


def _plan_figures(
    session: Session,
    scope: Scope,
    day: LineDay,
    people: list[PersonHour],
) -> PlanFigures | None:
    """Return the line's published plan against the hour shown, or None without a plan."""
    plan = current_line_plan(session, scope, day.line.id)
    if plan is None:
        return None
    now = utcnow()
    hour: datetime | None
    if day.day == local_today(now):
        hour = now.replace(minute=0, second=0, microsecond=0)
    else:
        hour = day.hours[-1].hour if day.hours else None
    output = next((h.output_qty for h in day.hours if h.hour == hour), 0)
    done: dict[int, int] = defaultdict(int)
    for operator_id, at, pieces, *_rest in people:
        if at == hour:
            done[operator_id] += pieces
    garments = Fraction(600_000, plan.cycle_time_e4) if plan.cycle_time_e4 else None
    stations = [
        StationPlanFigure(
            station=station,
            planned_qty=(
                garments * sum((Fraction(1, t.parts) for t in station.tasks), Fraction(0))
                if garments is not None
                else None
            ),
            actual_qty=done.get(station.operator_id, 0),
        )
        for station in plan.stations
    ]
    return PlanFigures(
        plan=plan,
        hour=hour,
        hour_label=local_label(hour) if hour is not None else "",
        planned_output=garments,
        actual_output=output,
        stations=stations,
    )


@dataclass(frozen=True)
class OperatorHourFigure:
    """One hour of an operator on one line: output (pieces done) and earned minutes."""

    hour: datetime
    label: str
    line_id: int
    done_qty: int
    earned_e4: int


def operator_day(
    session: Session, scope: Scope, operator_id: int, day: date
) -> tuple[Operator, list[OperatorHourFigure]]:
    """Return an operator's output per hour (``OperatorHour.done_qty``) over a local day.

    Reads ``OperatorHour`` by its key (operator, hour); another enterprise's operator raises
    NotFound. An hour spent on two lines gives two rows.
    """
    person = Operators(session, scope).get(operator_id)
    start, end = day_window(day)
    stmt = (
        select(OperatorHour)
        .where(
            OperatorHour.org_id == scope.org_id,
            OperatorHour.operator_id == operator_id,
            OperatorHour.hour >= start,
            OperatorHour.hour < end,
        )
        .order_by(OperatorHour.hour, OperatorHour.line_id)
    )
    hours = [
        OperatorHourFigure(r.hour, local_label(r.hour), r.line_id, r.done_qty, r.earned_e4)
        for r in session.scalars(stmt)
    ]
    return person, hours
