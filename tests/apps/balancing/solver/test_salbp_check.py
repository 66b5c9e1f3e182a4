"""The feasibility checker rejects each kind of infeasible plan and accepts a good one."""

from __future__ import annotations

import pytest

from loom.apps.balancing.solver.salbp import Instance, InstanceError, check

# 1 -> 2 -> 4 and 1 -> 3 -> 4, times 3 4 5 2
DIAMOND = Instance((3, 4, 5, 2), ((1, 2), (1, 3), (2, 4), (3, 4)))


def test_a_feasible_plan_has_no_problems() -> None:
    assert check(DIAMOND, 8, [[1, 2], [3, 4]]) == []  # loads 7 and 7


def test_overloaded_station() -> None:
    # station 1 holds tasks 1 and 3: 3 + 5 = 8 > 7
    assert check(DIAMOND, 7, [[1, 3], [2, 4]]) == ["station 1: load 8 exceeds the cycle time 7"]


def test_precedence_violated() -> None:
    problems = check(DIAMOND, 10, [[1, 3], [4], [2]])
    assert problems == [
        "task 2 (station 3) must not come after task 4 (station 2)",
    ]


def test_missing_duplicate_and_unknown_tasks() -> None:
    problems = check(DIAMOND, 20, [[1, 2, 2], [3, 9]])
    assert "task 2 is assigned twice (stations 1 and 1)" in problems
    assert "station 2: task 9 does not exist (1..4)" in problems
    assert "tasks not assigned: [4]" in problems
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("times", "arcs", "message"),
    [
        ((), (), "no tasks"),
        ((1, -2), (), "negative"),
        ((1, 2), ((1, 3),), "outside"),
        ((1, 2), ((2, 2),), "its own predecessor"),
        ((1, 2, 3), ((1, 2), (2, 3), (3, 1)), "cycle"),
    ],
)
def test_invalid_instances_are_refused(
    times: tuple[int, ...], arcs: tuple[tuple[int, int], ...], message: str
) -> None:
    with pytest.raises(InstanceError, match=message):
        Instance(times, arcs)
