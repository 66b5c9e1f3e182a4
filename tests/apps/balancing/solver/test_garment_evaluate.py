"""The evaluator: hand-computed figures and one case per violation code."""

from __future__ import annotations

import pytest

from loom.apps.balancing.solver.garment import evaluate
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task, Worker

# A (lockstitch 0.6 min) -> B (lockstitch 1.5 min) -> C (overlock 0.4 min)
A = Task(1, "A", 6_000, "lockstitch")
B = Task(2, "B", 15_000, "lockstitch", predecessors=(1,))
C = Task(3, "C", 4_000, "overlock", grade=2, predecessors=(2,))
STYLE = (A, B, C)


def line(*stations: tuple[int | None, tuple[tuple[int, int], ...]]) -> Assignment:
    return Assignment(tuple(Station(worker, tasks) for worker, tasks in stations))


def codes(problem: LineProblem, assignment: Assignment) -> list[str]:
    return [v.code for v in evaluate(problem, assignment).violations]


def test_figures_of_a_valid_line_with_a_split_task() -> None:
    problem = LineProblem(STYLE, cycle_time_e4=10_000)
    figures = evaluate(
        problem,
        line((None, ((1, 1),)), (None, ((2, 2),)), (None, ((2, 2),)), (None, ((3, 1),))),
    )
    assert figures.violations == ()
    # loads: A 6,000; B in halves 15,000 / 2 = 7,500 twice; C 4,000
    assert [s.load_e4 for s in figures.stations] == [6_000, 7_500, 7_500, 4_000]
    assert figures.bottleneck_e4 == 7_500
    assert figures.bottleneck_stations == (1, 2)
    assert [s.idle_e4 for s in figures.stations] == [1_500, 0, 0, 3_500]
    # 25,000 of work over 4 operators x 7,500 = 0.8333...
    assert figures.balance_efficiency == pytest.approx(25_000 / 30_000)
    assert figures.output_per_hour == pytest.approx(80.0)  # 600,000 / 7,500
    assert figures.total_sam_e4 == 25_000
    assert figures.operators == 4
    assert [s.machine_type for s in figures.stations] == [
        "lockstitch",
        "lockstitch",
        "lockstitch",
        "overlock",
    ]


def test_efficiency_scales_the_load_and_rounds_up() -> None:
    slow = Worker(7, "W7", {"lockstitch": 1}, {"lockstitch": 80})
    quick = Worker(8, "W8", {"lockstitch": 1, "overlock": 2}, {"overlock": 120})
    problem = LineProblem(STYLE, (slow, quick), cycle_time_e4=30_000)
    figures = evaluate(problem, line((7, ((1, 1), (2, 1))), (8, ((3, 1),))))
    assert figures.violations == ()
    # W7: (6,000 + 15,000) x 100 / 80 = 26,250; W8: 4,000 x 100 / 120 = 3,333.3 -> 3,334
    assert [s.load_e4 for s in figures.stations] == [26_250, 3_334]
    assert [s.worker_id for s in figures.stations] == [7, 8]


def test_an_empty_line_has_zero_figures() -> None:
    figures = evaluate(LineProblem(STYLE, operators=2), Assignment(()))
    assert (figures.bottleneck_e4, figures.output_per_hour, figures.balance_efficiency) == (
        0,
        0.0,
        0.0,
    )
    assert codes(LineProblem(STYLE, operators=2), Assignment(())) == ["missing"] * 3


ALL = ((1, 1), (2, 1), (3, 1))


@pytest.mark.parametrize(
    ("stations", "expected"),
    [
        # lockstitch and overlock on one station
        ([(None, ALL)], ["mixed_machines"]),
        # C before B
        ([(None, ((1, 1), (2, 1))), (None, ((3, 1),))][::-1], ["precedence"]),
        # B in 2 parts on one station only
        ([(None, ((1, 1), (2, 2))), (None, ((3, 1),))], ["split"]),
        # B in 5 parts: above the limit of 4 (and on 1 station)
        ([(None, ((1, 1), (2, 5))), (None, ((3, 1),))], ["split"]),
        # B said to be in 2 and in 3 parts
        ([(None, ((1, 1), (2, 2))), (None, ((2, 3),)), (None, ((3, 1),))], ["split"]),
        ([(None, ((1, 1),)), (None, ((3, 1),))], ["missing"]),
        ([(None, ((1, 1), (2, 1), (9, 1))), (None, ((3, 1),))], ["unknown_task"]),
        ([(None, ((1, 1), (1, 1), (2, 1))), (None, ((3, 1),))], ["duplicate"]),
    ],
)
def test_each_rule_of_an_anonymous_line(
    stations: list[tuple[int | None, tuple[tuple[int, int], ...]]], expected: list[str]
) -> None:
    assert codes(LineProblem(STYLE, operators=5), line(*stations)) == expected


def test_over_cycle_names_the_station() -> None:
    problem = LineProblem(STYLE, cycle_time_e4=20_000)
    found = evaluate(problem, line((None, ((1, 1), (2, 1))), (None, ((3, 1),))))
    # station 1 carries 6,000 + 15,000 = 21,000 > 20,000
    assert [(v.code, v.station) for v in found.violations] == [("over_cycle", 0)]


def test_too_many_operators() -> None:
    problem = LineProblem(STYLE, operators=1)
    found = codes(problem, line((None, ((1, 1), (2, 1))), (None, ((3, 1),))))
    assert found == ["too_many_operators"]


def test_worker_rules() -> None:
    sewer = Worker(1, "W1", {"lockstitch": 2})
    novice = Worker(2, "W2", {"overlock": 1})  # C needs overlock grade 2
    problem = LineProblem(STYLE, (sewer, novice), cycle_time_e4=30_000)
    assert codes(problem, line((1, ((1, 1), (2, 1))), (2, ((3, 1),)))) == ["skill"]
    assert codes(problem, line((2, ((1, 1), (2, 1))), (1, ((3, 1),)))) == ["skill"] * 3
    assert codes(problem, line((1, ((1, 1), (2, 1))), (9, ((3, 1),)))) == ["unknown_worker"]
    assert codes(problem, line((1, ((1, 1),)), (1, ((2, 1),)), (None, ((3, 1),)))) == [
        "no_worker",
        "worker_twice",
    ]


def test_a_violation_carries_station_task_and_message() -> None:
    problem = LineProblem(STYLE, cycle_time_e4=30_000)
    (violation,) = evaluate(problem, line((None, ((1, 1),)), (None, ((3, 1),)))).violations
    assert (violation.code, violation.task_id, violation.station) == ("missing", 2, None)
    assert "B" in violation.message
