"""The exact solver against brute force on small random lines, and on Scholl's classics."""

from __future__ import annotations

import random
from collections.abc import Iterator
from time import perf_counter

import pytest

from loom.apps.balancing.solver.salbp import CycleTimeError, Instance, check, solve
from loom.apps.balancing.solver.salbp.bbr import feasible
from loom.apps.balancing.solver.salbp.dive import find
from loom.apps.balancing.solver.salbp.heuristic import best_plan
from loom.apps.balancing.solver.salbp.parse import parse_in2
from tests.apps.balancing.solver.salbp_data import (
    BOWMAN8,
    BOWMAN8_OPTIMA,
    JAESCHKE,
    JAESCHKE_OPTIMA,
    MERTENS,
    MERTENS_OPTIMA,
)


def topological_orders(instance: Instance) -> Iterator[list[int]]:
    """Yield every order of the tasks (1-based) that respects precedence."""
    n = instance.n
    preds = {j: {i for i, k in instance.precedences if k == j} for j in range(1, n + 1)}

    def extend(order: list[int], done: set[int]) -> Iterator[list[int]]:
        if len(order) == n:
            yield list(order)
            return
        for task in range(1, n + 1):
            if task not in done and preds[task] <= done:
                order.append(task)
                done.add(task)
                yield from extend(order, done)
                order.pop()
                done.remove(task)

    yield from extend([], set())


def brute_force(instance: Instance, c: int) -> int:
    """Return the fewest stations: every plan is some precedence order cut into stations,
    and cutting a fixed order greedily (next fit) gives that order's fewest stations."""
    best = instance.n
    for order in topological_orders(instance):
        stations, load = 1, 0
        for task in order:
            t = instance.times[task - 1]
            if load + t > c:
                stations, load = stations + 1, 0
            load += t
        best = min(best, stations)
    return best


def random_instance(rng: random.Random) -> tuple[Instance, int]:
    n = rng.randint(3, 8)
    times = tuple(rng.randint(1, 12) for _ in range(n))
    density = rng.choice([0.1, 0.3, 0.5])
    arcs = tuple(
        (i, j) for i in range(1, n + 1) for j in range(i + 1, n + 1) if rng.random() < density
    )
    c = rng.randint(max(times), max(times) + sum(times) // 3)
    return Instance(times, arcs), c


@pytest.mark.parametrize("seed", range(60))
def test_solve_matches_brute_force_and_proves_it(seed: int) -> None:
    instance, c = random_instance(random.Random(seed))
    result = solve(instance, c, time_limit=10.0)
    assert check(instance, c, result.assignment) == []
    assert result.stations == len(result.assignment) == brute_force(instance, c)
    assert result.optimal
    assert result.lower_bound == result.stations


@pytest.mark.parametrize("seed", range(60))
def test_tree_search_finds_at_the_optimum_and_refutes_one_below(seed: int) -> None:
    # The full solver rarely needs the tree search on such small lines (its bounds and
    # heuristics meet), so ask the search directly.
    instance, c = random_instance(random.Random(1000 + seed))
    best = brute_force(instance, c)
    deadline = perf_counter() + 60  # never reached on 8 tasks; the answer must be a proof
    plan, proved = feasible(instance, c, best, deadline)
    assert proved
    assert plan is not None
    assert len(plan) <= best
    assert check(instance, c, [[i + 1 for i in station] for station in plan]) == []
    if best > 1:
        assert feasible(instance, c, best - 1, deadline) == (None, True)


@pytest.mark.parametrize("seed", range(20))
def test_dives_return_only_feasible_plans_and_never_beat_the_optimum(seed: int) -> None:
    instance, c = random_instance(random.Random(2000 + seed))
    best = brute_force(instance, c)
    plan = find(instance, c, best, perf_counter() + 0.5, seed=seed)
    if plan is not None:  # a dive may miss; what it returns must be right
        assert len(plan) <= best
        assert check(instance, c, [[i + 1 for i in station] for station in plan]) == []
    if best > 1:  # no plan exists below the optimum, so the dives must come back empty
        assert find(instance, c, best - 1, perf_counter() + 0.2, seed=seed) is None


def test_heuristic_plans_are_feasible() -> None:
    rng = random.Random(7)
    for _ in range(40):
        instance, c = random_instance(rng)
        plan = best_plan(instance, c)
        assert check(instance, c, [[i + 1 for i in station] for station in plan]) == []


@pytest.mark.parametrize(
    ("text", "optima"),
    [(MERTENS, MERTENS_OPTIMA), (BOWMAN8, BOWMAN8_OPTIMA), (JAESCHKE, JAESCHKE_OPTIMA)],
)
def test_scholl_classics_at_their_known_optima(text: str, optima: dict[int, int]) -> None:
    instance = parse_in2(text)
    for c, optimum in optima.items():
        result = solve(instance, c)
        assert (result.stations, result.optimal) == (optimum, True), c
        assert check(instance, c, result.assignment) == []


def test_without_time_the_heuristic_plan_is_returned() -> None:
    instance = parse_in2(JAESCHKE)
    result = solve(instance, 6, time_limit=0.0)
    assert check(instance, 6, result.assignment) == []
    assert result.lower_bound <= 8 <= result.stations  # 8 is JAESCHKE's optimum at c = 6
    assert result.optimal == (result.lower_bound == result.stations)


@pytest.mark.parametrize(("c", "message"), [(5, "task 9 takes 6"), (0, "must be positive")])
def test_an_impossible_cycle_time_is_refused(c: int, message: str) -> None:
    with pytest.raises(CycleTimeError, match=message):
        solve(parse_in2(JAESCHKE), c)
