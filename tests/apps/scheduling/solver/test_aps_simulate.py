"""Hand-computed simulations: capacity, learning, changeover, calendar, releases, tardiness.

Arithmetic used throughout (SAM 10 min/piece unless told, 10 operators at 80 %): a day has
10 * 480 = 4,800 raw operator-minutes; one raw minute earns 0.80 * learning standard minutes;
so a full day makes 4,800 * 0.8 * L / 10 pieces = 230.4 (L 60 %), 288 (75 %), 345.6 (90 %),
384 (100 %), rounded down. A changeover costs 60 * 10 = 600 raw minutes on its day.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from loom.apps.scheduling.solver.aps import simulate
from loom.apps.scheduling.solver.aps.check import violations
from loom.apps.scheduling.solver.model import Calendar, Plan, Problem
from tests.apps.scheduling.solver.aps_cases import (
    FRI,
    MON,
    SAT,
    SUN,
    THU,
    TUE,
    WED,
    line,
    order,
    problem,
)


def _feasible(p: Problem, plan: Plan) -> Plan:
    assert violations(p, plan) == []
    return plan


def test_learning_ramp_and_changeover_on_the_first_day() -> None:
    p = problem([order(1, 1000, due=TUE, weight=3)], [line()])
    plan = _feasible(p, simulate(p, {1: [1]}))
    (alloc,) = plan.allocations
    # Mon: (4,800 - 600 changeover) * 0.8 * 0.60 / 10 = 201.6 -> 201
    # Tue: 4,800 * 0.8 * 0.75 / 10 = 288; Wed: 4,800 * 0.8 * 0.90 / 10 = 345.6 -> 345
    # Thu: the remaining 1,000 - 834 = 166 at 100 %
    assert alloc.daily == ((MON, 201), (TUE, 288), (WED, 345), (THU, 166))
    assert (alloc.start, alloc.finish, alloc.changeover) == (MON, THU, True)
    # due Tuesday, finished Thursday: 2 days late, weight 3
    assert (alloc.tardy_days, plan.late_days, plan.weighted_tardiness) == (2, 2, 6)
    assert plan.changeovers == 1
    assert plan.unplanned == ()


def test_same_style_continues_the_day_and_the_run() -> None:
    p = problem([order(1, 1000), order(2, 300)], [line()])
    plan = _feasible(p, simulate(p, {1: [1, 2]}))
    second = plan.allocations[1]
    # Thu: order 1 used ceil(166 * 10 / 0.8) = 2,075 raw minutes, 2,725 are left at 100 %
    # (the run's 4th day): 2,725 * 0.8 / 10 = 218 pieces; Fri makes the other 82
    assert second.daily == ((THU, 218), (FRI, 82))
    assert (second.start, second.changeover, plan.changeovers) == (THU, False, 1)


def test_new_style_mid_day_restarts_the_ramp() -> None:
    p = problem([order(1, 1000), order(2, 300, style="S2")], [line()])
    second = _feasible(p, simulate(p, {1: [1, 2]})).allocations[1]
    # Thu: 2,725 - 600 changeover = 2,125 at 60 %: 2,125 * 0.8 * 0.6 / 10 = 102
    # Fri: the run's 2nd day, 75 %: 288 possible, 198 needed
    assert second.daily == ((THU, 102), (FRI, 198))
    assert second.changeover


def test_changeover_that_does_not_fit_moves_to_the_next_day() -> None:
    # order 1: 834 by Wed, then 340 on Thu use ceil(340 * 10 / 0.8) = 4,250 minutes: 550 left
    p = problem([order(1, 1174), order(2, 100, style="S2")], [line()])
    plan = _feasible(p, simulate(p, {1: [1, 2]}))
    assert plan.allocations[0].daily[-1] == (THU, 340)
    second = plan.allocations[1]
    # Fri: (4,800 - 600) * 0.8 * 0.6 / 10 = 201.6 >= 100
    assert (second.start, second.daily) == (FRI, ((FRI, 100),))


def test_holiday_overtime_sunday_shift_and_release() -> None:
    calendar = Calendar(holidays=frozenset({WED}), overtime={MON: 60, SUN: 240})
    p = problem(
        [order(1, 1200), order(2, 900, release=FRI, due=SAT, weight=2)],
        [line(calendar=calendar, current_style="S1")],
    )
    plan = _feasible(p, simulate(p, {1: [1, 2]}))
    first, second = plan.allocations
    # the line already sews S1: no changeover, 100 % from the first day
    # Mon with 60 min overtime: 10 * 540 * 0.8 / 10 = 432; Tue 384; Wed holiday; Thu 384
    assert first.daily == ((MON, 432), (TUE, 384), (THU, 384))
    assert not first.changeover
    # released Fri, the line waits; Fri 384, Sat 384, Sun shift 10 * 240 * 0.8 / 10 = 192 >= 132
    assert second.daily == ((FRI, 384), (SAT, 384), (SUN, 132))
    assert (second.start, second.tardy_days) == (FRI, 1)
    assert (plan.weighted_tardiness, plan.changeovers) == (2, 0)


def test_release_before_the_plan_start_starts_at_the_start() -> None:
    p = problem([order(1, 100, release=MON - timedelta(days=10))], [line(current_style="S1")])
    (alloc,) = _feasible(p, simulate(p, {1: [1]})).allocations
    assert alloc.daily == ((MON, 100),)


def test_line_without_the_category_leaves_the_order_unplanned() -> None:
    p = problem([order(1, 100, category="jackets"), order(2, 50)], [line()])
    plan = _feasible(p, simulate(p, {1: [1, 2]}))
    assert plan.unplanned == (1,)
    assert [a.order_id for a in plan.allocations] == [2]


def test_order_past_the_horizon_is_unplanned_and_frees_its_line() -> None:
    # two days of horizon: order 1 needs four days; order 2 takes Monday instead
    p = problem([order(1, 1000), order(2, 100), order(3, 10)], [line()], horizon_days=2)
    plan = _feasible(p, simulate(p, {1: [1, 2]}))
    assert plan.unplanned == (1, 3)  # order 3 was in no sequence
    (alloc,) = plan.allocations
    assert (alloc.order_id, alloc.start, alloc.changeover) == (2, MON, True)


def test_lost_line_closes_after_its_last_day() -> None:
    p = problem([order(1, 1000)], [line(calendar=Calendar(open_until=WED))])
    assert simulate(p, {1: [1]}).unplanned == (1,)


def test_bad_sequences_are_refused() -> None:
    p = problem([order(1, 100)], [line()])
    with pytest.raises(ValueError, match="unknown line"):
        simulate(p, {9: [1]})
    with pytest.raises(ValueError, match="unknown order"):
        simulate(p, {1: [7]})
    with pytest.raises(ValueError, match="twice"):
        simulate(p, {1: [1, 1]})
    with pytest.raises(ValueError, match="positive"):
        simulate(problem([order(1, 0)], [line()]), {1: [1]})
