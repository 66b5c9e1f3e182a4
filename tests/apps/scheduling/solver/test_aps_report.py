"""Weekly capacity against load, and the difference between two plans, by hand."""

from __future__ import annotations

from datetime import timedelta

from loom.apps.scheduling.solver.aps import WeekLoad, diff, simulate, weekly_load
from loom.apps.scheduling.solver.model import Calendar
from tests.apps.scheduling.solver.aps_cases import MON, SUN, TUE, WED, line, order, problem

NEXT_MON = MON + timedelta(days=7)


def test_weekly_load_counts_capacity_and_planned_minutes_per_iso_week() -> None:
    calendar = Calendar(holidays=frozenset({WED + timedelta(days=7)}), overtime={SUN: 240})
    p = problem(
        [order(1, 1000), order(2, 384, release=NEXT_MON)],
        [line(calendar=calendar), line(2, efficiency=50)],
    )
    plan = simulate(p, {1: [1, 2]})
    assert weekly_load(p, plan) == [
        # 10 operators * 480 min * 80 % = 3,840 a day; week 1: six days + a Sunday shift of
        # 10 * 240 * 0.8 = 1,920; load 1,000 pieces * 10 min
        WeekLoad(1, MON, 6 * 3_840 + 1_920, 10_000),
        # week 2: Wednesday is a holiday; order 2 is 384 pieces * 10 min on Monday
        WeekLoad(1, NEXT_MON, 5 * 3_840, 3_840),
        # line 2 at 50 %: 2,400 a day, six days, nothing planned
        WeekLoad(2, MON, 6 * 2_400, 0),
        WeekLoad(2, NEXT_MON, 6 * 2_400, 0),
    ]


def test_diff_reports_moves_and_the_change_in_late_days() -> None:
    # as in the EDD case: line 1 makes 480 pieces a day, line 2 240; order 4 is a rush order
    p = problem(
        [
            order(1, 480, style="A1", category="a", due=MON, weight=3),
            order(2, 240, style="A2", category="a", due=MON, weight=1),
            order(3, 240, style="B1", category="b", due=MON, weight=2),
            order(4, 240, style="A1", category="a", due=MON + timedelta(days=5), weight=1),
        ],
        [
            line(1, operators=10, efficiency=100, categories=frozenset({"a"})),
            line(2, operators=5, efficiency=100, categories=frozenset({"a", "b"})),
        ],
        ramp=(),
        changeover=0,
    )
    before = simulate(p, {1: [1], 2: [2, 3]})  # order 3 a day late (weight 2); 4 not planned
    after = simulate(p, {1: [1, 2, 4], 2: [3]})  # order 2 a day late (weight 1)
    change = diff(before, after)
    assert (change.late_days_change, change.weighted_tardiness_change) == (0, 1 - 2)
    # after: orders 1, 2 (new style), 4 (style A1 again after A2: a changeover), 3
    assert (change.changeovers_change, change.unplanned_change) == (4 - 3, -1)
    moved = {c.order_id: c for c in change.moved}
    assert sorted(moved) == [2, 3, 4]
    assert (moved[2].line_before, moved[2].line_after) == (2, 1)
    assert (moved[2].finish_before, moved[2].finish_after) == (MON, TUE)
    assert (moved[2].tardy_before, moved[2].tardy_after) == (0, 1)
    assert (moved[3].finish_before, moved[3].finish_after, moved[3].tardy_after) == (TUE, MON, 0)
    # order 4 was unplanned before: nothing on that side
    assert (moved[4].line_before, moved[4].start_before, moved[4].line_after) == (None, None, 1)
    # order 2 takes Tue's first half (240 of 480), order 4 the second half
    assert (moved[4].start_after, moved[4].finish_after) == (TUE, TUE)
    assert not change.orders[0].changed  # order 1 stayed put
