"""What-ifs answered by keeping the plan: a rush order fitted in, a lost line's orders moved."""

from __future__ import annotations

from datetime import timedelta

from loom.apps.scheduling.solver.aps import diff, repair, schedule, simulate
from loom.apps.scheduling.solver.aps.check import violations
from loom.apps.scheduling.solver.model import Calendar, Order, Problem
from tests.apps.scheduling.solver.aps_cases import MON, line, order, problem

# as in the EDD case: no learning, no changeover minutes, SAM 10 at 100 %: line 1 (10
# operators) makes 480 pieces a day, line 2 (5 operators) 240; only line 2 sews "b"
ORDERS = [
    order(1, 480, style="A1", category="a", due=MON, weight=4),
    order(2, 240, style="A2", category="a", due=MON, weight=1),
    order(3, 240, style="B1", category="b", due=MON, weight=2),
]
RUSH = order(4, 240, style="A4", category="a", due=MON, weight=5)
CURRENT = {1: [1], 2: [2, 3]}  # order 3 one day late at weight 2: 2


def _problem(orders: list[Order], first_calendar: Calendar | None = None) -> Problem:
    lines = [
        line(1, operators=10, efficiency=100, categories=frozenset({"a"}), calendar=first_calendar),
        line(2, operators=5, efficiency=100, categories=frozenset({"a", "b"})),
    ]
    return problem(orders, lines, ramp=(), changeover=0)


def test_rush_order_goes_where_it_costs_least() -> None:
    p = _problem([*ORDERS, RUSH])
    plan = repair(p, CURRENT)
    assert violations(p, plan) == []
    # line 1 first: order 1 a day late (+4); line 1 last: the rush a day late (+5); line 2
    # first: order 2 a day late (+1) and order 3 two days instead of one (+2): +3, the least
    sequences = {
        line_id: [a.order_id for a in plan.allocations if a.line_id == line_id]
        for line_id in (1, 2)
    }
    assert sequences == {1: [1], 2: [4, 2, 3]}
    change = diff(simulate(p, CURRENT), plan)
    assert (change.weighted_tardiness_change, change.late_days_change) == (3, 2)
    assert change.unplanned_change == -1
    assert plan.method == "repair"


def test_lost_line_moves_its_orders_to_the_cheapest_place() -> None:
    p = _problem(ORDERS, Calendar(open_until=MON - timedelta(days=1)))
    before = simulate(p, CURRENT)
    assert before.unplanned == (1,)  # line 1 is closed for the whole plan
    plan = repair(p, CURRENT)
    assert violations(p, plan) == []
    # order 1 needs two days on line 2. First: it ends Tue (1 day * 4), order 2 Wed (2 * 1),
    # order 3 Thu (3 * 2): 12. Second: 0 + order 1 ends Wed (2 * 4) + 6 = 14. Last: 0 +
    # order 3 Tue (1 * 2) + order 1 ends Thu (3 * 4) = 14. So it goes first.
    assert [a.order_id for a in plan.allocations] == [1, 2, 3]
    assert plan.weighted_tardiness == 12


def test_unknown_ids_and_repeats_are_dropped() -> None:
    p = _problem(ORDERS)
    plan = repair(p, {1: [1, 77, 1], 99: [2], 2: [3]})
    assert violations(p, plan) == []
    assert plan.unplanned == ()


def test_schedule_from_the_current_plan_is_no_worse_than_its_repair() -> None:
    p = _problem([*ORDERS, RUSH])
    repaired = repair(p, CURRENT)
    # four orders on two lines are enumerated outright: the optimum beats or ties the repair
    best = schedule(p, initial=CURRENT)
    assert best.weighted_tardiness <= repaired.weighted_tardiness
