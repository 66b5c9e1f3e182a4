"""The gap bound: idle time forced beside long tasks, never more than an optimal plan idles."""

from __future__ import annotations

import random

from loom.apps.balancing.solver.salbp import Instance
from loom.apps.balancing.solver.salbp.gaps import GapBound
from tests.apps.balancing.solver.test_salbp_exact import brute_force


def test_the_short_tasks_fill_only_part_of_the_gaps() -> None:
    # c = 85, long tasks 83, 81, 80, 80 (gaps 2, 4, 5, 5 = 16), short tasks 1, 3, 3, 5 (12):
    # at least 16 - 12 = 4 idle units; 83+1, 81+3, 80+3, 80+5 idles exactly 4.
    times = (80, 80, 81, 83, 1, 3, 3, 5)
    bound = GapBound(times, 85)
    assert bound.idle((1 << len(times)) - 1) == 4
    # Without the 5 (task index 7) the last 80 idles 5 on its own: 83+1, 81+3, 80+3, 80.
    assert bound.idle((1 << 7) - 1) == 9


def test_only_tasks_shorter_than_a_gap_can_fill_it() -> None:
    # c = 100: 60 leaves a gap of 40; the 45 cannot fill it, and 50 is not over c/2.
    assert GapBound((60, 45), 100).idle(0b11) == 40
    assert GapBound((50, 50), 100).idle(0b11) == 0
    assert GapBound((60, 45), 100).idle(0b10) == 0  # only the 45 left: no long task


def test_the_bound_never_exceeds_the_idle_of_an_optimal_plan() -> None:
    rng = random.Random(11)
    positive = 0
    for _ in range(150):
        n = rng.randint(2, 7)
        c = rng.randint(10, 30)
        times = tuple(
            rng.choice([rng.randint(c // 2 + 1, c), rng.randint(1, c // 3)]) for _ in range(n)
        )
        arcs = tuple(
            (i, j) for i in range(1, n + 1) for j in range(i + 1, n + 1) if rng.random() < 0.2
        )
        instance = Instance(times, arcs)
        least_idle = brute_force(instance, c) * c - sum(times)
        bound = GapBound(times, c).idle((1 << n) - 1)
        assert 0 <= bound <= least_idle
        positive += bound > 0
    assert positive > 30  # the check must bite: many instances have a positive bound
