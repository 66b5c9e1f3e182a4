"""What-if scenarios: change a copy of the adopted plan's problem, re-plan it, compare the two.

A scenario starts from the adopted plan's stored inputs and its sequences, so that the only
differences in the comparison are those the change causes (and what the planner then
improves). Scenarios are stored as draft plans of kind ``whatif``; adopting one makes it the
current plan, discarding deletes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import SchedulePlan
from loom.apps.scheduling.service import plans
from loom.apps.scheduling.service.problem import (
    any_category_of,
    problem_from_json,
    with_line,
)
from loom.apps.scheduling.service.profiles import SchedLineRepository, routing_sams
from loom.apps.scheduling.solver import model
from loom.apps.scheduling.solver.aps import PlanDiff, diff
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service.styles import StyleRepository

MAX_RUSH_QTY = 1_000_000
MAX_OVERTIME_MINUTES = 720
MAX_OVERTIME_DAYS = 62


@dataclass(frozen=True)
class RushIn:
    """A rush order to insert: style, pieces, due date, weight and category."""

    style_id: int
    quantity: int
    due: date
    weight: int = 3
    category: str = ""


@dataclass(frozen=True)
class OvertimeIn:
    """Overtime to add: line, first and last date, extra minutes per operator and day."""

    line_id: int
    date_from: date
    date_to: date
    minutes: int


@dataclass(frozen=True)
class LoseLineIn:
    """A line that stops: from this date on it sews nothing."""

    line_id: int
    from_date: date


def _bad(field: str, message: str, **params: object) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", field=field, params=params)


def _base(session: Session, scope: Scope) -> SchedulePlan:
    base = plans.current(session, scope)
    if base is None:
        raise Conflict("no plan has been adopted yet: adopt a plan before a what-if")
    return base


def _line_in(session: Session, scope: Scope, problem: model.Problem, line_id: int) -> model.Line:
    """Return the plan's line; another enterprise's line answers 404, one not planned 422."""
    SchedLineRepository(session, scope).get(line_id)
    for line in problem.lines:
        if line.id == line_id:
            return line
    raise _bad("line_id", "this line is not part of the adopted plan")


def rush_problem(
    session: Session, scope: Scope, base: SchedulePlan, data: RushIn
) -> tuple[model.Problem, dict[str, Any]]:
    """Return the base problem with the rush order added, and the scenario's description."""
    style = StyleRepository(session, scope).get(data.style_id)
    problem = problem_from_json(base.inputs)
    found = []
    if not 0 < data.quantity <= MAX_RUSH_QTY:
        found.append(_bad("quantity", "pieces from 1 to %(n)s", n=MAX_RUSH_QTY))
    if not 1 <= data.weight <= 5:
        found.append(_bad("weight", "a whole number from 1 to 5"))
    if data.due < problem.start:
        found.append(_bad("due", "on or after the plan's start, %(start)s", start=problem.start))
    if len(data.category.strip()) > 40:
        found.append(_bad("category", "at most %(limit)s characters", limit=40))
    sam = routing_sams(session, scope, [style.id]).get(style.id, 0)
    if sam <= 0:
        found.append(_bad("style_id", "the style has no routing, so no SAM: route it first"))
    if found:
        raise found[0] if len(found) == 1 else _many(found)
    order_id = min([0, *(o.id for o in problem.orders)]) - 1
    category = data.category.strip()
    rush = model.Order(
        id=order_id,
        code=f"RUSH-{style.code}"[:40],
        style=style.code,
        category=category,
        quantity=data.quantity,
        sam_e4=sam,
        due=data.due,
        release=problem.start,
        weight=data.weight,
    )
    # lines that sew any category also sew the rush order's
    open_lines = any_category_of(base.inputs)
    lines = tuple(
        replace(line, categories=line.categories | {category}) if line.id in open_lines else line
        for line in problem.lines
    )
    scenario = {
        "kind": "rush",
        "style_id": style.id,
        "style": style.code,
        "quantity": data.quantity,
        "due": data.due.isoformat(),
        "weight": data.weight,
        "category": category,
        "order_ref": order_id,
    }
    return replace(problem, orders=(*problem.orders, rush), lines=lines), scenario


def _many(found: list[ValidationFailed]) -> ValidationFailed:
    return ValidationFailed(
        "%(count)s problem(s) in the input: %(fields)s",
        details=[{"field": e.field, "message": e.message} for e in found],
        params={"count": len(found), "fields": ", ".join(str(e.field) for e in found)},
    )


def overtime_problem(
    session: Session, scope: Scope, base: SchedulePlan, data: OvertimeIn
) -> tuple[model.Problem, dict[str, Any]]:
    """Return the base problem with overtime on the line's working days in the range."""
    problem = problem_from_json(base.inputs)
    line = _line_in(session, scope, problem, data.line_id)
    if not 0 < data.minutes <= MAX_OVERTIME_MINUTES:
        raise _bad("minutes", "minutes from 1 to %(n)s", n=MAX_OVERTIME_MINUTES)
    if data.date_to < data.date_from:
        raise _bad("date_to", "on or after the first date")
    if not problem.start <= data.date_to <= problem.start + timedelta(days=problem.horizon_days):
        raise _bad("date_to", "within the plan's horizon, %(start)s on", start=problem.start)
    if (data.date_to - data.date_from).days >= MAX_OVERTIME_DAYS:
        raise _bad("date_to", "at most %(n)s days after the first date", n=MAX_OVERTIME_DAYS)
    overtime = dict(line.calendar.overtime)
    days = []
    day = data.date_from
    while day <= data.date_to:
        # only days the line works anyway: overtime on a rest day would open a new shift
        if day >= problem.start and line.calendar.minutes_on(day) > 0:
            overtime[day] = overtime.get(day, 0) + data.minutes
            days.append(day.isoformat())
        day += timedelta(days=1)
    if not days:
        raise _bad("date_from", "no working day of this line in the range")
    scenario = {
        "kind": "overtime",
        "line_id": line.id,
        "line": line.code,
        "date_from": data.date_from.isoformat(),
        "date_to": data.date_to.isoformat(),
        "minutes": data.minutes,
        "days": days,
    }
    return with_line(problem, line.id, overtime=overtime), scenario


def lose_line_problem(
    session: Session, scope: Scope, base: SchedulePlan, data: LoseLineIn
) -> tuple[model.Problem, dict[str, Any]]:
    """Return the base problem with the line closed from ``from_date`` on."""
    problem = problem_from_json(base.inputs)
    line = _line_in(session, scope, problem, data.line_id)
    if data.from_date < problem.start:
        raise _bad("from_date", "on or after the plan's start, %(start)s", start=problem.start)
    until = data.from_date - timedelta(days=1)
    scenario = {
        "kind": "lose_line",
        "line_id": line.id,
        "line": line.code,
        "from_date": data.from_date.isoformat(),
    }
    return with_line(problem, line.id, open_until=until), scenario


def run(
    session: Session,
    scope: Scope,
    change: RushIn | OvertimeIn | LoseLineIn,
    *,
    time_limit: int = plans.DEFAULT_TIME_LIMIT,
) -> SchedulePlan:
    """Re-plan a copy of the adopted plan with ``change`` and store it as a draft what-if."""
    plans.check_time_limit(time_limit)
    base = _base(session, scope)
    if isinstance(change, RushIn):
        problem, scenario = rush_problem(session, scope, base, change)
    elif isinstance(change, OvertimeIn):
        problem, scenario = overtime_problem(session, scope, base, change)
    else:
        problem, scenario = lose_line_problem(session, scope, base, change)
    # start from the adopted sequences so that unaffected orders stay where they were
    initial: dict[int, list[int]] = {line.id: [] for line in problem.lines}
    for alloc in plans.allocations_of(session, scope, base.id):
        if alloc.line_id in initial:
            initial[alloc.line_id].append(alloc.order_ref)
    plan, baseline = plans.solve(problem, time_limit, initial)
    return plans.store(
        session,
        scope,
        problem=problem,
        any_category=any_category_of(base.inputs),
        plan=plan,
        baseline=baseline,
        name=f"{base.name} {_label(scenario)}"[:200],
        time_limit=time_limit,
        kind="whatif",
        base_plan_id=base.id,
        scenario=scenario,
    )


def _label(scenario: dict[str, Any]) -> str:
    """Return a language-neutral tag of the change for the scenario's name."""
    if scenario["kind"] == "rush":
        return f"+ {scenario['quantity']} × {scenario['style']}"
    if scenario["kind"] == "overtime":
        return f"+ {scenario['line']} {scenario['minutes']}′ × {len(scenario['days'])}"
    return f"− {scenario['line']} ≥ {scenario['from_date']}"


def compare(session: Session, scope: Scope, plan: SchedulePlan) -> PlanDiff | None:
    """Return the change from a what-if's base plan to the what-if (None for a plain plan)."""
    if plan.base_plan_id is None:
        return None
    base = plans.PlanRepository(session, scope).get(plan.base_plan_id)
    before = plans.solver_plan(base, plans.allocations_of(session, scope, base.id))
    after = plans.solver_plan(plan, plans.allocations_of(session, scope, plan.id))
    return diff(before, after)


def order_codes(*rows: SchedulePlan) -> dict[int, str]:
    """Return solver order id → order number over the stored problems of ``rows``."""
    codes: dict[int, str] = {}
    for row in rows:
        codes.update({int(o["id"]): str(o["code"]) for o in row.inputs.get("orders", ())})
    return codes
