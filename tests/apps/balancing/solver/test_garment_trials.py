"""Trials from both ends, the deadline test and dominated states: by hand and against CP-SAT."""

from __future__ import annotations

import random

import pytest

from loom.apps.balancing.solver.garment import evaluate
from loom.apps.balancing.solver.garment.grouped import GroupModel
from loom.apps.balancing.solver.garment.heuristic import greedy
from loom.apps.balancing.solver.garment.intervals import StyleBounds
from loom.apps.balancing.solver.garment.layers import Layers
from loom.apps.balancing.solver.garment.prune import (
    SAMPLE,
    TRY_CALLS,
    Deadlines,
    Kept,
    State,
    dominated,
)
from loom.apps.balancing.solver.garment.stacked import reversed_style
from loom.apps.balancing.solver.garment.trials import Trials, shortest_by_trials
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task
from tests.apps.balancing.solver.test_garment_intervals import (
    exact_optimum,
    random_style,
    ranges_of,
)

LS, OV = "lockstitch", "overlock"


def test_work_due_before_the_stations_left_can_hold_it_fails() -> None:
    # two lockstitch operations of 0.6 (capacity 1.0) both due by station 1: from station
    # 1 on there is one station for them, and they need two (each is over half a station)
    size = [[0, 6], [0, 6], [0, 3]]
    due = Deadlines(kind=[0, 0, 1], size=size, lo=[1, 1, 1], capacity=10, due=[1, 1, 4])
    assert not due.fit((0, ()), start=1, room=10)
    # from station 0 the two stations 0 and 1 hold them
    assert due.fit((0, ()), start=0, room=10)
    # one of them done: the other fits station 1 alone
    assert due.fit((0b01, ()), start=1, room=10)
    # a begun split with 2 of 3 shares of 0.4 left (0.8 of work, shares under half): one
    # station holds them by work, so only the overlock operation due at 4 counts there
    split = Deadlines(kind=[0, 1], size=[[0, 12, 6, 4], [0, 3]], lo=[3, 1], capacity=10, due=[1, 4])
    assert split.fit((0, ((0, 3, 1),)), start=1, room=10)
    # nothing placed yet: its three shares of 0.4 are 1.2 of work, two stations, not one
    assert not split.fit((0, ()), start=1, room=10)
    # work due before the next station is late whatever its size
    assert not due.fit((0b10, ()), start=2, room=10)


def test_the_deadline_test_rests_where_it_rules_out_nothing_and_wakes_when_it_does() -> None:
    # overlock 0.3 due by station 4: from station 0 it always fits, so after TRY_CALLS
    # calls the test runs on one call in SAMPLE only; a state it rules out (work due before
    # the next station) found on such a call turns it back on for every call
    due = Deadlines(kind=[0], size=[[0, 3]], lo=[1], capacity=10, due=[4])
    runs = 0
    fit = due.fit

    def counted(state: State, start: int, room: int) -> bool:
        nonlocal runs
        runs += 1
        return fit(state, start, room)

    due.fit = counted  # type: ignore[method-assign]
    for _ in range(TRY_CALLS):
        assert due.check((0, ()), 0, 10)
    assert runs == TRY_CALLS
    for _ in range(SAMPLE * 4):
        assert due.check((0, ()), 0, 10)
    assert runs == TRY_CALLS + 4
    # resting, a late state passes until a sampled call rules it out; from then on the
    # test is awake and every call runs (and rules it out)
    before = runs
    verdicts = [due.check((0, ()), 5, 10) for _ in range(SAMPLE)]
    woken = verdicts.index(False)
    assert verdicts == [True] * woken + [False] * (SAMPLE - woken)
    assert runs == before + SAMPLE - woken


def test_a_state_one_operation_behind_a_kept_one_is_dominated() -> None:
    preds = [0, 0b001, 0b001]  # 1 and 2 follow 0
    kept: Kept = {(0b011, ()): [()]}
    assert dominated((0b001, ()), kept, preds)  # {0} is behind {0, 1}
    assert not dominated((0b101, ()), kept, preds)  # {0, 2} is not a subset of {0, 1}
    # a split begun with one share placed is behind the state where it is finished
    assert dominated((0b001, ((1, 2, 1),)), kept, preds)
    # and behind one with more of its shares placed, the rest equal
    kept_split: Kept = {(0b011, ((2, 3),)): [(2,)]}
    assert dominated((0b001, ((2, 3, 2),)), kept_split, preds)
    assert not dominated((0b001, ((2, 3, 1),)), {(0b011, ((2, 3),)): [(0,)]}, preds)
    # the kept state began a split the other has not: it committed to a part count
    assert not dominated((0b001, ()), kept_split, preds)
    # an entry with no state kept (pruned before it was kept) dominates nothing
    assert not dominated((0b001, ()), {(0b011, ()): []}, preds)


def trials_of(problem: LineProblem) -> Trials:
    assert problem.cycle_time_e4 is not None
    return Trials(problem, problem.cycle_time_e4, ranges_of(problem))


@pytest.mark.parametrize("seed", range(30))
def test_trials_from_both_ends_equal_the_exact_optimum(seed: int) -> None:
    # forward, backward and both at once: no line below the optimum CP-SAT proves alone,
    # and from a longer line's size the first layer to finish has the optimum's stations
    rng = random.Random(500 + seed)
    problem = LineProblem(
        random_style(rng, rng.randint(6, 12)),
        cycle_time_e4=rng.choice((8_000, 10_000, 12_000)),
        max_split=rng.choice((3, 4)),
    )
    ranges = ranges_of(problem)
    if any(lo > hi for lo, hi in ranges.values()):
        return  # no line at all: test_garment_layers covers the refusal
    optimum = exact_optimum(problem)
    start = greedy(problem, problem.cycle_time_e4 or 0)
    assert start is not None
    both = trials_of(problem)
    assert both.trial(optimum - 1, 30.0) is None
    line = both.trial(len(start.stations), 30.0)
    assert line is not None
    assert len(line.stations) == optimum
    assert not evaluate(problem, line).violations
    # the backward search alone, its line read forwards
    back = reversed_style(problem)
    cycle = problem.cycle_time_e4 or 0
    layers = Layers(back, cycle, ranges, StyleBounds(back, cycle, ranges).reaches())
    assert layers.trial(optimum - 1, 30.0) is None
    found = layers.trial(len(start.stations), 30.0)
    assert found is not None
    assert len(found.stations) == optimum
    forwards = Assignment(tuple(reversed(found.stations)))
    assert not evaluate(problem, forwards).violations
    # the trial a station below a line proves it or returns the optimum
    shorter, bound = both.shorter(start, 1, 30.0)
    assert bound == len(shorter.stations) == optimum


def test_the_shortest_bottleneck_by_trials_by_hand() -> None:
    # lockstitch 0.6, 0.6, 0.4 at a 1.2 min target on 2 operators: {A, B} + {C} holds 1.2;
    # {A, C} + {B} holds 1.0, and nothing shorter (each 0.6 needs its own operator)
    tasks = (Task(1, "A", 6_000, LS), Task(2, "B", 6_000, LS), Task(3, "C", 4_000, LS))
    problem = LineProblem(tasks, cycle_time_e4=12_000)
    start = Assignment((Station(None, ((1, 1), (2, 1))), Station(None, ((3, 1),))))
    assert evaluate(problem, start).bottleneck_e4 == 12_000
    line, proved = shortest_by_trials(problem, start, 2, ranges_of(problem), 10.0)
    figures = evaluate(problem, line)
    assert proved
    assert (figures.operators, figures.bottleneck_e4, figures.violations) == (2, 10_000, ())


@pytest.mark.parametrize("seed", range(12))
def test_the_shortest_bottleneck_by_trials_equals_cp_sat(seed: int) -> None:
    # on the optimum's operators, the bottleneck the trials prove is the one CP-SAT proves
    rng = random.Random(700 + seed)
    problem = LineProblem(random_style(rng, rng.randint(6, 10)), cycle_time_e4=10_000, max_split=3)
    ranges = ranges_of(problem)
    if any(lo > hi for lo, hi in ranges.values()):
        return
    optimum = exact_optimum(problem)
    start = trials_of(problem).trial(optimum, 30.0)
    assert start is not None
    line, proved = shortest_by_trials(problem, start, optimum, ranges, 60.0)
    assert proved
    model = GroupModel(problem, optimum, 1, 10_000, ranges)
    outcome = model.solve(60.0, 1, "cycle")
    assert outcome.status == "optimal"
    assert outcome.assignment is not None
    expected = evaluate(problem, outcome.assignment).bottleneck_e4
    figures = evaluate(problem, line)
    assert figures.bottleneck_e4 == expected
    assert figures.operators <= optimum
    assert not figures.violations
