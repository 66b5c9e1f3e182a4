"""The optimiser: optimal on tiny problems, never worse than EDD, feasible, deterministic."""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import permutations, product

import pytest

from loom.apps.scheduling.solver.aps import dispatch_edd, schedule, simulate
from loom.apps.scheduling.solver.aps.anneal import Annealer
from loom.apps.scheduling.solver.aps.check import violations
from loom.apps.scheduling.solver.aps.dispatch import edd_sequences
from loom.apps.scheduling.solver.aps.instances import generate
from loom.apps.scheduling.solver.aps.search import complete, evaluate
from loom.apps.scheduling.solver.aps.simulate import Context
from loom.apps.scheduling.solver.model import Plan, Problem
from tests.apps.scheduling.solver.aps_cases import MON, line, order, problem


def _tiny(seed: int) -> Problem:
    """Return 4-5 orders of two categories and three styles on two lines (one sews both)."""
    rng = random.Random(seed)
    orders = []
    for n in range(rng.randint(4, 5)):
        category = rng.choice(("shirts", "shirts", "dresses"))
        orders.append(
            order(
                n + 1,
                rng.randint(100, 900),
                style=rng.choice(("S1", "S2")) if category == "shirts" else "D1",
                category=category,
                sam=rng.choice((8.0, 12.0, 20.0)),
                due=MON + timedelta(days=rng.randint(1, 8)),
                release=MON + timedelta(days=rng.randint(0, 3)),
                weight=rng.randint(1, 5),
            )
        )
    lines = [
        line(1, operators=12, efficiency=85),
        line(2, operators=8, efficiency=75, categories=frozenset({"shirts", "dresses"})),
    ]
    return problem(orders, lines)


def _key(plan: Plan) -> tuple[int, int, int]:
    return len(plan.unplanned), plan.weighted_tardiness, plan.changeovers


def _brute_force(p: Problem) -> tuple[int, int, int]:
    """Return the best key over every line assignment and every sequence on each line."""
    ids = [o.id for o in p.orders]
    best: tuple[int, int, int] | None = None
    for assignment in product((1, 2), repeat=len(ids)):
        first = [i for i, a in zip(ids, assignment, strict=True) if a == 1]
        second = [i for i, a in zip(ids, assignment, strict=True) if a == 2]
        for one in permutations(first):
            for two in permutations(second):
                key = _key(simulate(p, {1: one, 2: two}))
                best = key if best is None or key < best else best
    assert best is not None
    return best


@pytest.mark.parametrize("seed", range(8))
def test_schedule_equals_brute_force_on_tiny_problems(seed: int) -> None:
    p = _tiny(seed)
    plan = schedule(p)
    assert violations(p, plan) == []
    assert _key(plan) == _brute_force(p)


@pytest.mark.parametrize("seed", range(8))
def test_annealing_alone_reaches_the_brute_force_optimum(seed: int) -> None:
    # the search itself, without the enumeration schedule() uses on problems this small
    p = _tiny(seed)
    context = Context(p)
    annealer = Annealer(context, complete(context, edd_sequences(context)), random.Random(seed))
    annealer.run(4000, deadline=float("inf"))
    assert evaluate(context, annealer.best) == annealer.best_cost == _brute_force(p)


def test_schedule_is_feasible_never_worse_than_edd_and_deterministic() -> None:
    p = generate(7, orders=40, lines=4, weeks=3)
    edd = dispatch_edd(p)
    first = schedule(p, seed=3, iterations=8000)
    assert violations(p, edd) == []
    assert violations(p, first) == []
    assert first.unplanned == edd.unplanned == ()
    # the search starts from the best construction, EDD among them, and keeps its best plan
    assert first.weighted_tardiness <= edd.weighted_tardiness
    again = schedule(p, seed=3, iterations=8000)
    assert again.allocations == first.allocations
    assert first.method == "aps"


def test_schedule_starts_from_a_given_plan() -> None:
    p = generate(8, orders=30, lines=3, weeks=3)
    edd = dispatch_edd(p)
    given = {
        line_id: [a.order_id for a in edd.allocations if a.line_id == line_id]
        for line_id in (line.id for line in p.lines)
    }
    # no annealing moves: the result is the best of the constructions and the given plan
    plan = schedule(p, iterations=0, initial=given)
    assert _key(plan) <= _key(edd)
    assert violations(p, plan) == []


def test_no_time_left_still_returns_the_best_construction() -> None:
    p = generate(9, orders=30, lines=3, weeks=3)
    plan = schedule(p, time_limit=0.0)
    # with the deadline already past, no ATC run and no move: the EDD construction remains
    assert violations(p, plan) == []
    assert _key(plan) == _key(dispatch_edd(p))


def test_empty_problem_gives_an_empty_plan() -> None:
    p = problem([], [line()])
    for plan in (schedule(p), dispatch_edd(p), simulate(p, {})):
        assert (plan.allocations, plan.unplanned, plan.weighted_tardiness) == ((), (), 0)


def test_an_unplanned_order_costs_more_than_any_tardiness() -> None:
    # one line, 384 pieces a day (10 operators, 80 %, SAM 10, no ramp), a three-day horizon.
    # Order 1 (768 pieces) is released Tuesday: it needs Tue and Wed. Order 2 (384) was due
    # 100 days ago at weight 5. Order 1 first leaves no day for order 2 (unplanned, 0 late
    # days); order 2 first plans both at 100 * 5 = 500 weighted late days. Planning wins.
    p = problem(
        [
            order(1, 768, release=MON + timedelta(days=1)),
            order(2, 384, due=MON - timedelta(days=100), weight=5),
        ],
        [line()],
        ramp=(),
        changeover=0,
        horizon_days=3,
    )
    context = Context(p)
    annealer = Annealer(context, [[0, 1]], random.Random(0))
    assert annealer.cost == (1, 0, 1)
    annealer.run(200, deadline=float("inf"))
    assert annealer.best == [[1, 0]]
    assert annealer.best_cost == (0, 500, 1)  # one style: only the first order changes over
