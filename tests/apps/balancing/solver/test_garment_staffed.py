"""Named lines staffed by matching: anonymous lines at a tighter pace, workers matched after."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from loom.apps.balancing.solver.garment import evaluate
from loom.apps.balancing.solver.garment.heuristic import greedy, greedy_operators
from loom.apps.balancing.solver.garment.rules import split_range
from loom.apps.balancing.solver.garment.solve import solve
from loom.apps.balancing.solver.garment.staffed import shortest_staffed, staff, staffed_line
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task, Worker
from tests.apps.balancing.solver.test_garment_solve import KINDS, random_style

LS, OV = "lockstitch", "overlock"


def _problem(workers: tuple[Worker, ...]) -> LineProblem:
    # A: 0.9 min at grade 3; B: 0.5 min at grade 1; both lockstitch, A before B
    tasks = (Task(1, "A", 9_000, LS, 3), Task(2, "B", 5_000, LS, 1, (1,)))
    return LineProblem(tasks, workers, cycle_time_e4=10_000)


LINE = Assignment((Station(None, ((1, 1),)), Station(None, ((2, 1),))))


def _hands(problem: LineProblem) -> list[int | None]:
    """Return the workers the matching puts on LINE's two stations, in line order."""
    staffed = staff(problem, LINE, 10_000)
    assert staffed is not None
    assert not evaluate(problem, staffed).violations
    return [s.worker_id for s in staffed.stations]


def test_the_matching_puts_the_only_qualified_hand_where_it_is_needed() -> None:
    # only the senior may sew A (grade 3); she is the slower hand, which the matching would
    # rather keep free, yet every station must be staffed: A to her, B to the junior
    junior = Worker(1, "JUNIOR", {LS: 1}, {LS: 100})
    senior = Worker(2, "SENIOR", {LS: 3}, {LS: 95})
    problem = _problem((junior, senior))
    assert _hands(problem) == [2, 1]
    # A: 9,000 * 100 / 95 = 9,473.7 -> 9,474 e4 on the senior; B: 5,000 on the junior
    staffed = staff(problem, LINE, 10_000)
    assert staffed is not None
    assert evaluate(problem, staffed).bottleneck_e4 == 9_474


def test_no_matching_when_two_stations_need_the_one_senior() -> None:
    seniors_only_one = (Worker(1, "J1", {LS: 1}), Worker(2, "S", {LS: 3}), Worker(3, "J2", {LS: 1}))
    problem = LineProblem(
        (Task(1, "A", 9_000, LS, 3), Task(2, "B", 9_000, LS, 3, (1,))),
        seniors_only_one,
        cycle_time_e4=10_000,
    )
    assert staff(problem, LINE, 10_000) is None


def test_a_station_too_heavy_for_the_slow_hand_goes_to_the_fast_one() -> None:
    # 0.9 min fits 9,000 * 100 / 85 = 10,588 > 10,000 for the slow hand: only the fast one
    slow = Worker(1, "SLOW", {LS: 5}, {LS: 85})
    fast = Worker(2, "FAST", {LS: 5}, {LS: 110})
    assert _hands(_problem((slow, fast))) == [2, 1]
    assert staff(_problem((slow, Worker(3, "SLOW2", {LS: 5}, {LS: 85}))), LINE, 10_000) is None


def test_more_stations_than_workers_cannot_be_staffed() -> None:
    problem = _problem((Worker(1, "ONLY", {LS: 5}),))
    assert staff(problem, LINE, 10_000) is None


def _named(seed: int) -> LineProblem:
    rng = random.Random(300 + seed)
    tasks = random_style(rng, rng.randint(8, 14), 10_000)
    tasks = tuple(
        Task(t.id, t.code, t.sam_e4, t.machine_type, rng.choice((1, 2, 3)), t.predecessors)
        for t in tasks
    )
    workers = tuple(
        Worker(
            n,
            f"W{n}",
            {kind: rng.choice((1, 2, 3)) for kind in KINDS if rng.random() < 0.5}
            | {KINDS[n % len(KINDS)]: 3},
            {kind: rng.randrange(80, 125, 5) for kind in KINDS},
        )
        for n in range(1, 13)
    )
    return LineProblem(tasks, workers, cycle_time_e4=12_000, max_split=3)


@pytest.mark.parametrize("seed", range(12))
def test_staffed_lines_are_valid_and_never_worse_than_the_line_given(seed: int) -> None:
    problem = _named(seed)
    ranges = {t.id: split_range(problem, t, 12_000) for t in problem.tasks}
    start = greedy(problem, 12_000)
    found = staffed_line(problem, 12_000, ranges, 5.0, start)
    # every one of these styles has a greedy line at this pace, so an answer is always due
    assert found is not None
    figures = evaluate(problem, found)
    assert not figures.violations
    assert all(s.worker_id is not None for s in found.stations)
    if start is not None:
        known = evaluate(problem, start)
        assert (figures.operators, figures.bottleneck_e4) <= (known.operators, known.bottleneck_e4)


def test_staffing_finds_lines_on_most_random_named_styles() -> None:
    # guard for the skip above: staffing must find a line on most of these styles
    found = 0
    for seed in range(12):
        problem = _named(seed)
        ranges = {t.id: split_range(problem, t, 12_000) for t in problem.tasks}
        found += staffed_line(problem, 12_000, ranges, 5.0) is not None
    assert found >= 9


@pytest.mark.parametrize("seed", range(6))
def test_solve_keeps_its_proofs_with_staffed_lines(seed: int) -> None:
    # staffing only offers lines: what solve proves optimal stays the exact optimum, which
    # staffing never undercuts (a staffed line is a line)
    problem = _named(seed)
    answer = solve(problem, time_limit=30)
    ranges = {t.id: split_range(problem, t, 12_000) for t in problem.tasks}
    staffed = staffed_line(problem, 12_000, ranges, 5.0)
    if answer.optimal and staffed is not None and answer.figures is not None:
        assert evaluate(problem, staffed).operators >= answer.figures.operators
    if answer.assignment is not None:
        assert not evaluate(problem, answer.assignment).violations


@pytest.mark.parametrize("seed", range(6))
def test_the_staffed_bisection_keeps_the_operators_and_never_lengthens_the_bottleneck(
    seed: int,
) -> None:
    problem = replace(_named(seed), cycle_time_e4=None, operators=8)
    stations = 8
    start = greedy_operators(problem, stations)
    high = evaluate(problem, start).bottleneck_e4 if start else 60_000
    found = shortest_staffed(problem, stations, (1_000, high - 1), 3.0, start)
    if found is None:
        assert start is None
        return
    figures = evaluate(problem, found)
    assert not figures.violations
    assert figures.operators <= stations
    if start is not None:
        assert figures.bottleneck_e4 <= evaluate(problem, start).bottleneck_e4


def test_the_staffed_bisection_shortens_the_greedy_bottleneck_somewhere() -> None:
    # guard for the test above: on some of these styles it finds a shorter bottleneck
    shorter = 0
    for seed in range(6):
        problem = replace(_named(seed), cycle_time_e4=None, operators=8)
        start = greedy_operators(problem, 8)
        if start is None:
            continue
        neck = evaluate(problem, start).bottleneck_e4
        found = shortest_staffed(problem, 8, (1_000, neck - 1), 3.0, start)
        shorter += found is not None and evaluate(problem, found).bottleneck_e4 < neck
    assert shorter >= 1
