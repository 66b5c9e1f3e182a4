"""Keep a plan and fit in what no longer fits: the least disruptive answer to a what-if."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from time import perf_counter

from loom.apps.scheduling.solver.aps.anneal import Cost
from loom.apps.scheduling.solver.aps.simulate import Context
from loom.apps.scheduling.solver.model import Plan, Problem


def keep_known(context: Context, sequences: Mapping[int, Sequence[int]]) -> list[list[int]]:
    """Translate {line id: order ids} to indexes, dropping lines, orders and repeats unknown now."""
    result: list[list[int]] = [[] for _ in context.problem.lines]
    seen: set[int] = set()
    for line_id, order_ids in sequences.items():
        line = context.line_index.get(line_id)
        if line is None:
            continue
        for order_id in order_ids:
            order = context.order_index.get(order_id)
            if order is not None and order not in seen:
                seen.add(order)
                result[line].append(order)
    return result


def insert_missing(context: Context, sequences: list[list[int]]) -> list[list[int]]:
    """Take out what cannot be placed, then insert every missing order where it costs least.

    Orders keep their relative sequence; the missing ones go in by due date, each at the
    (line, position) that minimises (unplanned, weighted tardiness, changeovers) of the plan.
    """
    kept: list[list[int]] = []
    for line, sequence in enumerate(sequences):
        state = context.initial(line)
        placed_here: list[int] = []
        for order in sequence:
            placed = context.place(line, state, order)
            if placed is not None:
                state = placed.state
                placed_here.append(order)
        kept.append(placed_here)
    present = {order for sequence in kept for order in sequence}
    orders = context.problem.orders
    missing = sorted(
        (n for n in range(len(orders)) if n not in present),
        key=lambda n: (orders[n].due, orders[n].id),
    )
    costs = [context.line_cost(line, sequence) for line, sequence in enumerate(kept)]
    for order in missing:
        best: tuple[Cost, int, int] | None = None
        for line, sequence in enumerate(kept):
            if not context.capable[order][line]:
                continue
            for position in range(len(sequence) + 1):
                trial = context.line_cost(line, [*sequence[:position], order, *sequence[position:]])
                change = tuple(t - c for t, c in zip(trial, costs[line], strict=True))
                key = ((change[0], change[1], change[2]), line, position)
                if best is None or key < best:
                    best = key
        if best is None:
            continue  # no line sews it: it stays unplanned
        _, line, position = best
        kept[line].insert(position, order)
        costs[line] = context.line_cost(line, kept[line])
    return kept


def repair(problem: Problem, sequences: Mapping[int, Sequence[int]]) -> Plan:
    """Keep ``sequences`` ({line id: order ids}) and fit in every order they miss or lose.

    For a what-if: a rush order added, overtime added, a line lost. Unknown ids are dropped;
    orders that no longer fit where they were (a closed line, a shorter horizon) and orders
    in no sequence are inserted one by one at their cheapest place.
    """
    started = perf_counter()
    context = Context(problem)
    plan = context.plan(insert_missing(context, keep_known(context, sequences)), method="repair")
    return replace(plan, seconds=perf_counter() - started)
