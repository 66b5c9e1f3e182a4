"""The earliest-due-date baseline on a case small enough to follow by hand."""

from __future__ import annotations

from loom.apps.scheduling.solver.aps import dispatch_edd, schedule
from loom.apps.scheduling.solver.aps.check import violations
from loom.apps.scheduling.solver.model import Problem
from tests.apps.scheduling.solver.aps_cases import MON, TUE, line, order, problem


def _case() -> Problem:
    # no learning and no changeover minutes: SAM 10, 100 % efficiency, so line 1 (10
    # operators) makes 480 pieces a day and line 2 (5 operators) 240; only line 2 sews "b"
    return problem(
        [
            order(1, 480, style="A1", category="a", due=MON, weight=3),
            order(2, 240, style="A2", category="a", due=MON, weight=1),
            order(3, 240, style="B1", category="b", due=MON, weight=2),
        ],
        [
            line(1, operators=10, efficiency=100, categories=frozenset({"a"})),
            line(2, operators=5, efficiency=100, categories=frozenset({"a", "b"})),
        ],
        ramp=(),
        changeover=0,
    )


def test_edd_puts_each_order_where_it_finishes_first() -> None:
    p = _case()
    plan = dispatch_edd(p)
    assert violations(p, plan) == []
    placed = {a.order_id: (a.line_id, a.finish) for a in plan.allocations}
    # order 1: line 1 finishes Mon, line 2 Tue -> line 1; order 2: line 1 is full on Mon so
    # Tue, line 2 Mon -> line 2; order 3 only fits line 2, which is full on Mon -> Tue
    assert placed == {1: (1, MON), 2: (2, MON), 3: (2, TUE)}
    # order 3 one day late at weight 2; every order is a new style for its line
    assert (plan.weighted_tardiness, plan.late_days, plan.changeovers) == (2, 1, 3)
    assert plan.method == "edd"


def test_schedule_beats_edd_here() -> None:
    # best: order 3 first on line 2, order 2 after order 1 (or after order 3): order 2 a day
    # late at weight 1 -> 1, instead of EDD's 2
    plan = schedule(_case())
    assert plan.weighted_tardiness == 1
    assert violations(_case(), plan) == []
