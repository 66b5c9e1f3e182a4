"""Properties of the line-balancing solvers on generated small instances (solver-salbp.md,
solver-garment.md): every plan is feasible by a checker written here, and a plan the solver
calls optimal matches a brute-force optimum (which the solver's lower bound never exceeds).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from math import ceil

from hypothesis import given, settings
from hypothesis import strategies as st

from loom.apps.balancing.solver import garment, salbp
from loom.apps.balancing.solver.model import LineProblem, Solution, Task, Worker

#: the deterministic profile registered in conftest.py
PROFILE = settings.get_profile("loom-properties")

KINDS = ("overlock", "lockstitch")


@st.composite
def dags(draw: st.DrawFn, n: int) -> list[tuple[int, int]]:
    """Return precedence pairs (1-based) of an acyclic graph on n tasks, in a drawn order."""
    order = draw(st.permutations(range(1, n + 1)))
    pairs = [(order[i], order[j]) for i in range(n) for j in range(i + 1, n)]
    return draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n + 2)) if pairs else []


def _subsets(bits: int) -> list[int]:
    out, sub = [], bits
    while sub:
        out.append(sub)
        sub = (sub - 1) & bits
    return out


# ------------------------------------------------------------------ SALBP-1


def fewest_stations(times: Sequence[int], pairs: Sequence[tuple[int, int]], cycle: int) -> int:
    """Return the fewest stations by breadth-first search over precedence-closed task sets."""
    n = len(times)
    preds = [0] * n
    for i, j in pairs:
        preds[j - 1] |= 1 << (i - 1)
    full = (1 << n) - 1
    frontier, seen, stations = {0}, {0}, 0
    while full not in frontier:
        stations += 1
        reached = set()
        for done in frontier:
            for station in _subsets(full & ~done):
                tasks = [t for t in range(n) if station >> t & 1]
                closed = all(preds[t] & ~(done | station) == 0 for t in tasks)
                if closed and sum(times[t] for t in tasks) <= cycle:
                    reached.add(done | station)
        frontier = reached - seen
        seen |= reached
    return stations


@st.composite
def salbp_cases(draw: st.DrawFn) -> tuple[list[int], list[tuple[int, int]], int]:
    """Return task times, precedence pairs and a cycle time every task fits in."""
    n = draw(st.integers(1, 8))
    times = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    cycle = draw(st.integers(max(1, max(times)), max(1, max(times)) + 25))
    return times, draw(dags(n)), cycle


@settings(PROFILE, max_examples=60)
@given(salbp_cases())
def test_salbp_plans_are_feasible_and_optimal_when_claimed(
    case: tuple[list[int], list[tuple[int, int]], int],
) -> None:
    """Each task once, loads within the cycle, precedence kept; optimum matches brute force."""
    times, pairs, cycle = case
    result = salbp.solve(salbp.Instance(tuple(times), tuple(pairs)), cycle, time_limit=5.0)
    where: dict[int, int] = {}
    for k, station in enumerate(result.assignment):
        assert station, "an empty station is a wasted operator"
        assert sum(times[t - 1] for t in station) <= cycle
        for task in station:
            assert task not in where
            where[task] = k
    assert sorted(where) == list(range(1, len(times) + 1))
    assert all(where[i] <= where[j] for i, j in pairs)
    best = fewest_stations(times, pairs, cycle)
    assert result.stations == len(result.assignment) >= best >= result.lower_bound
    if result.optimal:
        assert result.stations == best


# ------------------------------------------------------------------ garment balancing


def _load(shares: Sequence[tuple[Task, int]], eff: int) -> int:
    return ceil(sum(Fraction(t.sam_e4 * 100, p * eff) for t, p in shares))


def check_line(problem: LineProblem, answer: Solution) -> None:
    """Assert the garment rules of docs/solver-garment.md, written out independently."""
    assert answer.assignment is not None
    assert answer.figures is not None
    tasks = {t.id: t for t in problem.tasks}
    workers = {w.id: w for w in problem.workers}
    places: dict[int, list[int]] = {t: [] for t in tasks}
    parts_of: dict[int, set[int]] = {t: set() for t in tasks}
    loads, used = [], []
    for k, station in enumerate(answer.assignment.stations):
        worker = workers[station.worker_id] if station.worker_id is not None else None
        assert (worker is None) == (not problem.workers)
        used.append(station.worker_id)
        shares = [(tasks[tid], parts) for tid, parts in station.tasks]
        assert shares
        assert len({t.machine_type for t, _ in shares}) == 1  # one machine type
        kind = shares[0][0].machine_type
        eff = 100 if worker is None else worker.efficiency.get(kind, 100)
        for task, parts in shares:
            places[task.id].append(k)
            parts_of[task.id].add(parts)
            if worker is not None:
                assert worker.grades.get(kind, 0) >= task.grade
                assert eff > 0
        loads.append(_load(shares, eff))
    if problem.workers:
        assert len(set(used)) == len(used)  # a worker staffs one station
    for tid, stations in places.items():
        (parts,) = parts_of[tid]  # one part count per task
        assert 1 <= parts <= problem.max_split
        assert len(stations) == len(set(stations)) == parts
    for task in problem.tasks:
        for pred in task.predecessors:
            assert max(places[pred]) <= min(places[task.id])
    if problem.cycle_time_e4 is not None:
        assert max(loads) <= problem.cycle_time_e4
    else:
        assert problem.operators is not None
        assert len(loads) <= problem.operators
    assert answer.figures.operators == len(loads)
    assert answer.figures.bottleneck_e4 == max(loads)
    assert [s.load_e4 for s in answer.figures.stations] == loads
    assert answer.figures.violations == ()


def best_by_stations(problem: LineProblem, cap: int | None) -> dict[int, int]:
    """Return, per number of stations, the least bottleneck of any unsplit line (loads <= cap)."""
    tasks = problem.tasks
    n = len(tasks)
    index = {t.id: i for i, t in enumerate(tasks)}
    preds = [sum(1 << index[p] for p in t.predecessors) for t in tasks]
    hands: list[Worker | None] = list(problem.workers) or [None]

    @cache
    def rest(done: int, staffed: int) -> dict[int, int]:
        if done == (1 << n) - 1:
            return {0: 0}
        out: dict[int, int] = {}
        for station in _subsets(((1 << n) - 1) & ~done):
            members = [tasks[i] for i in range(n) if station >> i & 1]
            if len({t.machine_type for t in members}) > 1:
                continue
            if any(preds[i] & ~(done | station) for i in range(n) if station >> i & 1):
                continue
            kind = members[0].machine_type
            for h, hand in enumerate(hands):
                if hand is not None:
                    eff = hand.efficiency.get(kind, 100)
                    if staffed >> h & 1 or eff <= 0:
                        continue
                    if any(hand.grades.get(kind, 0) < t.grade for t in members):
                        continue
                load = _load([(t, 1) for t in members], 100 if hand is None else eff)
                if cap is not None and load > cap:
                    continue
                mark = 0 if hand is None else 1 << h
                for k, neck in rest(done | station, staffed | mark).items():
                    value = max(neck, load)
                    if value < out.get(k + 1, value + 1):
                        out[k + 1] = value
        return out

    return rest(0, 0)


@st.composite
def line_problems(draw: st.DrawFn, *, named: bool, split: bool, operators: bool) -> LineProblem:
    """Return a small style, with or without named workers and splits, in either mode."""
    n = draw(st.integers(1, 5 if not split else 4))
    pairs = draw(dags(n))
    tasks = tuple(
        Task(
            i,
            f"T{i}",
            draw(st.integers(1, 12)) * 1000,
            draw(st.sampled_from(KINDS)),
            draw(st.sampled_from((1, 1, 2, 3))),
            tuple(sorted(a for a, b in pairs if b == i)),
        )
        for i in range(1, n + 1)
    )
    workers: tuple[Worker, ...] = ()
    if named:
        # mostly versatile, well-graded hands, so that most styles can be staffed at all
        grades = st.sampled_from((None, 1, 2, 3, 3))
        workers = tuple(
            Worker(
                w,
                f"W{w}",
                {k: g for k in KINDS if (g := draw(grades)) is not None},
                {k: draw(st.sampled_from((60, 80, 100, 120))) for k in KINDS},
            )
            for w in range(1, draw(st.integers(1, 5)) + 1)
        )
    longest = max(t.sam_e4 for t in tasks)
    max_split = draw(st.integers(1, 3)) if split else 1
    if operators:
        return LineProblem(tasks, workers, operators=draw(st.integers(1, 4)), max_split=max_split)
    # unsplit styles get a cycle every task fits in; split ones may need every part
    low = longest // 3 if split else longest
    cycle = draw(st.integers(low, 2 * longest + 2000))
    return LineProblem(tasks, workers, cycle_time_e4=cycle, max_split=max_split)


def _refused_for_sure(answer: Solution) -> bool:
    return answer.status == "infeasible" and "not proved impossible" not in answer.message


@settings(PROFILE, max_examples=30)
@given(st.data())
def test_garment_lines_match_brute_force_without_splits(data: st.DataObject) -> None:
    """Unsplit lines: feasible, never better than the optimum, equal to it when claimed."""
    operators = data.draw(st.booleans())
    named = data.draw(st.booleans())
    problem = data.draw(line_problems(named=named, split=False, operators=operators))
    answer = garment.solve(problem, time_limit=5.0)
    cap = problem.cycle_time_e4
    best = best_by_stations(problem, cap)
    if operators:
        assert problem.operators is not None
        most = min(problem.operators, len(problem.workers)) if named else problem.operators
        options = sorted((neck, k) for k, neck in best.items() if k <= most)
    else:
        options = sorted(best.items())
    if not options:
        assert answer.status == "infeasible"
        assert answer.assignment is None
        return
    assert not _refused_for_sure(answer), answer.message
    if answer.assignment is None:
        return  # "not proved impossible" within the time limit: no claim to check
    check_line(problem, answer)
    assert answer.figures is not None
    ops, neck = answer.figures.operators, answer.figures.bottleneck_e4
    found = (neck, ops) if operators else (ops, neck)
    assert found >= options[0]
    # the proved bound is operators (cycle-time mode) or the bottleneck (operators mode)
    assert answer.lower_bound <= options[0][0]
    if answer.optimal:
        assert found == options[0]


@settings(PROFILE, max_examples=25)
@given(st.data())
def test_garment_lines_with_splits_keep_every_rule(data: st.DataObject) -> None:
    """Split tasks sit on as many distinct stations as parts; the other rules hold as well."""
    operators = data.draw(st.booleans())
    named = data.draw(st.booleans())
    problem = data.draw(line_problems(named=named, split=True, operators=operators))
    answer = garment.solve(problem, time_limit=5.0)
    if answer.assignment is None:
        assert answer.status == "infeasible"
        assert answer.figures is None
        return
    check_line(problem, answer)
    assert answer.status in ("optimal", "feasible")
    assert answer.optimal == (answer.status == "optimal")
