"""Figures read off a plan: weekly capacity against load, and what changed between two plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from loom.apps.scheduling.solver.model import Allocation, Plan, Problem


@dataclass(frozen=True)
class WeekLoad:
    """One line's ISO week: capacity and planned load, in standard minutes."""

    line_id: int
    week: date  # the Monday of the ISO week
    capacity_minutes: int  # operators * working minutes * efficiency, at full learning
    load_minutes: int  # standard minutes of the pieces planned that week


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _round_e4(value: int) -> int:
    """Return ``value / 10,000`` rounded half up (values are never negative)."""
    return (value + 5_000) // 10_000


def weekly_load(problem: Problem, plan: Plan) -> list[WeekLoad]:
    """Return capacity and load per line and ISO week, from the start's week to the last finish."""
    first = _monday(problem.start)
    last_day = max((a.finish for a in plan.allocations), default=problem.start)
    weeks = (_monday(last_day) - first).days // 7 + 1
    sam = {order.id: order.sam_e4 for order in problem.orders}
    load_e4: dict[tuple[int, date], int] = {}
    for allocation in plan.allocations:
        for day, pieces in allocation.daily:
            key = (allocation.line_id, _monday(day))
            load_e4[key] = load_e4.get(key, 0) + pieces * sam[allocation.order_id]
    horizon_end = problem.start + timedelta(days=problem.horizon_days)
    result: list[WeekLoad] = []
    for line in problem.lines:
        for week in range(weeks):
            monday = first + timedelta(weeks=week)
            capacity_e4 = 0  # minutes * operators * eff% * 100 = standard minutes * 10,000
            for offset in range(7):
                day = monday + timedelta(days=offset)
                if problem.start <= day < horizon_end:
                    minutes = line.calendar.minutes_on(day)
                    capacity_e4 += minutes * line.operators * line.efficiency_pct * 100
            result.append(
                WeekLoad(
                    line_id=line.id,
                    week=monday,
                    capacity_minutes=_round_e4(capacity_e4),
                    load_minutes=_round_e4(load_e4.get((line.id, monday), 0)),
                )
            )
    return result


@dataclass(frozen=True)
class OrderChange:
    """One order in two plans: line, start, finish and tardy days before and after.

    ``None`` marks a plan in which the order is unplanned or absent (a rush order added).
    """

    order_id: int
    line_before: int | None
    line_after: int | None
    start_before: date | None
    start_after: date | None
    finish_before: date | None
    finish_after: date | None
    tardy_before: int | None
    tardy_after: int | None

    @property
    def changed(self) -> bool:
        """Return whether the order moved, changed its dates or its planned state."""
        return (self.line_before, self.start_before, self.finish_before) != (
            self.line_after,
            self.start_after,
            self.finish_after,
        )


@dataclass(frozen=True)
class PlanDiff:
    """Per-order changes between two plans and the change in their costs (after - before)."""

    orders: tuple[OrderChange, ...]
    late_days_change: int
    weighted_tardiness_change: int
    changeovers_change: int
    unplanned_change: int

    @property
    def moved(self) -> tuple[OrderChange, ...]:
        """Return the orders whose line or dates differ."""
        return tuple(change for change in self.orders if change.changed)


def diff(before: Plan, after: Plan) -> PlanDiff:
    """Compare two plans order by order; totals are after minus before."""
    was = {a.order_id: a for a in before.allocations}
    now = {a.order_id: a for a in after.allocations}
    ids = sorted(set(was) | set(now) | set(before.unplanned) | set(after.unplanned))
    changes = []
    for order_id in ids:
        old: Allocation | None = was.get(order_id)
        new: Allocation | None = now.get(order_id)
        changes.append(
            OrderChange(
                order_id=order_id,
                line_before=old.line_id if old else None,
                line_after=new.line_id if new else None,
                start_before=old.start if old else None,
                start_after=new.start if new else None,
                finish_before=old.finish if old else None,
                finish_after=new.finish if new else None,
                tardy_before=old.tardy_days if old else None,
                tardy_after=new.tardy_days if new else None,
            )
        )
    return PlanDiff(
        orders=tuple(changes),
        late_days_change=after.late_days - before.late_days,
        weighted_tardiness_change=after.weighted_tardiness - before.weighted_tardiness,
        changeovers_change=after.changeovers - before.changeovers,
        unplanned_change=len(after.unplanned) - len(before.unplanned),
    )
