"""Constructive plans: the earliest-due-date baseline and apparent-tardiness-cost dispatching."""

from __future__ import annotations

import math
from time import perf_counter

from loom.apps.scheduling.solver.aps.simulate import Context, LineState, Placement
from loom.apps.scheduling.solver.model import Plan, Problem


def edd_sequences(context: Context) -> list[list[int]]:
    """Take orders by due date; put each on the line where it would finish earliest."""
    orders = context.problem.orders
    states = [context.initial(line) for line in range(len(context.problem.lines))]
    sequences: list[list[int]] = [[] for _ in states]
    for order in sorted(range(len(orders)), key=lambda n: (orders[n].due, orders[n].id)):
        best: tuple[int, int, int] | None = None
        best_placed: Placement | None = None
        for line, state in enumerate(states):
            placed = context.place(line, state, order)
            if placed is None:
                continue
            # earliest finish; on a tie, no changeover, then the first line
            rank = (context.days[line].ordinals[placed.finish], placed.changeover, line)
            if best is None or rank < best:
                best, best_placed = rank, placed
        if best is not None and best_placed is not None:
            states[best[2]] = best_placed.state
            sequences[best[2]].append(order)
    return sequences


def dispatch_edd(problem: Problem) -> Plan:
    """Return the baseline plan: by due date, each order to the line finishing it first."""
    started = perf_counter()
    context = Context(problem)
    plan = context.plan(edd_sequences(context), method="edd")
    return _timed(plan, started)


def atc_sequences(context: Context, k: float) -> list[list[int]]:
    """Dispatch by apparent tardiness cost: the first free line takes the most urgent order.

    The priority of order j is ``w_j / p_j * exp(-max(0, slack_j) / (k * p_mean))``, where
    ``p_j`` counts the working days from the line's position to the order's finish (so
    waiting for a release, a changeover and the learning ramp all lengthen it) and the slack
    is due minus that finish, in days.
    """
    problem = context.problem
    count = len(problem.orders)
    states = [context.initial(line) for line in range(len(problem.lines))]
    sequences: list[list[int]] = [[] for _ in states]
    open_orders = set(range(count))
    mean = max(1.0, _mean_days(context))
    blocked: set[int] = set()  # lines that can take none of the remaining orders
    while open_orders and len(blocked) < len(states):
        line = min(
            (n for n in range(len(states)) if n not in blocked),
            key=lambda n: (_free_from(context, n, states[n]), n),
        )
        best: tuple[float, int] | None = None
        best_placed: Placement | None = None
        ordinals = context.days[line].ordinals
        for order in open_orders:
            placed = context.place(line, states[line], order)
            if placed is None:
                continue
            span = placed.finish - states[line][0] + 1
            slack = context.due[order] - ordinals[placed.finish]
            priority = context.weight[order] / span * math.exp(-max(0, slack) / (k * mean))
            rank = (-priority, order)
            if best is None or rank < best:
                best, best_placed = rank, placed
        if best is None or best_placed is None:
            blocked.add(line)
            continue
        states[line] = best_placed.state
        sequences[line].append(best[1])
        open_orders.discard(best[1])
    return sequences


def _free_from(context: Context, line: int, state: LineState) -> float:
    """Return the ordinal of the day a line stands on (infinite past its horizon)."""
    ordinals = context.days[line].ordinals
    return ordinals[state[0]] if state[0] < len(ordinals) else math.inf


def _mean_days(context: Context) -> float:
    """Return the mean working days an order takes alone on a capable line (full learning)."""
    total = 0.0
    counted = 0
    for order, spec in enumerate(context.problem.orders):
        for line, days in enumerate(context.days):
            if context.capable[order][line] and days.raw:
                per_day = days.raw[0] * context.problem.lines[line].efficiency_pct * 100
                total += spec.quantity * spec.sam_e4 / max(1, per_day)
                counted += 1
    return total / counted if counted else 1.0


def _timed(plan: Plan, started: float) -> Plan:
    return Plan(
        allocations=plan.allocations,
        unplanned=plan.unplanned,
        weighted_tardiness=plan.weighted_tardiness,
        late_days=plan.late_days,
        changeovers=plan.changeovers,
        seconds=perf_counter() - started,
        method=plan.method,
    )
