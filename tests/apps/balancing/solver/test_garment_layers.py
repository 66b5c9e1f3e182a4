"""The station-by-station search: by hand, and equal to the exact optimum on random styles."""

from __future__ import annotations

import random

import pytest

from loom.apps.balancing.solver.garment import evaluate, solve
from loom.apps.balancing.solver.garment.heuristic import greedy
from loom.apps.balancing.solver.garment.intervals import StyleBounds
from loom.apps.balancing.solver.garment.layers import Layers, OutOfTime, shortest_cycle
from loom.apps.balancing.solver.garment.trials import Trials
from loom.apps.balancing.solver.model import LineProblem, Task
from tests.apps.balancing.solver.test_garment_intervals import (
    exact_optimum,
    random_style,
    ranges_of,
)

LS, OV = "lockstitch", "overlock"


def layers_of(problem: LineProblem) -> Layers:
    assert problem.cycle_time_e4 is not None
    ranges = ranges_of(problem)
    runs = StyleBounds(problem, problem.cycle_time_e4, ranges)
    return Layers(problem, problem.cycle_time_e4, ranges, runs.reaches())


def test_a_change_of_machine_keeps_two_lockstitch_operations_apart() -> None:
    # lockstitch 0.3 -> overlock 0.3 -> lockstitch 0.3 at a 1.0 min cycle: the two
    # lockstitch operations cannot share an operator (the overlock one sits between),
    # so 3 stations although the lockstitch work (0.6) fits in one
    tasks = (
        Task(1, "A", 3_000, LS),
        Task(2, "B", 3_000, OV, predecessors=(1,)),
        Task(3, "C", 3_000, LS, predecessors=(2,)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    layers = layers_of(problem)
    assert layers.trial(2, 10.0) is None
    line = layers.trial(3, 10.0)
    assert line is not None
    assert [s.tasks for s in line.stations] == [((1, 1),), ((2, 1),), ((3, 1),)]


@pytest.mark.parametrize(("max_split", "fewest"), [(2, 4), (3, 3)])
def test_the_split_count_decides_what_fits(max_split: int, fewest: int) -> None:
    # lockstitch 1.2 min and three of 0.5 min at a 1.0 min cycle (2.7 min of work): in 2
    # parts of 0.6 no share leaves room for a 0.5 one ({A}, {A}, {B, C}, {D}: 4 stations);
    # in 3 parts of 0.4 each share takes one of them ({A, B}, {A, C}, {A, D}: 3)
    tasks = (Task(1, "A", 12_000, LS), *(Task(n, f"T{n}", 5_000, LS) for n in (2, 3, 4)))
    problem = LineProblem(tasks, cycle_time_e4=10_000, max_split=max_split)
    layers = layers_of(problem)
    assert layers.trial(fewest - 1, 10.0) is None
    line = layers.trial(fewest + 1, 10.0)
    assert line is not None
    assert len(line.stations) == fewest
    assert not evaluate(problem, line).violations


def test_out_of_time_proves_nothing() -> None:
    rng = random.Random(3)
    problem = LineProblem(random_style(rng, 10), cycle_time_e4=10_000, max_split=3)
    with pytest.raises(OutOfTime):
        layers_of(problem).trial(20, 0.0)


@pytest.mark.parametrize("seed", range(40))
def test_fewest_stations_equal_the_exact_optimum(seed: int) -> None:
    # the maximal loads and the skipped states lose no line: the first layer to finish the
    # style is the optimum the exact grouped model proves alone; the beam's line is valid
    rng = random.Random(seed)
    problem = LineProblem(
        random_style(rng, rng.randint(6, 12)),
        cycle_time_e4=rng.choice((8_000, 10_000, 12_000)),
        max_split=rng.choice((2, 3, 4)),
    )
    ranges = ranges_of(problem)
    if any(lo > hi for lo, hi in ranges.values()):
        # an operation needs more than max_split operators: no line exists, and solve says so
        answer = solve(problem, time_limit=5.0, workers=1)
        assert (answer.status, answer.assignment) == ("infeasible", None), answer.message
        return
    optimum = exact_optimum(problem)
    layers = layers_of(problem)
    assert layers.trial(optimum - 1, 30.0) is None
    start = greedy(problem, problem.cycle_time_e4 or 0)
    assert start is not None
    line = layers.trial(len(start.stations), 30.0)
    assert line is not None
    assert len(line.stations) == optimum
    assert not evaluate(problem, line).violations
    beam = layers.beam(5.0)
    assert beam is not None
    assert len(beam.stations) >= optimum
    assert not evaluate(problem, beam).violations


@pytest.mark.parametrize("seed", range(12))
def test_one_trial_below_a_line_proves_it_or_finds_the_optimum(seed: int) -> None:
    # from the greedy line: either no line has fewer stations (the bound meets the line)
    # or the line found is the exact optimum
    rng = random.Random(200 + seed)
    problem = LineProblem(random_style(rng, rng.randint(6, 12)), cycle_time_e4=10_000, max_split=3)
    start = greedy(problem, 10_000)
    assert start is not None
    optimum = exact_optimum(problem)
    line, bound = Trials(problem, 10_000, ranges_of(problem), layers_of(problem)).shorter(
        start, 1, 30.0
    )
    assert bound == len(line.stations) == optimum
    assert not evaluate(problem, line).violations


def test_the_cycle_bisection_finds_the_shortest_bottleneck_by_hand() -> None:
    # lockstitch 0.6, 0.6 and 0.4 min on 2 operators: {0.6, 0.4} and {0.6} hold a 1.0 min
    # bottleneck, and no two stations hold less (each 0.6 needs its own; 0.4 joins one)
    tasks = (Task(1, "A", 6_000, LS), Task(2, "B", 6_000, LS), Task(3, "C", 4_000, LS))
    problem = LineProblem(tasks, operators=2)
    line = shortest_cycle(problem, 2, 8_000, 16_000, 10.0)
    assert line is not None
    figures = evaluate(problem, line)
    assert (figures.operators, figures.bottleneck_e4, figures.violations) == (2, 10_000, ())
    # below 1.0 min nothing fits 2 operators: the bisection returns no line
    assert shortest_cycle(problem, 2, 8_000, 9_999, 10.0) is None


@pytest.mark.parametrize("seed", range(8))
def test_the_cycle_bisection_returns_valid_lines(seed: int) -> None:
    rng = random.Random(300 + seed)
    tasks = random_style(rng, rng.randint(6, 12))
    total = sum(t.sam_e4 for t in tasks)
    # enough operators for the greedy line at the loosest cycle (every task whole)
    loose = greedy(LineProblem(tasks, cycle_time_e4=total), total)
    assert loose is not None
    operators = len(loose.stations) + rng.randint(0, 2)
    problem = LineProblem(tasks, operators=operators, max_split=3)
    line = shortest_cycle(problem, operators, 1, total, 10.0)
    assert line is not None
    figures = evaluate(problem, line)
    assert not figures.violations
    assert figures.operators <= operators
    assert figures.bottleneck_e4 <= total
