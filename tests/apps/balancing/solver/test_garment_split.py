"""Split operations and the per-machine-type packing bound, against brute force and by hand."""

from __future__ import annotations

import itertools
import random
from math import ceil

import pytest

from loom.apps.balancing.solver.garment import evaluate, solve
from loom.apps.balancing.solver.garment.packing import (
    bottleneck_bound,
    packing_bound,
    relaxed_bound,
)
from loom.apps.balancing.solver.garment.rules import split_range
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task


def split_style(rng: random.Random) -> tuple[Task, ...]:
    """Return four tasks on two machine types, one of them longer than a 1.0 min cycle."""
    tasks = []
    for n in range(1, 5):
        preds = tuple(p for p in range(1, n) if rng.random() < 0.35)
        sam = rng.randrange(11_000, 16_000, 500) if n == 1 else rng.randrange(2_000, 7_000, 500)
        kind = "lockstitch" if n == 1 or rng.random() < 0.6 else "overlock"
        tasks.append(Task(n, f"T{n}", sam, kind, 1, preds))
    return tuple(tasks)


def allowed_parts(problem: LineProblem, task: Task, bottleneck: int | None) -> range:
    """Return the part counts the rules allow (the operators mode rule needs the bottleneck)."""
    if problem.cycle_time_e4 is not None:
        lo, hi = split_range(problem, task, problem.cycle_time_e4)
        return range(lo, hi + 1)
    # operators mode, anonymous: split only a task longer than the line's bottleneck
    assert bottleneck is not None
    if task.sam_e4 <= bottleneck:
        return range(1, 2)
    return range(max(2, ceil(task.sam_e4 / bottleneck)), problem.max_split + 1)


def brute_force(problem: LineProblem, most: int) -> tuple[int, int] | None:
    """Return the best (operators, bottleneck) over every line with splits, by evaluate."""
    best: tuple[int, int] | None = None
    for stations in range(1, most + 1):
        places = [
            c
            for size in range(1, problem.max_split + 1)
            for c in itertools.combinations(range(stations), size)
        ]
        for choice in itertools.product(places, repeat=len(problem.tasks)):
            if len(set().union(*choice)) != stations:
                continue
            line = Assignment(
                tuple(
                    Station(
                        None,
                        tuple(
                            (t.id, len(where))
                            for t, where in zip(problem.tasks, choice, strict=True)
                            if k in where
                        ),
                    )
                    for k in range(stations)
                )
            )
            figures = evaluate(problem, line)
            if figures.violations:
                continue
            neck = figures.bottleneck_e4
            if any(
                len(where) not in allowed_parts(problem, t, neck)
                for t, where in zip(problem.tasks, choice, strict=True)
            ):
                continue
            key = (stations, neck) if problem.cycle_time_e4 is not None else (neck, stations)
            best = key if best is None or key < best else best
    if best is None or problem.cycle_time_e4 is not None:
        return best
    return best[1], best[0]


def figures_of(problem: LineProblem, seconds: float = 20) -> tuple[int, int, bool]:
    answer = solve(problem, time_limit=seconds)
    assert answer.assignment is not None
    assert answer.figures is not None
    assert evaluate(problem, answer.assignment).violations == ()
    return answer.figures.operators, answer.figures.bottleneck_e4, answer.optimal


# seeds whose best line has at most 4 operators (the brute force stops there)
@pytest.mark.parametrize("seed", [300, 303, 304, 309])
def test_split_lines_match_brute_force_at_a_cycle_time(seed: int) -> None:
    problem = LineProblem(split_style(random.Random(seed)), cycle_time_e4=10_000, max_split=3)
    expected = brute_force(problem, 4)
    assert expected is not None
    operators, bottleneck, optimal = figures_of(problem)
    assert optimal
    assert (operators, bottleneck) == expected


@pytest.mark.parametrize("seed", range(3))
def test_split_lines_match_brute_force_for_a_number_of_operators(seed: int) -> None:
    problem = LineProblem(split_style(random.Random(400 + seed)), operators=3, max_split=3)
    expected = brute_force(problem, 3)
    assert expected is not None
    operators, bottleneck, optimal = figures_of(problem)
    assert optimal
    assert (operators, bottleneck) == expected


def test_a_style_needing_five_operators() -> None:
    # seed 301: lockstitch 1.4, 0.55, 0.65 min and overlock 0.25 min after the 0.55 one.
    # 1.4 in 2 parts (0.7 each) takes neither 0.55 nor 0.65 (over 1.0), and those two do
    # not fit together: 2 + 1 + 1 lockstitch; in 3 parts (0.467) still no pairing: 3 + 2.
    # With the overlock operator: 5, bottleneck 0.7 min
    problem = LineProblem(split_style(random.Random(301)), cycle_time_e4=10_000, max_split=3)
    assert brute_force(problem, 4) is None
    assert figures_of(problem) == (5, 7_000, True)


def test_more_parts_than_needed_can_save_an_operator() -> None:
    # L = 1.2 min at a 1.0 min cycle, and three 0.55 min tasks (no two fit together).
    # L in 2 parts: 0.6 + 0.55 > 1.0, so 2 + 3 = 5 operators; in 3 parts each 0.4 min
    # share takes one 0.55 task: 3 operators, each 0.95 min
    tasks = (
        Task(1, "L", 12_000, "lockstitch"),
        *(Task(n, f"S{n}", 5_500, "lockstitch") for n in (2, 3, 4)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    assert figures_of(problem) == (3, 9_500, True)


def test_packing_bound_counts_machine_type_alternation() -> None:
    # lockstitch A -> overlock B -> lockstitch C: A and C cannot share an operator (the
    # overlock one would sit both after and before it), so 2 lockstitch + 1 overlock
    chain = (
        Task(1, "A", 1_000, "lockstitch"),
        Task(2, "B", 1_000, "overlock", predecessors=(1,)),
        Task(3, "C", 1_000, "lockstitch", predecessors=(2,)),
    )
    problem = LineProblem(chain, cycle_time_e4=10_000)
    ranges = {t.id: (1, 1) for t in chain}
    assert relaxed_bound(problem, ranges, 10_000, 5.0) == 3
    # all on one machine, the same 0.3 min fits one operator
    same = tuple(Task(t.id, t.code, t.sam_e4, "lockstitch", 1, t.predecessors) for t in chain)
    assert relaxed_bound(LineProblem(same, cycle_time_e4=10_000), ranges, 10_000, 5.0) == 1


def test_packing_bound_sees_big_shares() -> None:
    # three 0.6 min lockstitch tasks at a 1.0 min cycle: 1.8 min of work, ceil = 2, but
    # no two share an operator: 3; a split task in between does not change that
    tasks = tuple(Task(n, f"T{n}", 6_000, "lockstitch") for n in (1, 2, 3))
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    assert relaxed_bound(problem, {1: (1, 1), 2: (1, 1), 3: (1, 1)}, 10_000, 5.0) == 3


def test_packing_bound_lets_a_split_task_share_with_its_successor() -> None:
    # 1.5 min in 2 to 4 parts, then a 0.25 min task of the same machine right after it:
    # 1.75 min of work needs 2 operators, and [L/2 | L/2 + S] is a line, so the bound is 2
    tasks = (
        Task(1, "L", 15_000, "lockstitch"),
        Task(2, "S", 2_500, "lockstitch", predecessors=(1,)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    assert relaxed_bound(problem, {1: (2, 4), 2: (1, 1)}, 10_000, 5.0) == 2


def test_packing_bound_per_split_count() -> None:
    # L = 1.2 min in 2, 3 or 4 parts, and three 0.55 min tasks (no two fit together) at a
    # 1.0 min cycle: 2 parts of 0.6 take no 0.55 task (2 + 3 = 5 operators), 3 parts of
    # 0.4 take one each (3), 4 parts of 0.3 take one each and one stays alone (4)
    tasks = (
        Task(1, "L", 12_000, "lockstitch"),
        *(Task(n, f"S{n}", 5_500, "lockstitch") for n in (2, 3, 4)),
    )
    problem = LineProblem(tasks, cycle_time_e4=10_000)
    ranges = {1: (2, 4), 2: (1, 1), 3: (1, 1), 4: (1, 1)}
    found = packing_bound(problem, ranges, 10_000, 10.0)
    (lockstitch,) = found.types
    assert dict(lockstitch.by_counts) == {((1, 2),): 5, ((1, 3),): 3, ((1, 4),): 4}
    assert found.total == 3
    # a line of 3 operators must split L in 3; one of 4 may split it in 3 or 4
    assert found.allowed("lockstitch", 3) == [((1, 3),)]
    assert found.allowed("lockstitch", 4) == [((1, 3),), ((1, 4),)]


def test_bottleneck_bound_sees_that_two_tasks_must_share() -> None:
    # three 0.6 min tasks on 2 operators: the work bound says 0.9 min, but below 1.2 min no
    # two tasks share an operator and 3 would be needed, so the bottleneck is at least 1.2
    tasks = tuple(Task(n, f"T{n}", 6_000, "lockstitch") for n in (1, 2, 3))
    problem = LineProblem(tasks, operators=2)
    fixed = {1: (1, 1), 2: (1, 1), 3: (1, 1)}
    assert bottleneck_bound(problem, 2, 9_000, 12_000, lambda _lo, _hi: fixed, 10.0) == 12_000
    # with 3 operators the packing allows 0.6 min and the bound stays at the work bound
    assert bottleneck_bound(problem, 3, 6_000, 9_000, lambda _lo, _hi: fixed, 10.0) == 6_000
