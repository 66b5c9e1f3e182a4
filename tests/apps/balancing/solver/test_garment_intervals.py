"""The interval bound and the sub-style windows: by hand, and never above an exact optimum."""

from __future__ import annotations

import random

import pytest

from loom.apps.balancing.solver.garment import evaluate
from loom.apps.balancing.solver.garment.bounds import Window, line_bound
from loom.apps.balancing.solver.garment.grouped import GroupModel, Outcome
from loom.apps.balancing.solver.garment.heuristic import greedy
from loom.apps.balancing.solver.garment.intervals import fits, places, runs_fit, style_bound
from loom.apps.balancing.solver.garment.packing import packing_bound
from loom.apps.balancing.solver.garment.rules import split_range
from loom.apps.balancing.solver.garment.stacked import SubBounds, reaches, reversed_style
from loom.apps.balancing.solver.model import LineProblem, Task, Worker

LS, OV, MN = "lockstitch", "overlock", "manual"


def ranges_of(problem: LineProblem) -> dict[int, tuple[int, int]]:
    assert problem.cycle_time_e4 is not None
    return {t.id: split_range(problem, t, problem.cycle_time_e4) for t in problem.tasks}


def test_a_run_that_cannot_hold_its_tasks() -> None:
    # three 0.4 min tasks of three machine types whose windows lie in stations 0-1: any
    # line needs a station per machine type there (3 > 2), whatever the work (1.2 min)
    tasks = (Task(1, "A", 4_000, LS), Task(2, "B", 4_000, OV), Task(3, "C", 4_000, MN))
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    ranges = ranges_of(problem)
    tight = {i: Window(0, 1, 0, 1) for i in (1, 2, 3)}
    assert not runs_fit(problem, tight, 4, 10_000, ranges)
    # one of them may reach station 2: stations 0-2 hold all three, 0-1 only two
    loose = {**tight, 3: Window(0, 2, 0, 2)}
    assert runs_fit(problem, loose, 4, 10_000, ranges)


def test_big_shares_need_a_station_each() -> None:
    # two lockstitch tasks of 0.6 min (1.2 min of work: two stations either way) and a
    # 1.5 min one split in 2 parts of 0.75: four shares over half a 1.0 min cycle, so a run
    # holding all three needs four stations although the work (2.7 min) fits in three
    tasks = (Task(1, "A", 6_000, LS), Task(2, "B", 6_000, LS), Task(3, "C", 15_000, LS))
    problem = LineProblem(tasks, cycle_time_e4=10_000, max_split=2)
    ranges = ranges_of(problem)
    assert ranges[3] == (2, 2)
    # on a line of 3 stations all three may sit anywhere, yet the run [0, 2] is too short
    anywhere = {i: Window(0, 2, 0, 2) for i in (1, 2, 3)}
    assert not runs_fit(problem, anywhere, 3, 10_000, ranges)
    assert runs_fit(problem, {i: Window(0, 3, 0, 3) for i in (1, 2, 3)}, 4, 10_000, ranges)
    # up to 4 parts, C's shares may be short (0.375 min): only A and B are long, and the
    # work needs 3 stations, so the run test no longer rules 3 stations out (the packing
    # does: C's parts sit on different stations)
    short = LineProblem(tasks, cycle_time_e4=10_000, max_split=4)
    assert runs_fit(short, anywhere, 3, 10_000, ranges_of(short))


def test_sub_assembly_chains_push_the_join_back() -> None:
    # two sub-assemblies, each lockstitch 0.2 -> overlock 0.3 -> lockstitch 0.2 at a 1.0
    # min cycle, joined by a manual 0.2: per machine type the work before the join is one
    # lockstitch (0.8 min) and one overlock (0.6) station, but each chain alternates types,
    # so the stations before the join are at least three (the chain's own: LS, OV, LS)
    tasks = (
        Task(1, "A1", 2_000, LS),
        Task(2, "A2", 3_000, OV, predecessors=(1,)),
        Task(3, "A3", 2_000, LS, predecessors=(2,)),
        Task(4, "B1", 2_000, LS),
        Task(5, "B2", 3_000, OV, predecessors=(4,)),
        Task(6, "B3", 2_000, LS, predecessors=(5,)),
        Task(7, "J", 2_000, MN, predecessors=(3, 6)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    reach = reaches(SubBounds(problem, 10_000, ranges_of(problem)))
    # the join's ancestors need 3 stations, the join itself one more (another type)
    assert (reach[7].first, reach[7].last) == (3, 4)
    # read backwards, the join is first and A1's descendants are A2, A3 and the join
    assert (reach[1].from_last, reach[1].from_first) == (3, 4)
    # the line [A1 B1] [A2 B2] [A3 B3] [J] has 4 operators: the bound meets it
    assert style_bound(problem, 10_000, ranges_of(problem), 1, 10) == 4


def test_reversed_style_reverses_every_edge() -> None:
    tasks = (
        Task(1, "A", 1_000, LS),
        Task(2, "B", 1_000, OV, predecessors=(1,)),
        Task(3, "C", 1_000, LS, predecessors=(1, 2)),
    )
    back = reversed_style(LineProblem(tasks, cycle_time_e4=10_000))
    assert {t.id: set(t.predecessors) for t in back.tasks} == {1: {2, 3}, 2: {3}, 3: set()}


def random_style(rng: random.Random, size: int) -> tuple[Task, ...]:
    """Return tasks of up to three machine types, some longer than a 1.0 min cycle."""
    tasks = []
    for n in range(1, size + 1):
        preds = tuple(p for p in range(max(1, n - 4), n) if rng.random() < 0.4)
        long = rng.random() < 0.15
        sam = rng.randrange(10_500, 18_000, 500) if long else rng.randrange(1_000, 7_000, 500)
        kind = rng.choice((LS, LS, OV, MN))
        tasks.append(Task(n, f"T{n}", sam, kind, 1, preds))
    return tuple(tasks)


def exact_optimum(problem: LineProblem) -> int:
    """Return the fewest operators by the exact search alone (no bound given to it)."""
    assert problem.cycle_time_e4 is not None
    cycle = problem.cycle_time_e4
    start = greedy(problem, cycle)
    assert start is not None
    ranges = ranges_of(problem)
    model = GroupModel(problem, len(start.stations), cycle, cycle, ranges)
    outcome = model.solve(30.0, 1, "stations")
    assert outcome.status == "optimal"
    assert outcome.assignment is not None
    return len(outcome.assignment.stations)


@pytest.mark.parametrize("seed", range(40))
def test_interval_bound_never_exceeds_the_exact_optimum(seed: int) -> None:
    rng = random.Random(seed)
    problem = LineProblem(random_style(rng, rng.randint(6, 11)), cycle_time_e4=10_000, max_split=3)
    optimum = exact_optimum(problem)
    ranges = ranges_of(problem)
    low = line_bound(problem, 10_000, {i: lo for i, (lo, _) in ranges.items()})
    assert style_bound(problem, 10_000, ranges, low, optimum + 3) <= optimum
    # a line of the optimum (or more) stations exists, so no trial size from it on is ruled out
    sub = SubBounds(problem, 10_000, ranges)
    reach = reaches(sub)
    for stations in range(optimum, optimum + 3):
        assert fits(problem, stations, 10_000, ranges, reach, sub)


def test_interval_bound_sees_what_the_other_bounds_miss() -> None:
    # seed 18 of the random styles (7 tasks): the exact search needs 6 operators; the
    # windows bound and the per-type packing bound both stop at 5, the interval bound at 6
    rng = random.Random(18)
    problem = LineProblem(random_style(rng, rng.randint(6, 11)), cycle_time_e4=10_000, max_split=3)
    ranges = ranges_of(problem)
    low = line_bound(problem, 10_000, {i: lo for i, (lo, _) in ranges.items()})
    assert (low, packing_bound(problem, ranges, 10_000, 5.0).total) == (5, 5)
    assert style_bound(problem, 10_000, ranges, low, 9) == 6 == exact_optimum(problem)


@pytest.mark.parametrize("seed", range(6))
def test_interval_bound_with_named_workers(seed: int) -> None:
    # efficiencies change the capacities (each type at its fastest hand): still a bound
    rng = random.Random(100 + seed)
    workers = tuple(
        Worker(
            w,
            f"W{w}",
            dict.fromkeys((LS, OV, MN), 5),
            {kind: rng.randrange(80, 125, 5) for kind in (LS, OV, MN)},
        )
        for w in range(1, 13)
    )
    tasks = random_style(rng, rng.randint(6, 9))
    problem = LineProblem(tasks, workers, cycle_time_e4=10_000, max_split=3)
    optimum = exact_optimum(problem)
    ranges = ranges_of(problem)
    assert style_bound(problem, 10_000, ranges, 1, optimum + 3) <= optimum


@pytest.mark.parametrize("seed", range(12))
def test_places_keep_an_optimal_line(seed: int) -> None:
    # the exact search told where each task may sit on a line of the optimum's size still
    # finds a line of that size: the places cut no line of that many stations
    rng = random.Random(seed)
    problem = LineProblem(random_style(rng, rng.randint(6, 11)), cycle_time_e4=10_000, max_split=3)
    optimum = exact_optimum(problem)
    ranges = ranges_of(problem)
    spots = places(problem, optimum, 10_000, ranges, reaches(SubBounds(problem, 10_000, ranges)))
    model = GroupModel(problem, optimum, 10_000, 10_000, ranges, places=spots)
    outcome = model.solve(30.0, 1, "stations")
    assert outcome.status == "optimal"
    assert outcome.assignment is not None
    assert len(outcome.assignment.stations) == optimum
    assert not evaluate(problem, outcome.assignment).violations


def test_a_packing_out_of_time_keeps_what_the_work_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    # CP-SAT stopped before its first bound reports 0; the type still needs its work over a
    # station (lockstitch 0.6 + 0.6 + 0.3 = 1.5 min at a 1.0 min cycle: 2) and a station
    # per share over half one (0.6 and 0.6: 2); overlock 1.4 min split in 2 parts of 0.7: 2
    tasks = (
        Task(1, "A", 6_000, LS),
        Task(2, "B", 6_000, LS),
        Task(3, "C", 3_000, LS),
        Task(4, "D", 14_000, OV, predecessors=(1,)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000, max_split=2)
    ranges = ranges_of(problem)
    assert ranges[4] == (2, 2)

    def out_of_time(self: GroupModel, *args: object) -> Outcome:
        return Outcome("unknown", None, None, 0.0)

    monkeypatch.setattr(GroupModel, "solve", out_of_time)
    found = packing_bound(problem, ranges, 10_000, 5.0)
    assert {t.kind: t.least for t in found.types} == {LS: 2, OV: 2}
    # with three 0.6 min lockstitch tasks the long shares decide: 3 (work 1.8 needs 2)
    third = LineProblem((*tasks[:2], Task(3, "C", 6_000, LS), tasks[3]), cycle_time_e4=10_000)
    assert packing_bound(third, ranges_of(third), 10_000, 5.0).types[0].least == 3
