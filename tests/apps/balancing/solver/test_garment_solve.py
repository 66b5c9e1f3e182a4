"""The exact engine against brute force, the garment rules, and refusals."""

from __future__ import annotations

import itertools
import random

import pytest

from loom.apps.balancing.solver.garment import evaluate, solve
from loom.apps.balancing.solver.model import (
    Assignment,
    LineProblem,
    Solution,
    Station,
    Task,
    Worker,
)

KINDS = ("lockstitch", "overlock", "bartack")


def random_style(rng: random.Random, size: int, cycle: int) -> tuple[Task, ...]:
    """Return tasks no longer than the cycle (no splits), each after some earlier ones."""
    tasks = []
    for n in range(1, size + 1):
        preds = tuple(p for p in range(1, n) if rng.random() < 0.3)
        kind = rng.choice(KINDS[:2]) if rng.random() < 0.8 else KINDS[2]
        tasks.append(Task(n, f"T{n}", rng.randrange(1_000, cycle + 1, 500), kind, 1, preds))
    return tuple(tasks)


def brute_force(problem: LineProblem, most: int) -> tuple[int, int] | None:
    """Return the best (operators, bottleneck) over every line, judged only by evaluate."""
    best: tuple[int, int] | None = None
    ids = [t.id for t in problem.tasks]
    hands: list[Worker | None] = list(problem.workers) or [None]
    for stations in range(1, min(most, len(ids)) + 1):
        for where in itertools.product(range(stations), repeat=len(ids)):
            if len(set(where)) != stations:
                continue
            shares = [
                tuple((i, 1) for i, k in zip(ids, where, strict=True) if k == s)
                for s in range(stations)
            ]
            staffs = (
                itertools.permutations(problem.workers, stations)
                if problem.workers
                else [tuple(hands * stations)]
            )
            for staff in staffs:
                line = Assignment(
                    tuple(
                        Station(None if w is None else w.id, tasks)
                        for w, tasks in zip(staff, shares, strict=True)
                    )
                )
                figures = evaluate(problem, line)
                if figures.violations:
                    continue
                key = (
                    (figures.operators, figures.bottleneck_e4)
                    if problem.cycle_time_e4 is not None
                    else (figures.bottleneck_e4, figures.operators)
                )
                best = key if best is None or key < best else best
    if best is None or problem.cycle_time_e4 is not None:
        return best
    return best[1], best[0]


def valid(problem: LineProblem, answer: Solution) -> tuple[int, int]:
    assert answer.assignment is not None
    assert answer.figures is not None
    assert evaluate(problem, answer.assignment).violations == ()
    return answer.figures.operators, answer.figures.bottleneck_e4


@pytest.mark.parametrize("seed", range(6))
def test_fewest_operators_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    problem = LineProblem(random_style(rng, 6, 10_000), cycle_time_e4=10_000)
    answer = solve(problem, time_limit=20)
    assert answer.optimal
    assert answer.status == "optimal"
    operators, bottleneck = valid(problem, answer)
    assert (operators, bottleneck) == brute_force(problem, 6)
    assert answer.lower_bound == operators


@pytest.mark.parametrize("seed", range(4))
def test_shortest_cycle_matches_brute_force(seed: int) -> None:
    rng = random.Random(100 + seed)
    problem = LineProblem(random_style(rng, 6, 10_000), operators=3)
    expected = brute_force(problem, 3)
    answer = solve(problem, time_limit=20)
    if expected is None:  # machine types alternate along a chain longer than 3
        assert answer.status == "infeasible"
        assert answer.assignment is None
    else:
        assert answer.optimal
        assert valid(problem, answer) == expected


def test_brute_force_cases_are_mostly_feasible() -> None:
    # guard: the parametrised comparisons above must not all be refusals
    styles = [random_style(random.Random(100 + seed), 6, 10_000) for seed in range(4)]
    feasible = [brute_force(LineProblem(s, operators=3), 3) is not None for s in styles]
    assert sum(feasible) >= 2


@pytest.mark.parametrize("seed", range(4))
def test_named_workers_match_brute_force(seed: int) -> None:
    rng = random.Random(200 + seed)
    tasks = random_style(rng, 5, 10_000)
    tasks = tuple(
        Task(t.id, t.code, t.sam_e4, t.machine_type, rng.choice((1, 2)), t.predecessors)
        for t in tasks
    )
    workers = tuple(
        Worker(
            n,
            f"W{n}",
            {
                kind: rng.choice((1, 2))
                for kind in KINDS
                if rng.random() < 0.7 or kind == KINDS[n % 3]
            },
            {kind: rng.choice((80, 100, 125)) for kind in KINDS},
        )
        for n in range(1, 5)
    )
    problem = LineProblem(tasks, workers, cycle_time_e4=13_000)
    expected = brute_force(problem, 4)
    answer = solve(problem, time_limit=20)
    if expected is None:
        assert answer.status == "infeasible"
        assert answer.assignment is None
    else:
        assert answer.optimal
        assert valid(problem, answer) == expected


def test_one_machine_type_per_operator() -> None:
    # two 0.1 min tasks that would fit one operator, but on two machine types
    problem = LineProblem(
        (Task(1, "A", 1_000, "lockstitch"), Task(2, "B", 1_000, "overlock")),
        cycle_time_e4=10_000,
    )
    answer = solve(problem)
    assert valid(problem, answer) == (2, 1_000)
    assert answer.optimal


def test_a_task_of_two_and_a_half_cycles_is_split_in_three() -> None:
    problem = LineProblem((Task(1, "LONG", 25_000, "lockstitch"),), cycle_time_e4=10_000)
    answer = solve(problem)
    # ceil(25,000 / 10,000) = 3 operators, each 25,000 / 3 = 8,333.3 -> 8,334
    assert valid(problem, answer) == (3, 8_334)
    assert answer.optimal
    assert answer.assignment is not None
    assert [s.tasks for s in answer.assignment.stations] == [((1, 3),)] * 3


def test_a_long_task_shares_stations_with_short_ones() -> None:
    # 1.5 min in 2 halves of 0.75; a 0.25 min task of the same machine fills one half
    problem = LineProblem(
        (Task(1, "L", 15_000, "lockstitch"), Task(2, "S", 2_500, "lockstitch", predecessors=(1,))),
        cycle_time_e4=10_000,
    )
    answer = solve(problem)
    assert valid(problem, answer) == (2, 10_000)
    assert answer.optimal


def test_skills_and_efficiency_decide_who_sews_what() -> None:
    tasks = (Task(1, "A", 6_000, "lockstitch", grade=2), Task(2, "B", 3_000, "lockstitch"))
    slow = Worker(1, "SLOW", {"lockstitch": 3}, {"lockstitch": 50})  # A would take 1.2 min
    junior = Worker(2, "JUNIOR", {"lockstitch": 1})  # may not sew A
    problem = LineProblem(tasks, (slow, junior), cycle_time_e4=10_000)
    # only SLOW may sew A, too slowly alone (12,000 > 10,000); halves need a second
    # qualified hand, and there is none
    refused = solve(problem)
    assert refused.status == "infeasible"
    assert refused.assignment is None
    senior = Worker(3, "SENIOR", {"lockstitch": 2})
    staffed = LineProblem(tasks, (slow, junior, senior), cycle_time_e4=10_000)
    answer = solve(staffed)
    # SENIOR sews A and B at 100 %: 9,000 on one operator
    assert valid(staffed, answer) == (1, 9_000)
    assert answer.optimal
    assert answer.assignment is not None
    assert answer.assignment.stations[0].worker_id == 3


def test_efficiency_moves_a_task_to_the_faster_worker() -> None:
    tasks = (Task(1, "A", 6_000, "lockstitch"), Task(2, "B", 5_000, "lockstitch"))
    slow = Worker(1, "SLOW", {"lockstitch": 1}, {"lockstitch": 50})
    fast = Worker(2, "FAST", {"lockstitch": 1}, {"lockstitch": 120})
    problem = LineProblem(tasks, (slow, fast), cycle_time_e4=10_000)
    answer = solve(problem)
    # A at 50 % takes 12,000 > 10,000: FAST sews A (5,000), SLOW sews B (10,000); or
    # FAST sews both: 11,000 / 1.2 = 9,166.7 -> 9,167 on one operator, which is fewer
    assert valid(problem, answer) == (1, 9_167)
    assert answer.optimal
    assert answer.assignment is not None
    assert answer.assignment.stations[0].worker_id == 2


def test_operators_mode_by_hand() -> None:
    # a chain 0.4 -> 0.3 -> 0.3 -> 0.2 on two operators: [A B | C D] gives 0.7 / 0.5,
    # [A | B C D] 0.4 / 0.8, [A B C | D] 1.0 / 0.2; the best bottleneck is 0.7 min
    chain = (
        Task(1, "A", 4_000, "lockstitch"),
        Task(2, "B", 3_000, "lockstitch", predecessors=(1,)),
        Task(3, "C", 3_000, "lockstitch", predecessors=(2,)),
        Task(4, "D", 2_000, "lockstitch", predecessors=(3,)),
    )
    problem = LineProblem(chain, operators=2)
    answer = solve(problem)
    assert valid(problem, answer) == (2, 7_000)
    assert answer.optimal
    assert answer.lower_bound == 7_000


def test_operators_mode_splits_a_task_longer_than_the_cycle() -> None:
    # one 1.2 min task and a 0.2 min one on 3 operators: the long one in 2 parts is 0.6
    # with the short one alone (0.2); in 3 parts (0.4 each) the short one rides along: 0.6
    problem = LineProblem(
        (Task(1, "L", 12_000, "lockstitch"), Task(2, "S", 2_000, "lockstitch")), operators=3
    )
    answer = solve(problem)
    assert valid(problem, answer)[1] == 6_000
    assert answer.optimal


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        (LineProblem((Task(1, "A", 50_000, "lockstitch"),), cycle_time_e4=10_000), "more than 4"),
        (
            LineProblem(
                (Task(1, "A", 1_000, "lockstitch"),),
                (Worker(1, "W1", {"overlock": 3}),),
                cycle_time_e4=10_000,
            ),
            "No worker may sew",
        ),
        (
            LineProblem(
                (Task(1, "A", 9_000, "lockstitch"), Task(2, "B", 9_000, "lockstitch")),
                (Worker(1, "W1", {"lockstitch": 3}),),
                cycle_time_e4=10_000,
            ),
            "at least 2 operators",
        ),
        (
            LineProblem(
                (
                    Task(1, "A", 1_000, "lockstitch", predecessors=(2,)),
                    Task(2, "B", 1_000, "lockstitch", predecessors=(1,)),
                ),
                cycle_time_e4=10_000,
            ),
            "loop",
        ),
        (LineProblem((Task(1, "A", 1_000, "lockstitch"),)), "either a cycle time"),
        (LineProblem((Task(1, "A", 0, "lockstitch"),), cycle_time_e4=10_000), "standard time"),
    ],
)
def test_impossible_inputs_are_refused(problem: LineProblem, words: str) -> None:
    answer = solve(problem)
    assert answer.status == "infeasible"
    assert answer.assignment is None
    assert not answer.optimal
    assert words in answer.message


def test_type_alternation_with_too_few_operators_is_refused() -> None:
    # lockstitch -> overlock -> lockstitch in a chain needs 3 stations whatever the pace
    chain = (
        Task(1, "A", 1_000, "lockstitch"),
        Task(2, "B", 1_000, "overlock", predecessors=(1,)),
        Task(3, "C", 1_000, "lockstitch", predecessors=(2,)),
    )
    answer = solve(LineProblem(chain, operators=2))
    assert answer.status == "infeasible"
    assert answer.assignment is None
    three = solve(LineProblem(chain, operators=3))
    assert three.optimal
    assert three.figures is not None
    assert three.figures.bottleneck_e4 == 1_000


def test_named_workers_share_a_long_task() -> None:
    # 1.5 min at a 1.0 min cycle: two halves of 0.75 min; W3 is 80 % and would need
    # 0.9375 min for a half, still within the cycle, but W1 and W2 at 100 % give 0.75
    long_task = (Task(1, "L", 15_000, "lockstitch"),)
    hands = (
        Worker(1, "W1", {"lockstitch": 1}),
        Worker(2, "W2", {"lockstitch": 1}),
        Worker(3, "W3", {"lockstitch": 1}, {"lockstitch": 80}),
    )
    problem = LineProblem(long_task, hands, cycle_time_e4=10_000)
    answer = solve(problem)
    assert valid(problem, answer) == (2, 7_500)
    assert answer.optimal
    assert answer.assignment is not None
    assert {s.worker_id for s in answer.assignment.stations} == {1, 2}
