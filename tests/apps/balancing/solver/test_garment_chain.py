"""The closing-chain bound: by hand, and never above the optimum found by brute force."""

from __future__ import annotations

import importlib
import random

import pytest

from loom.apps.balancing.solver.garment import evaluate, solve
from loom.apps.balancing.solver.garment.chain import (
    append_chain,
    chain_bound,
    chain_stations,
    closing_chain,
)
from loom.apps.balancing.solver.garment.heuristic import greedy
from loom.apps.balancing.solver.garment.packing import packing_bound
from loom.apps.balancing.solver.garment.rules import part_scale, split_range
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task
from tests.apps.balancing.solver.test_garment_split import brute_force

LS, OV = "lockstitch", "overlock"
# the module (the package exports the function under the same name)
garment_solve = importlib.import_module("loom.apps.balancing.solver.garment.solve")


def ranges_of(problem: LineProblem) -> dict[int, tuple[int, int]]:
    assert problem.cycle_time_e4 is not None
    return {t.id: split_range(problem, t, problem.cycle_time_e4) for t in problem.tasks}


def test_the_closing_chain_is_found() -> None:
    # two parallel sub-assemblies (1 -> 2, 3) joined at 4, then 5 and 6 in a row
    tasks = (
        Task(1, "A", 1_000, LS),
        Task(2, "B", 1_000, OV, predecessors=(1,)),
        Task(3, "C", 1_000, LS),
        Task(4, "D", 1_000, LS, predecessors=(2, 3)),
        Task(5, "E", 1_000, OV, predecessors=(4,)),
        Task(6, "F", 1_000, LS, predecessors=(5,)),
    )
    split = closing_chain(LineProblem(tasks, cycle_time_e4=10_000))
    assert split is not None
    assert [t.id for t in split.chain] == [4, 5, 6]
    assert [t.id for t in split.head.tasks] == [1, 2, 3]
    # a style ending in two parallel operations has no closing chain
    assert (
        closing_chain(LineProblem((*tasks[:4], Task(5, "E", 1_000, OV, (3,))), operators=2)) is None
    )


def test_chain_stations_by_hand() -> None:
    # at a 1.0 min cycle: LS 0.3, LS 0.3, OV 0.2, LS 1.5 (2-4 parts), LS 0.2
    chain = (
        Task(1, "A", 3_000, LS),
        Task(2, "B", 3_000, LS, predecessors=(1,)),
        Task(3, "C", 2_000, OV, predecessors=(2,)),
        Task(4, "D", 15_000, LS, predecessors=(3,)),
        Task(5, "E", 2_000, LS, predecessors=(4,)),
    )
    problem = LineProblem(chain, cycle_time_e4=10_000)
    ranges = ranges_of(problem)
    assert ranges[4] == (2, 4)
    # [A B] [C] [D/2] [D/2 E]: four stations; on a lockstitch S, A and B ride along: three
    assert chain_stations(problem, chain, ranges, 10_000, {}) == 4
    assert chain_stations(problem, chain, ranges, 10_000, {LS: 0}) == 3
    assert chain_stations(problem, chain, ranges, 10_000, {OV: 0}) == 4
    # loads are sam x 12 (lcm of 1..4) x 100; S already holding 0.5 min takes A only
    assert chain_stations(problem, chain, ranges, 10_000, {LS: 5_000 * 1_200}) == 4
    # at 0.5 min, A and B no longer fit together: [A] [B] [C] [D/3]x3 [E]; 4 parts of
    # 0.375 would leave E (0.2) no room either, and take one station more
    tight = LineProblem(chain, cycle_time_e4=5_000)
    assert chain_stations(tight, chain, ranges_of(tight), 5_000, {}) == 7


def test_chain_bound_beats_the_packing_bound() -> None:
    # two 0.6 min lockstitch heads, then lockstitch 0.4, lockstitch 0.4, overlock 0.1 at a
    # 1.0 min cycle: packed by machine type, each 0.4 rides with a head (2 + 1 operators);
    # on a line only the last head's operator may take chain work, so one 0.4 needs its own
    tasks = (
        Task(1, "A", 6_000, LS),
        Task(2, "B", 6_000, LS),
        Task(3, "C", 4_000, LS, predecessors=(1, 2)),
        Task(4, "D", 4_000, LS, predecessors=(3,)),
        Task(5, "E", 1_000, OV, predecessors=(4,)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    ranges = ranges_of(problem)
    assert packing_bound(problem, ranges, 10_000, 5.0).total == 3

    def head_bound(head: LineProblem) -> int:
        assert [t.id for t in head.tasks] == [1, 2]
        return 2  # the two heads cannot share an operator

    # S holds A or B (0.6): C joins it, D and E need one station each
    assert chain_bound(problem, ranges, 10_000, head_bound) == 4
    answer = solve(problem, time_limit=10)
    assert answer.optimal
    assert answer.figures is not None
    # [A] [B] [C D] [E]: four operators, the 0.8 min of C and D the bottleneck
    assert (answer.figures.operators, answer.figures.bottleneck_e4) == (4, 8_000)
    # the head's line [A] [B], then the chain packed after it: C joins B, D and E alone
    line, head_bound = garment_solve._composed(problem, ranges, 10_000, 5.0, 1)
    assert head_bound == 2
    assert line is not None
    assert evaluate(problem, line).violations == ()
    assert [s.tasks for s in line.stations][2:] == [((4, 1),), ((5, 1),)]
    assert line.stations[1].tasks[-1] == (3, 1)
    assert {t for s in line.stations[:2] for t, _ in s.tasks} == {1, 2, 3}


def chained_style(rng: random.Random) -> tuple[Task, ...]:
    """Return one or two head tasks, then a chain of two or three, one maybe split."""
    heads = rng.choice((1, 2))
    size = rng.choice((4, 4, 3)) if heads == 1 else 4
    tasks: list[Task] = []
    for n in range(1, size + 1):
        preds = () if n <= heads else tuple(range(1, n)) if n == heads + 1 else (n - 1,)
        sam = (
            rng.randrange(11_000, 15_000, 500)
            if rng.random() < 0.2
            else rng.randrange(1_500, 8_000, 500)
        )
        tasks.append(Task(n, f"T{n}", sam, rng.choice((LS, OV)), 1, preds))
    return tuple(tasks)


# seeds whose best line has at most 4 operators (the brute force stops there)
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 5, 6, 8, 9, 10])
def test_chain_bound_never_exceeds_the_brute_force_optimum(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = LineProblem(chained_style(random.Random(seed)), cycle_time_e4=10_000, max_split=2)
    best = brute_force(problem, 4)
    assert best is not None

    def head_optimum(head: LineProblem) -> int:
        found = brute_force(head, 4)
        assert found is not None
        return found[0]

    # the strongest head bound there is: the head's own optimum
    assert 0 < chain_bound(problem, ranges_of(problem), 10_000, head_optimum) <= best[0]
    # and the engine, packing the chain after the head's line (here even for a small
    # style), still finds the optimum
    monkeypatch.setattr(garment_solve, "LARGE_STYLE", 0)
    answer = solve(problem, time_limit=10)
    assert answer.optimal
    assert answer.figures is not None
    assert (answer.figures.operators, answer.figures.bottleneck_e4) == best


def test_the_chain_shares_a_moved_head_station() -> None:
    # head [A] [B] of independent A (lockstitch) and B (overlock); the chain C (lockstitch),
    # then D (overlock): after B, C and D need a station each (4); A moved last takes C (3)
    tasks = (
        Task(1, "A", 5_000, LS),
        Task(2, "B", 7_000, OV),
        Task(3, "C", 4_000, LS, predecessors=(1, 2)),
        Task(4, "D", 6_000, OV, predecessors=(3,)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    ranges = ranges_of(problem)
    split = closing_chain(problem)
    assert split is not None
    head = (Station(None, ((1, 1),)), Station(None, ((2, 1),)))
    line = append_chain(problem, head, split.chain, ranges, 10_000)
    assert line is not None
    assert [s.tasks for s in line] == [((2, 1),), ((1, 1), (3, 1)), ((4, 1),)]
    assert evaluate(problem, Assignment(line)).violations == ()
    # B after A (and X beside them): A may not move behind B, so C opens its own station
    chained = (
        tasks[0],
        Task(2, "B", 7_000, OV, predecessors=(1,)),
        Task(3, "C", 4_000, LS, predecessors=(2, 5)),
        tasks[3],
        Task(5, "X", 2_000, OV),
    )
    problem = LineProblem(chained, cycle_time_e4=10_000)
    split = closing_chain(problem)
    assert split is not None
    head = (Station(None, ((1, 1),)), Station(None, ((2, 1), (5, 1))))
    line = append_chain(problem, head, split.chain, ranges_of(problem), 10_000)
    assert line is not None
    assert [s.tasks for s in line] == [((1, 1),), ((2, 1), (5, 1)), ((3, 1),), ((4, 1),)]


@pytest.mark.parametrize("seed", range(20))
def test_the_appended_chain_is_valid_and_no_longer(seed: int) -> None:
    rng = random.Random(seed)
    # three to five head operations (the first two apart), then a chain of two or three
    heads = rng.randint(3, 5)
    tasks = [
        Task(n, f"H{n}", rng.randrange(1_500, 8_000, 500), rng.choice((LS, OV)), 1, preds)
        for n in range(1, heads + 1)
        for preds in [(rng.randrange(1, n),) if n > 2 and rng.random() < 0.4 else ()]
    ]
    for n in range(heads + 1, heads + rng.randint(2, 3) + 1):
        preds = tuple(range(1, n)) if n == heads + 1 else (n - 1,)
        sam = rng.choice((rng.randrange(1_500, 8_000, 500), rng.randrange(11_000, 15_000, 500)))
        tasks.append(Task(n, f"C{n}", sam, rng.choice((LS, OV)), 1, preds))
    problem = LineProblem(tuple(tasks), cycle_time_e4=10_000)
    ranges = ranges_of(problem)
    split = closing_chain(problem)
    assert split is not None
    head = greedy(split.head, 10_000).stations
    line = append_chain(problem, head, split.chain, ranges, 10_000)
    assert line is not None
    assert evaluate(problem, Assignment(line)).violations == ()
    # never longer than the chain packed after the head line's own last station
    last = head[-1].tasks
    by_id = {t.id: t for t in tasks}
    load = sum(100 * by_id[t].sam_e4 * part_scale(problem.max_split) // n for t, n in last)
    after = chain_stations(
        problem, split.chain, ranges, 10_000, {by_id[last[0][0]].machine_type: load}
    )
    assert after is not None
    assert len(line) <= len(head) + after
