"""The dives: maximal loads generated lazily, fullest first, and plans at the target count."""

from __future__ import annotations

import random
from time import perf_counter

from loom.apps.balancing.solver.salbp import Instance, check
from loom.apps.balancing.solver.salbp.dive import Dive, find, priorities


def _loads(dive: Dive, least: int, station: int) -> set[tuple[int, int]]:
    dive.deadline = perf_counter() + 60
    ready = [i for i in range(dive.instance.n) if dive.instance.preds[i] == 0]
    return set(dive._loads(0, ready, least, station))


def test_only_maximal_loads_at_least_the_bound_are_generated() -> None:
    # Times 4, 3, 2, no precedence, c = 6: the maximal loads are {4, 2} (6) and {3, 2} (5);
    # {4}, {3} and {2} still have room for another task, {4, 3} is over c.
    instance = Instance((4, 3, 2), ())
    dive = Dive(instance, 6, 2, [0.0, 0.0, 0.0])
    assert _loads(dive, 0, 1) == {(0b101, 6), (0b110, 5)}
    assert _loads(dive, 6, 1) == {(0b101, 6)}  # no idle time left: only the full load


def test_a_task_due_in_the_station_is_in_every_load() -> None:
    # Chain 1 -> 2 -> 3 plus free tasks 4 and 5, all of time 3, c = 6, m = 2: task 1 and its
    # two successors need 2 stations (9 > 6), so task 1's latest station is 1. The maximal
    # loads of station 1 are {1, 2}, {1, 4}, {1, 5} and {4, 5}; only the last lacks task 1.
    instance = Instance((3, 3, 3, 3, 3), ((1, 2), (2, 3)))
    dive = Dive(instance, 6, 2, [0.0] * 5)
    assert _loads(dive, 0, 1) == {(0b00011, 6), (0b01001, 6), (0b10001, 6)}
    # With m = 3 task 1 may wait until station 2, and {4, 5} is a load of station 1 again.
    roomier = Dive(instance, 6, 3, [0.0] * 5)
    assert _loads(roomier, 0, 1) == {(0b00011, 6), (0b01001, 6), (0b10001, 6), (0b11000, 6)}


def test_the_dive_prefers_full_stations() -> None:
    # Times 3, 3, 2, 2, 2 without precedence, c = 6, m = 2: total 12 = 2 x 6, so both
    # stations must be exactly full: {3, 3} and {2, 2, 2} (in either order).
    instance = Instance((3, 3, 2, 2, 2), ())
    plan = find(instance, 6, 2, perf_counter() + 5)
    assert plan is not None
    assert sorted(sorted(instance.times[i] for i in station) for station in plan) == [
        [2, 2, 2],
        [3, 3],
    ]


def test_priorities_put_the_tightest_window_first() -> None:
    # Chain 1 -> 2 plus free task 3, times 4, 4, 1, c = 5, m = 2: task 1 must be in station 1
    # (its successor needs station 2), tasks 2 and 3 may wait until station 2.
    instance = Instance((4, 4, 1), ((1, 2),))
    order = priorities(instance, 5, 2, 0, random.Random(0))
    assert order[0] > order[1]
    assert order[0] > order[2]


def test_a_found_plan_passes_the_checker_on_a_chain_with_side_tasks() -> None:
    # Chain 1 -> 2 -> 3 -> 4 of 5s with side tasks 5 (after 1) and 6 (before 4) of 1, c = 6:
    # total 22 needs 4 stations (ceil 22 / 6); 5 fits beside 2 and 6 beside 3, for example.
    instance = Instance((5, 5, 5, 5, 1, 1), ((1, 2), (2, 3), (3, 4), (1, 5), (6, 4)))
    plan = find(instance, 6, 4, perf_counter() + 5)
    assert plan is not None
    assert len(plan) == 4
    assert check(instance, 6, [[i + 1 for i in station] for station in plan]) == []
