"""What scheduling offers the industry brain: planned utilisation and free operator-minutes.

A line's available operator-minutes on a day are its headcount times its calendar's minutes
(shift, overtime, rest days, holidays). Its planned operator-minutes are the standard minutes
the plan puts on it that day divided by its efficiency. The plan is the adopted one from its
start on; without one, the earliest-due-date dispatch of the open orders from today, the plan
the enterprise would get by pressing "plan". Days before the plan's start offer nothing: their
load is not known any more. Learning and changeover losses count as free time (the stored
plan keeps pieces per day, not the minutes they took).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import SchedulePlan
from loom.apps.scheduling.service.load_cache import ESTIMATE_SECONDS, LOADS, Load, engine_of
from loom.apps.scheduling.service.plans import allocations_of, current, solver_plan, today
from loom.apps.scheduling.service.problem import build_problem, problem_from_json
from loom.apps.scheduling.service.profiles import LineView, sewing_line_views
from loom.apps.scheduling.solver.aps import dispatch_edd
from loom.apps.scheduling.solver.model import Calendar, Plan, Problem
from loom.kernel.plugins.spec import BrainMetric, MetricSample
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operator, OperatorSkill

#: the category of a line whose profile lists none: it sews any category
ANY_CATEGORY = "*"
#: the grade of operators without a skill entry, and of a line without known operators
LOWEST_SKILL = 1


def planned_load(session: Session, scope: Scope) -> Load:
    """Return the plan's first day and its operator-minutes per (line, day).

    Kept per plan version (load_cache): the adopted plan's id, or today's estimate for a while.
    """
    engine = engine_of(session)
    row = current(session, scope)
    if row is not None:
        plan = row
        key: tuple[object, ...] = (scope.org_id, "plan", row.id, row.created_at)
        return LOADS.get_or_build(engine, key, lambda: _adopted_load(session, scope, plan), None)
    key = (scope.org_id, "estimate", today())
    return LOADS.get_or_build(
        engine, key, lambda: _estimated_load(session, scope), ESTIMATE_SECONDS
    )


def _adopted_load(session: Session, scope: Scope, row: SchedulePlan) -> Load:
    problem = problem_from_json(row.inputs)
    return _load(problem, solver_plan(row, allocations_of(session, scope, row.id)))


def _estimated_load(session: Session, scope: Scope) -> Load:
    # the plan the enterprise would get by pressing "plan" today
    problem = build_problem(session, scope, today()).problem
    if not problem.orders or not problem.lines:
        return problem.start, {}
    return _load(problem, dispatch_edd(problem))


def _load(problem: Problem, plan: Plan) -> Load:
    sam = {order.id: order.sam_e4 for order in problem.orders}
    efficiency = {line.id: line.efficiency_pct for line in problem.lines}
    load: defaultdict[tuple[int, date], float] = defaultdict(float)
    for allocation in plan.allocations:
        # standard minutes / efficiency = minutes the operators spend
        per_piece = sam.get(allocation.order_id, 0) / 100 / efficiency.get(allocation.line_id, 100)
        for day, pieces in allocation.daily:
            load[(allocation.line_id, day)] += pieces * per_piece
    return problem.start, dict(load)


def _calendar(view: LineView) -> Calendar:
    return Calendar(
        minutes=view.line.shift_minutes,
        weekdays=frozenset(view.weekdays),
        holidays=frozenset(view.holidays),
        overtime=dict(view.overtime),
    )


def _days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def _line_days(
    session: Session, scope: Scope, start: date, end: date, views: list[LineView]
) -> list[tuple[LineView, date, float, float]]:
    """Return per line and day from the plan's start the available and planned minutes."""
    first, load = planned_load(session, scope)
    found: list[tuple[LineView, date, float, float]] = []
    for view in views:
        calendar = _calendar(view)
        for day in _days(max(start, first), end):
            available = float(view.operators * calendar.minutes_on(day))
            planned = load.get((view.line.id, day), 0.0)
            if available or planned:
                found.append((view, day, available, planned))
    return found


def utilisation(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return planned over available operator-minutes per day, summed over the sewing lines."""
    cells = _line_days(session, scope, start, end, sewing_line_views(session, scope))
    days: defaultdict[date, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for _view, day, available, planned in cells:
        days[day][0] += planned
        days[day][1] += available
    return [
        MetricSample(day, planned, available)
        for day, (planned, available) in sorted(days.items())
        if available > 0
    ]


def skill_shares(session: Session, scope: Scope) -> dict[int, dict[int, int]]:
    """Return per line how many active operators hold each best grade (1-5)."""
    best = (
        select(OperatorSkill.operator_id, func.max(OperatorSkill.grade).label("grade"))
        .where(OperatorSkill.org_id == scope.org_id)
        .group_by(OperatorSkill.operator_id)
        .subquery()
    )
    stmt = (
        select(Operator.line_id, best.c.grade)
        .outerjoin(best, best.c.operator_id == Operator.id)
        .where(
            Operator.org_id == scope.org_id,
            Operator.active.is_(True),
            Operator.line_id.is_not(None),
        )
    )
    shares: defaultdict[int, defaultdict[int, int]] = defaultdict(lambda: defaultdict(int))
    for line_id, grade in session.execute(stmt):
        shares[int(line_id)][int(grade or LOWEST_SKILL)] += 1
    return {line: dict(grades) for line, grades in shares.items()}


def free_minutes(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return free operator-minutes per day, by category the line sews and operators' skill.

    A line's free minutes count once under each category it lists (``*`` when it sews any):
    categories are alternatives for the same minutes, so they must not be added up. The
    minutes split over skill grades as the line's active operators do (their best grade).
    """
    # one read of the active operators gives both their grades and the lines' headcounts
    # (the count line_views would make): three statements per enterprise, not five
    shares = skill_shares(session, scope)
    staffed = {line_id: sum(grades.values()) for line_id, grades in shares.items()}
    cells = _line_days(session, scope, start, end, sewing_line_views(session, scope, staffed))
    sums: defaultdict[tuple[date, str, int], float] = defaultdict(float)
    for view, day, available, planned in cells:
        free = max(0.0, available - planned)
        if free <= 0:
            continue
        grades = shares.get(view.line.id) or {LOWEST_SKILL: 1}
        headcount = sum(grades.values())
        for category in view.categories or (ANY_CATEGORY,):
            for grade, count in grades.items():
                sums[(day, category, grade)] += free * count / headcount
    return [
        MetricSample(day, minutes, dims=(("category", category), ("skill", str(grade))))
        for (day, category, grade), minutes in sorted(sums.items())
    ]


BRAIN_METRICS = (
    BrainMetric(
        "scheduling.utilisation",
        "capacity",
        "Capacity utilisation",
        "%",
        utilisation,
        ratio=True,
        scale=100,
    ),
    BrainMetric(
        "scheduling.free_minutes",
        "capacity",
        "Free operator-minutes",
        "min",
        free_minutes,
    ),
)
