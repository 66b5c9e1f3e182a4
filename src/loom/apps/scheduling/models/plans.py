"""Tables of the scheduling app's plans: line profiles, order attributes, plans, allocations.

A plan keeps the problem it was solved on (``inputs``, plain JSON): its Gantt chart, capacity
load and what-if comparisons stay reproducible after lines and orders change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped

PLAN_STATUSES = ("draft", "adopted", "superseded")
PLAN_KINDS = ("plan", "whatif")


class LineProfile(Timestamped, TenantOwned, Base):
    """How the planner sees one sewing line: categories, people, efficiency and calendar."""

    __tablename__ = "scheduling_line_profile"
    __table_args__ = (
        ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "line_id"),
        CheckConstraint("efficiency_pct BETWEEN 1 AND 200", name="efficiency_range"),
        CheckConstraint("operators IS NULL OR operators >= 0", name="operators_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(index=True)
    # garment categories the line can sew; empty means any
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # headcount the plan counts on; NULL means the line's active operators
    operators: Mapped[int | None] = mapped_column(default=None)
    efficiency_pct: Mapped[int] = mapped_column(default=100)
    # 0 = Monday
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=lambda: [0, 1, 2, 3, 4, 5])
    # ISO dates
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {ISO date: extra minutes per operator}
    overtime: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # the style code on the line now: continuing it needs no changeover
    current_style: Mapped[str] = mapped_column(String(40), default="")


class OrderAttributes(Timestamped, TenantOwned, Base):
    """What the planner needs of a production order beyond the shop floor's fields."""

    __tablename__ = "scheduling_order_attrs"
    __table_args__ = (
        ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("org_id", "order_id"),
        CheckConstraint("weight BETWEEN 1 AND 5", name="weight_range"),
        CheckConstraint("sam_e4 IS NULL OR sam_e4 > 0", name="sam_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(index=True)
    category: Mapped[str] = mapped_column(String(40), default="")
    # fabric and trims in: the earliest day sewing may start; NULL means no constraint
    release_date: Mapped[date | None] = mapped_column(default=None)
    weight: Mapped[int] = mapped_column(default=1)
    # standard minutes per piece * 10,000; NULL means the style's routing sum
    sam_e4: Mapped[int | None] = mapped_column(default=None)


class SchedulePlan(Timestamped, TenantOwned, Base):
    """A plan (or a what-if scenario) with its figures and those of the EDD baseline."""

    __tablename__ = "scheduling_plan"
    __table_args__ = (
        ForeignKeyConstraint(
            ["base_plan_id", "org_id"],
            ["scheduling_plan.id", "scheduling_plan.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("id", "org_id"),
        # one current plan per enterprise, even when two planners adopt at the same moment
        Index(
            "ux_scheduling_plan_adopted",
            "org_id",
            unique=True,
            sqlite_where=text("status = 'adopted'"),
            postgresql_where=text("status = 'adopted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    # "plan" or "whatif"
    kind: Mapped[str] = mapped_column(String(10), default="plan")
    # "draft", "adopted" (the current plan) or "superseded"
    status: Mapped[str] = mapped_column(String(12), default="draft")
    start: Mapped[date] = mapped_column()
    time_limit: Mapped[int] = mapped_column(default=10)
    # the adopted plan a what-if is compared with
    base_plan_id: Mapped[int | None] = mapped_column(index=True, default=None)
    # the what-if's change: {"kind": "rush" | "overtime" | "lose_line", ...}
    scenario: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the solver's Problem as plain JSON (service.problem.problem_to_json)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    method: Mapped[str] = mapped_column(String(40), default="")
    seconds: Mapped[float] = mapped_column(default=0.0)
    weighted_tardiness: Mapped[int] = mapped_column(default=0)
    late_days: Mapped[int] = mapped_column(default=0)
    changeovers: Mapped[int] = mapped_column(default=0)
    late_orders: Mapped[int] = mapped_column(default=0)
    # the earliest-due-date dispatch of the same problem, for comparison
    edd_weighted_tardiness: Mapped[int] = mapped_column(default=0)
    edd_late_days: Mapped[int] = mapped_column(default=0)
    edd_changeovers: Mapped[int] = mapped_column(default=0)
    # solver order ids no line could take
    unplanned: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class Allocation(TenantOwned, Base):
    """One order of a plan on one line, from its first to its last sewing day."""

    __tablename__ = "scheduling_allocation"
    __table_args__ = (
        ForeignKeyConstraint(
            ["plan_id", "org_id"],
            ["scheduling_plan.id", "scheduling_plan.org_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["line_id", "org_id"], ["masterdata_line.id", "masterdata_line.org_id"]
        ),
        UniqueConstraint("plan_id", "order_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(index=True)
    # the solver's order id: a production order's id, or negative for a what-if's rush order
    order_ref: Mapped[int] = mapped_column()
    # NULL for a hypothetical order
    order_id: Mapped[int | None] = mapped_column(index=True, default=None)
    order_code: Mapped[str] = mapped_column(String(40))
    style: Mapped[str] = mapped_column(String(40), default="")
    line_id: Mapped[int] = mapped_column(index=True)
    # position on its line, 1 first
    seq: Mapped[int] = mapped_column(default=1)
    start: Mapped[date] = mapped_column()
    finish: Mapped[date] = mapped_column()
    due: Mapped[date] = mapped_column()
    quantity: Mapped[int] = mapped_column(default=0)
    weight: Mapped[int] = mapped_column(default=1)
    tardy_days: Mapped[int] = mapped_column(default=0)
    changeover: Mapped[bool] = mapped_column(default=False)
    # [[ISO date, pieces], ...]
    daily: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)


__all__ = ["Allocation", "LineProfile", "OrderAttributes", "SchedulePlan"]
