"""The feasibility checker the other tests rely on must catch each broken rule."""

from __future__ import annotations

from dataclasses import replace

from loom.apps.scheduling.solver.aps import simulate
from loom.apps.scheduling.solver.aps.check import violations
from loom.apps.scheduling.solver.model import Calendar, Plan
from tests.apps.scheduling.solver.aps_cases import FRI, MON, THU, TUE, WED, line, order, problem

P = problem(
    [order(1, 1000), order(2, 300), order(3, 50, category="jackets")],
    [line(calendar=Calendar(holidays=frozenset({FRI})))],
)


def _plan() -> Plan:
    return simulate(P, {1: [1, 2]})


def _with(plan: Plan, index: int, **changes: object) -> Plan:
    allocations = list(plan.allocations)
    allocations[index] = replace(allocations[index], **changes)  # type: ignore[arg-type]
    return replace(plan, allocations=tuple(allocations))


def test_the_simulated_plan_is_feasible() -> None:
    assert violations(P, _plan()) == []


def test_more_pieces_than_a_day_holds_are_caught() -> None:
    # Mon holds 201 pieces after the changeover at 60 %; 202 needs 2,525 raw minutes + 600 > 4,800?
    # no: 202 * 10 / (0.8 * 0.6) = 4,208.3 + 600 = 4,808.3 > 4,800
    daily = ((MON, 202), (TUE, 288), (WED, 345), (THU, 165))
    assert any("over capacity" in e for e in violations(P, _with(_plan(), 0, daily=daily)))


def test_production_on_a_holiday_is_caught() -> None:
    daily = ((THU, 218), (FRI, 82))
    broken = _with(_plan(), 1, daily=daily, finish=FRI)
    assert any("closed day" in e for e in violations(P, broken))


def test_missing_pieces_overlap_category_and_totals_are_caught() -> None:
    plan = _plan()
    short = _with(plan, 1, daily=((THU, 218),), finish=THU)
    assert any("quantity" in e for e in violations(P, short))
    overlap = _with(plan, 1, start=WED)
    assert any("overlap" in e for e in violations(P, overlap))
    wrong_line = replace(
        plan, allocations=(*plan.allocations, replace(plan.allocations[1], order_id=3))
    )
    errors = violations(P, replace(wrong_line, unplanned=()))
    assert any("cannot sew" in e for e in errors)
    assert any("exactly once" in e for e in violations(P, replace(plan, unplanned=())))
    assert any("weighted" in e for e in violations(P, replace(plan, weighted_tardiness=5)))
