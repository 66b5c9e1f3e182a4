"""An independent feasibility check of a plan, written from the model's rules, not the simulator."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction

from loom.apps.scheduling.solver.model import Allocation, Plan, Problem


def violations(problem: Problem, plan: Plan) -> list[str]:
    """Return every rule ``plan`` breaks for ``problem`` (an empty list: feasible)."""
    errors: list[str] = []
    orders = {o.id: o for o in problem.orders}
    lines = {line.id: line for line in problem.lines}
    placed = [a.order_id for a in plan.allocations]
    everyone = placed + list(plan.unplanned)
    if sorted(everyone) != sorted(orders):
        errors.append("each order must appear exactly once, planned or unplanned")
    end = problem.start + timedelta(days=problem.horizon_days - 1)
    by_line: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in plan.allocations:
        order = orders.get(allocation.order_id)
        line = lines.get(allocation.line_id)
        if order is None or line is None:
            errors.append(f"allocation {allocation.order_id}: unknown order or line")
            continue
        by_line[line.id].append(allocation)
        errors += _order_errors(problem, allocation, end)
    for line_id, allocations in by_line.items():
        errors += _line_errors(problem, lines[line_id].id, allocations)
    tardy = {
        a.order_id: max(0, (a.finish - orders[a.order_id].due).days)
        for a in plan.allocations
        if a.order_id in orders
    }
    if plan.late_days != sum(tardy.values()):
        errors.append("late days do not add up")
    if plan.weighted_tardiness != sum(d * orders[i].weight for i, d in tardy.items()):
        errors.append("weighted tardiness does not add up")
    if plan.changeovers != sum(a.changeover for a in plan.allocations):
        errors.append("changeovers do not add up")
    return errors


def _order_errors(problem: Problem, allocation: Allocation, end: date) -> list[str]:
    order = next(o for o in problem.orders if o.id == allocation.order_id)
    line = next(x for x in problem.lines if x.id == allocation.line_id)
    name = f"order {order.id}"
    errors: list[str] = []
    if order.category not in line.categories:
        errors.append(f"{name}: line {line.id} cannot sew {order.category}")
    if allocation.start < max(order.release, problem.start):
        errors.append(f"{name}: starts before its release or the plan's start")
    if allocation.finish > end:
        errors.append(f"{name}: finishes past the horizon")
    days = [day for day, _ in allocation.daily]
    if days != sorted(set(days)) or not days:
        errors.append(f"{name}: production days must be distinct and in order")
    elif days[0] < allocation.start or days[-1] != allocation.finish:
        errors.append(f"{name}: production days outside start..finish")
    if any(pieces <= 0 for _, pieces in allocation.daily):
        errors.append(f"{name}: a production day without pieces")
    if sum(pieces for _, pieces in allocation.daily) != order.quantity:
        errors.append(f"{name}: pieces do not add up to the quantity")
    if allocation.tardy_days != max(0, (allocation.finish - order.due).days):
        errors.append(f"{name}: wrong tardy days")
    if any(line.calendar.minutes_on(day) <= 0 for day in days):
        errors.append(f"{name}: production on a closed day")
    return errors


def _line_errors(problem: Problem, line_id: int, allocations: list[Allocation]) -> list[str]:
    """Check sequence, overlap, changeover flags and each day's minutes, learning included."""
    line = next(x for x in problem.lines if x.id == line_id)
    orders = {o.id: o for o in problem.orders}
    errors: list[str] = []
    ordered = allocations  # the plan lists each line's allocations in sequence
    used: dict[date, Fraction] = defaultdict(Fraction)
    style = line.current_style
    run_days: list[date] = []  # production days of the current style run
    ramp = problem.learning.ramp
    if style is not None:
        run_days = [date.min] * len(ramp)  # a continued style runs at 100 %
    previous: Allocation | None = None
    for allocation in ordered:
        order = orders[allocation.order_id]
        if previous is not None and allocation.start < previous.finish:
            errors.append(f"line {line_id}: orders {previous.order_id} and {order.id} overlap")
        changeover = order.style != style
        if allocation.changeover != changeover:
            errors.append(f"order {order.id}: wrong changeover flag")
        if changeover:
            used[allocation.start] += problem.changeover_minutes * line.operators
            run_days = []
            style = order.style
        for day, pieces in allocation.daily:
            if not run_days or run_days[-1] != day:
                run_days.append(day)
            index = len(run_days) - 1
            learning = ramp[index] if index < len(ramp) else 100
            # raw operator-minutes = pieces * SAM / (efficiency * learning)
            used[day] += Fraction(pieces * order.sam_e4, line.efficiency_pct * learning)
        previous = allocation
    for day, minutes in used.items():
        if minutes > line.operators * line.calendar.minutes_on(day):
            errors.append(f"line {line_id}: over capacity on {day.isoformat()}")
    return errors
