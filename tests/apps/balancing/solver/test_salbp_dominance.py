"""Jackson's dominance rule in the tree search: what it prunes, and that no optimum is lost."""

from __future__ import annotations

import random
from time import perf_counter

import pytest

from loom.apps.balancing.solver.salbp import Instance, check
from loom.apps.balancing.solver.salbp.bbr import Search, _dominators, feasible
from loom.apps.balancing.solver.salbp.dive import find
from tests.apps.balancing.solver.test_salbp_exact import brute_force


def test_longer_task_with_the_same_successors_dominates() -> None:
    # Times 4, 3, 2, 4; tasks 1 and 2 precede task 3. Dominators, by hand:
    # task 1 (4, successors {3}): none (task 4 lacks successor 3, task 2 is shorter);
    # task 2 (3, {3}): task 1 (longer, same successors, not linked);
    # task 3 (2, {}): task 4 (tasks 1 and 2 are linked to it);
    # task 4 (4, {}): task 1 (same time, successors {3} include none, more of them).
    instance = Instance((4, 3, 2, 4), ((1, 3), (2, 3)))
    rank = [0] * instance.n
    for r, task in enumerate(instance.order):
        rank[task] = r
    assert _dominators(instance, rank) == [0, 0b0001, 0b1000, 0b0001]


def test_a_load_is_dropped_when_a_dominating_task_could_replace_its_task() -> None:
    # Times 4, 3, 2, 4, 1; c = 5; tasks 1 and 2 precede task 3. The maximal first loads are
    # {1, 5}, {2, 5} and {4, 5} (task 3 waits for 1 and 2). Task 1 dominates 2 and 4 and
    # fits in either's place (4 + 1 <= 5), so only {1, 5} is kept.
    instance = Instance((4, 3, 2, 4, 1), ((1, 3), (2, 3)))
    search = Search(instance, 5, 4)
    ready = [i for i in range(instance.n) if instance.preds[i] == 0]
    assert {bits for bits, _, _ in search._loads(0, ready, 0, 0)} == {0b10001}
    search.dominators = [0] * instance.n  # the rule switched off: all three come back
    loads = {bits for bits, _, _ in search._loads(0, ready, 0, 0)}
    assert loads == {0b10001, 0b10010, 0b11000}


def few_times_instance(rng: random.Random) -> tuple[Instance, int]:
    """Return a small line with many equal times, where dominance and twins both apply."""
    n = rng.randint(4, 8)
    times = tuple(rng.choice((2, 3, 3, 4, 5)) for _ in range(n))
    density = rng.choice([0.15, 0.3])
    arcs = tuple(
        (i, j) for i in range(1, n + 1) for j in range(i + 1, n + 1) if rng.random() < density
    )
    return Instance(times, arcs), rng.randint(max(times), 12)


@pytest.mark.parametrize("seed", range(40))
def test_tree_search_with_dominance_keeps_the_optimum(seed: int) -> None:
    instance, c = few_times_instance(random.Random(4000 + seed))
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
def test_dives_with_dominance_return_only_feasible_plans(seed: int) -> None:
    instance, c = few_times_instance(random.Random(5000 + seed))
    best = brute_force(instance, c)
    plan = find(instance, c, best, perf_counter() + 0.5, seed=seed, dominance=True)
    if plan is not None:  # a dive may miss; what it returns must be right
        assert len(plan) <= best
        assert check(instance, c, [[i + 1 for i in station] for station in plan]) == []
    if best > 1:  # no plan exists below the optimum
        assert find(instance, c, best - 1, perf_counter() + 0.2, seed=seed, dominance=True) is None
