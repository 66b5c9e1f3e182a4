"""Regression: tasks of zero time (allowed by ``Instance``) are placed, not refused.

Found by tests/properties/test_balancing.py: Hoffmann's station filling kept the empty station
when every candidate added no load, so ``solve`` raised "a task does not fit in an empty station".
"""

from __future__ import annotations

from loom.apps.balancing.solver.salbp import Instance, check, solve


def test_a_single_zero_time_task_gets_one_station() -> None:
    result = solve(Instance((0,), ()), 1)
    assert (result.stations, result.optimal, result.assignment) == (1, True, [[1]])


def test_zero_time_tasks_share_a_station_with_the_rest() -> None:
    # 0 + 0 + 3 = 3 fits one station of cycle 3, with 1 before 2
    instance = Instance((0, 0, 3), ((1, 2),))
    result = solve(instance, 3)
    assert (result.stations, result.assignment) == (1, [[1, 2, 3]])
    assert check(instance, 3, result.assignment) == []
