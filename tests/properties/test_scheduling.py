"""Properties of the scheduling solvers on generated small instances (solver-wt.md, solver-aps.md).

1||ΣwjTj: the sequence is a permutation, its reported cost is the cost recomputed here, it is
never worse than the earliest-due-date order it starts from nor better than the brute-force
optimum. APS: every plan keeps the rules checked here (each order once, capable line, no
overlap, start at or after release, the pieces and each day's nominal capacity, the reported
totals recomputed), and a plan found by enumeration equals a brute force over every assignment
and sequence.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from loom.apps.scheduling.solver import wt
from loom.apps.scheduling.solver.aps import check, dispatch_edd, schedule, simulate
from loom.apps.scheduling.solver.model import Calendar, Line, Order, Plan, Problem

#: the deterministic profile registered in conftest.py
PROFILE = settings.get_profile("loom-properties")

# ------------------------------------------------------------------ 1||ΣwjTj


def cost(jobs: list[wt.Job], order: tuple[int, ...] | list[int]) -> int:
    """Return ΣwjTj of jobs run back to back from 0 in ``order``, written out here."""
    clock = total = 0
    for j in order:
        clock += jobs[j].processing
        total += jobs[j].weight * max(0, clock - jobs[j].due)
    return total


jobs_lists = st.lists(
    st.builds(
        wt.Job,
        processing=st.integers(0, 20),
        weight=st.integers(0, 10),
        due=st.integers(0, 60),
    ),
    min_size=1,
    max_size=6,
)


@settings(PROFILE, max_examples=60)
@given(jobs_lists)
def test_weighted_tardiness_sequence_is_priced_right_and_bounded(jobs: list[wt.Job]) -> None:
    """Permutation; reported cost recomputed; EDD ≥ result ≥ brute-force optimum."""
    result = wt.sequence(jobs, time_limit=5.0, seed=0)
    assert sorted(result.sequence) == list(range(len(jobs)))
    assert result.total_weighted_tardiness == cost(jobs, result.sequence)
    best = min(cost(jobs, p) for p in itertools.permutations(range(len(jobs))))
    # EDD, ties: larger weight first, then input order (docs/solver-wt.md)
    edd = sorted(range(len(jobs)), key=lambda j: (jobs[j].due, -jobs[j].weight, j))
    assert best <= result.total_weighted_tardiness <= cost(jobs, edd)
    if result.stopped == "zero":
        assert result.total_weighted_tardiness == 0


# ------------------------------------------------------------------ APS

MON = date(2026, 3, 2)  # a Monday
CATEGORIES = ("shirts", "trousers")
STYLES = ("S1", "S2", "S3")


@st.composite
def problems(draw: st.DrawFn, least: int, most: int) -> Problem:
    """Return ``least``..``most`` orders on one or two lines over a short horizon."""
    days = st.integers(0, 12).map(lambda n: MON + timedelta(days=n))
    orders = tuple(
        Order(
            id=i,
            code=f"PO{i}",
            style=draw(st.sampled_from(STYLES)),
            category=draw(st.sampled_from(CATEGORIES)),
            quantity=draw(st.integers(1, 800)),
            sam_e4=draw(st.integers(5, 25)) * 10_000,
            due=draw(days) + timedelta(days=draw(st.integers(0, 10))),
            release=draw(days),
            weight=draw(st.integers(1, 5)),
        )
        for i in range(1, draw(st.integers(least, most)) + 1)
    )
    lines = tuple(
        Line(
            id=n,
            code=f"L{n}",
            categories=frozenset(draw(st.sets(st.sampled_from(CATEGORIES), min_size=1))),
            operators=draw(st.integers(5, 20)),
            efficiency_pct=draw(st.integers(60, 100)),
            calendar=Calendar(
                holidays=frozenset(draw(st.sets(days, max_size=2))),
                overtime={MON + timedelta(days=6): draw(st.sampled_from((0, 240)))},
            ),
            current_style=draw(st.sampled_from((None, *STYLES))),
        )
        for n in range(1, draw(st.integers(1, 2)) + 1)
    )
    return Problem(
        orders,
        lines,
        MON - timedelta(days=draw(st.integers(0, 3))),
        changeover_minutes=draw(st.sampled_from((0, 60, 200))),
        horizon_days=draw(st.integers(5, 40)),
    )


def check_plan(problem: Problem, plan: Plan) -> None:
    """Assert the plan's rules from docs/solver-aps.md, then the module's own checker."""
    orders = {o.id: o for o in problem.orders}
    lines = {line.id: line for line in problem.lines}
    planned = [a.order_id for a in plan.allocations]
    assert sorted(planned + list(plan.unplanned)) == sorted(orders)
    last_day = problem.start + timedelta(days=problem.horizon_days - 1)
    by_line = defaultdict(list)
    standard: dict[tuple[int, date], int] = defaultdict(int)
    for a in plan.allocations:
        order, line = orders[a.order_id], lines[a.line_id]
        assert order.category in line.categories
        assert a.start >= max(order.release, problem.start)
        days = [day for day, _ in a.daily]
        assert days == sorted(set(days))
        assert days[0] >= a.start
        assert days[-1] == a.finish
        assert a.finish <= last_day
        assert all(pieces > 0 for _, pieces in a.daily)
        assert sum(pieces for _, pieces in a.daily) == order.quantity
        assert a.tardy_days == max(0, (a.finish - order.due).days)
        for day, pieces in a.daily:
            standard[line.id, day] += pieces * order.sam_e4
        by_line[line.id].append(a)
    for allocations in by_line.values():
        ordered = sorted(allocations, key=lambda a: (a.start, a.finish))
        for before, after in itertools.pairwise(ordered):
            # one order at a time: the next may begin on the day the previous one finished
            assert after.start >= before.finish
            assert min(d for d, _ in after.daily) >= max(d for d, _ in before.daily)
    for (line_id, day), sam in standard.items():
        line = lines[line_id]
        # learning only slows a line down: nominal capacity bounds every day's output
        # (standard minutes x 10,000 = raw minutes x efficiency% x 100%)
        assert sam <= line.operators * line.calendar.minutes_on(day) * line.efficiency_pct * 100
    tardy = {a.order_id: a.tardy_days for a in plan.allocations}
    assert plan.late_days == sum(tardy.values())
    assert plan.weighted_tardiness == sum(d * orders[i].weight for i, d in tardy.items())
    assert plan.changeovers == sum(a.changeover for a in plan.allocations)
    assert check.violations(problem, plan) == []


def objective(plan: Plan) -> tuple[int, int, int]:
    """Return what APS minimises, in order: unplanned orders, weighted tardiness, changeovers."""
    return len(plan.unplanned), plan.weighted_tardiness, plan.changeovers


def brute_force(problem: Problem) -> tuple[int, int, int]:
    """Return the best objective over every line assignment and every sequence per line."""
    ids = [o.id for o in problem.orders]
    line_ids = [line.id for line in problem.lines]
    best: tuple[int, int, int] | None = None
    for assignment in itertools.product(line_ids, repeat=len(ids)):
        groups = {n: [i for i, m in zip(ids, assignment, strict=True) if m == n] for n in line_ids}
        for orders in itertools.product(*(itertools.permutations(g) for g in groups.values())):
            plan = simulate(problem, {n: list(s) for n, s in zip(line_ids, orders, strict=True)})
            found = objective(plan)
            best = found if best is None else min(best, found)
    assert best is not None
    return best


@settings(PROFILE, max_examples=40)
@given(problems(1, 4))
def test_aps_tiny_plans_are_feasible_and_optimal(problem: Problem) -> None:
    """Tiny problems are enumerated: the plan is feasible and as good as brute force."""
    plan = schedule(problem, time_limit=10.0, seed=0)
    check_plan(problem, plan)
    assert plan.method == "exhaustive"
    assert objective(plan) == brute_force(problem)


@settings(PROFILE, max_examples=25)
# 9 orders already have more arrangements than the enumeration's limit: these are annealed
@given(problems(9, 12))
def test_aps_searched_plans_are_feasible_and_no_worse_than_edd(problem: Problem) -> None:
    """Annealed plans keep every rule, and never lose to the EDD dispatch they start from."""
    plan = schedule(problem, time_limit=10.0, seed=0, iterations=400)
    check_plan(problem, plan)
    baseline = dispatch_edd(problem)
    check_plan(problem, baseline)
    assert objective(plan) <= objective(baseline)
