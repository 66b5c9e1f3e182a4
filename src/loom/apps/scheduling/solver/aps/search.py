"""The optimiser: constructions, then simulated annealing over line assignment and sequence."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from time import perf_counter

from loom.apps.scheduling.solver.aps.anneal import Annealer, Cost, total
from loom.apps.scheduling.solver.aps.dispatch import atc_sequences, edd_sequences
from loom.apps.scheduling.solver.aps.repair import insert_missing, keep_known
from loom.apps.scheduling.solver.aps.simulate import Context
from loom.apps.scheduling.solver.model import Plan, Problem

EXHAUSTIVE_LIMIT = 50_000  # arrangements enumerated outright on tiny problems
ATC_KS = (0.5, 1.0, 2.0, 4.0)


def complete(context: Context, sequences: list[list[int]]) -> list[list[int]]:
    """Append every order missing from ``sequences`` to its first capable line."""
    present = {order for sequence in sequences for order in sequence}
    for order in range(len(context.problem.orders)):
        if order in present:
            continue
        lines = [n for n, ok in enumerate(context.capable[order]) if ok]
        if lines:  # an order no line can sew stays out: it is unplanned whatever we do
            sequences[lines[0]].append(order)
    return sequences


def evaluate(context: Context, sequences: Sequence[Sequence[int]]) -> Cost:
    """Return the cost of whole per-line sequences."""
    return total([context.line_cost(n, s) for n, s in enumerate(sequences)])


def exhaustive(context: Context) -> list[list[int]] | None:
    """Enumerate every (line, position) arrangement when there are few; return the best."""
    count = len(context.problem.orders)
    lines = len(context.problem.lines)
    size = 1
    for order in range(count):
        size *= max(1, sum(context.capable[order]) + order)
        if size > EXHAUSTIVE_LIMIT:
            return None
    sequences: list[list[int]] = [[] for _ in range(lines)]
    best: list[tuple[Cost, list[list[int]]]] = []

    def extend(order: int) -> None:
        if order == count:
            cost = evaluate(context, sequences)
            if not best or cost < best[0][0]:
                best[:] = [(cost, [list(s) for s in sequences])]
            return
        capable = [n for n in range(lines) if context.capable[order][n]]
        if not capable:
            extend(order + 1)
            return
        for line in capable:
            for position in range(len(sequences[line]) + 1):
                sequences[line].insert(position, order)
                extend(order + 1)
                del sequences[line][position]

    extend(0)
    return best[0][1]


def schedule(
    problem: Problem,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    iterations: int | None = None,
    initial: Mapping[int, Sequence[int]] | None = None,
) -> Plan:
    """Plan to minimise weighted tardiness, then changeovers; deterministic for a seed.

    Tiny problems are enumerated outright. Otherwise the best of the earliest-due-date and
    apparent-tardiness-cost constructions and of ``initial`` ({line id: order ids}, repaired
    as ``repair`` does, when given) is improved by simulated annealing for ``iterations``
    moves (by default a budget that grows with the number of orders), stopping early at
    ``time_limit`` seconds: only such a cut makes the result depend on the machine.
    """
    started = perf_counter()
    deadline = started + time_limit
    context = Context(problem)
    found = exhaustive(context)
    if found is not None:
        return _finish(context.plan(found, method="exhaustive"), started)
    starts = [edd_sequences(context)]
    if initial is not None:
        starts.append(insert_missing(context, keep_known(context, initial)))
    for k in ATC_KS:  # each costs O(orders^2 * lines) placements: stop them at the deadline
        if perf_counter() < deadline:
            starts.append(atc_sequences(context, k))
    candidates = [complete(context, s) for s in starts]
    best = min(candidates, key=lambda s: evaluate(context, s))
    if iterations is None:
        iterations = default_iterations(len(problem.orders))
    annealer = Annealer(context, best, random.Random(seed))
    annealer.run(iterations, deadline)
    return _finish(context.plan(annealer.best, method="aps"), started)


def default_iterations(orders: int) -> int:
    """Return the default number of annealing moves for ``orders`` orders."""
    return 1000 * orders


def _finish(plan: Plan, started: float) -> Plan:
    return replace(plan, seconds=perf_counter() - started)
