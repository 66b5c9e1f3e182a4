"""API shapes of line profiles, order attributes, plans, allocations and what-if scenarios."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from loom.apps.scheduling.service.plans_whatif import LoseLineIn, OvertimeIn, RushIn
from loom.apps.scheduling.service.profiles import LineProfileIn, LineView, OrderAttrsIn, OrderView
from loom.apps.scheduling.solver.aps import PlanDiff, WeekLoad
from loom.kernel.web.inputs import ApiIn

#: ids the INTEGER columns can hold; larger ones cannot exist
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]


class LineProfileBody(ApiIn):
    """A line's scheduling profile; ``operators`` null means the line's active operators."""

    categories: list[Annotated[str, Field(max_length=80)]] = Field(default=[], max_length=100)
    operators: int | None = None
    efficiency_pct: int = 100
    weekdays: list[int] = Field(default=[0, 1, 2, 3, 4, 5], max_length=7)
    holidays: list[date] = Field(default=[], max_length=800)
    overtime: dict[date, int] = Field(default={}, max_length=800)
    current_style: str = Field(default="", max_length=80)

    def to_input(self) -> LineProfileIn:
        """Return the service's input."""
        return LineProfileIn(
            categories=self.categories,
            operators=self.operators,
            efficiency_pct=self.efficiency_pct,
            weekdays=self.weekdays,
            holidays=self.holidays,
            overtime=dict(self.overtime),
            current_style=self.current_style,
        )


class LineProfileOut(BaseModel):
    """A sewing line with its effective scheduling profile (defaults filled in)."""

    line_id: int
    code: str
    name: str
    shift_minutes: int
    categories: list[str]
    operators: int
    active_operators: int
    operators_set: bool
    efficiency_pct: int
    weekdays: list[int]
    holidays: list[date]
    overtime: dict[date, int]
    current_style: str

    @classmethod
    def of(cls, view: LineView) -> LineProfileOut:
        """Return the shape of a line view."""
        return cls(
            line_id=view.line.id,
            code=view.line.code,
            name=view.line.name,
            shift_minutes=view.line.shift_minutes,
            categories=list(view.categories),
            operators=view.operators,
            active_operators=view.active_operators,
            operators_set=view.profile is not None and view.profile.operators is not None,
            efficiency_pct=view.efficiency_pct,
            weekdays=list(view.weekdays),
            holidays=list(view.holidays),
            overtime=dict(view.overtime),
            current_style=view.current_style,
        )


class OrderAttrsBody(ApiIn):
    """An order's scheduling attributes; ``sam`` null means the style's routing SAM."""

    category: str = Field(default="", max_length=80)
    release_date: date | None = None
    weight: int = 1
    sam: Decimal | None = Field(default=None, max_digits=12, decimal_places=4)

    def to_input(self) -> OrderAttrsIn:
        """Return the service's input."""
        return OrderAttrsIn(
            category=self.category,
            release_date=self.release_date,
            weight=self.weight,
            sam=self.sam,
        )


class OrderAttrsOut(BaseModel):
    """An open production order with its effective scheduling attributes."""

    order_id: int
    number: str
    style: str
    total_qty: int
    due_date: date
    status: str
    category: str
    release_date: date | None
    weight: int
    sam: Decimal
    routing_sam: Decimal

    @classmethod
    def of(cls, view: OrderView) -> OrderAttrsOut:
        """Return the shape of an order view."""
        return cls(
            order_id=view.order.id,
            number=view.order.number,
            style=view.style_code,
            total_qty=view.order.total_qty,
            due_date=view.order.due_date,
            status=view.order.status,
            category=view.category,
            release_date=view.release_date,
            weight=view.weight,
            sam=Decimal(view.sam_e4).scaleb(-4),
            routing_sam=Decimal(view.routing_sam_e4).scaleb(-4),
        )


class PlanBody(ApiIn):
    """Plan the open orders from ``start`` (default today) within ``time_limit`` seconds."""

    start: date | None = None
    time_limit: int = 10
    name: str = Field(default="", max_length=400)


class AllocationOut(BaseModel):
    """One order of a plan on one line; ``order_id`` is null for a what-if's rush order."""

    model_config = ConfigDict(from_attributes=True)

    order_ref: int
    order_id: int | None
    order_code: str
    style: str
    line_id: int
    seq: int
    start: date
    finish: date
    due: date
    quantity: int
    weight: int
    tardy_days: int
    changeover: bool
    daily: list[tuple[date, int]]


class PlanOut(BaseModel):
    """A plan's figures, with those of the earliest-due-date baseline."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    status: str
    start: date
    time_limit: int
    base_plan_id: int | None
    scenario: dict[str, Any]
    method: str
    seconds: float
    weighted_tardiness: int
    late_days: int
    late_orders: int
    changeovers: int
    edd_weighted_tardiness: int
    edd_late_days: int
    edd_changeovers: int
    unplanned: list[int]
    created_by: str
    created_at: datetime


class SkippedOut(BaseModel):
    """An open order left out of a plan, and why."""

    order_id: int
    number: str
    reason: str


class PlanDetailOut(PlanOut):
    """A plan with its allocations by line and position."""

    allocations: list[AllocationOut] = []
    skipped: list[SkippedOut] = []


class WeekLoadOut(BaseModel):
    """One line's week: capacity and load in standard minutes, and load ÷ capacity in %."""

    line_id: int
    week: date
    capacity_minutes: int
    load_minutes: int
    load_pct: int | None

    @classmethod
    def of(cls, week: WeekLoad) -> WeekLoadOut:
        """Return the shape of a solver week."""
        cap = week.capacity_minutes
        return cls(
            line_id=week.line_id,
            week=week.week,
            capacity_minutes=cap,
            load_minutes=week.load_minutes,
            load_pct=round(100 * week.load_minutes / cap) if cap else None,
        )


class OrderChangeOut(BaseModel):
    """One order before and after a change; null where it is unplanned or absent."""

    order_ref: int
    order_code: str
    line_before: int | None
    line_after: int | None
    start_before: date | None
    start_after: date | None
    finish_before: date | None
    finish_after: date | None
    tardy_before: int | None
    tardy_after: int | None


class DiffOut(BaseModel):
    """What a what-if changes against the adopted plan: totals are after minus before."""

    base_plan_id: int
    late_days_change: int
    weighted_tardiness_change: int
    changeovers_change: int
    unplanned_change: int
    moved: list[OrderChangeOut]

    @classmethod
    def of(cls, base_plan_id: int, found: PlanDiff, codes: dict[int, str]) -> DiffOut:
        """Return the shape of a solver diff; ``codes`` names the orders."""
        return cls(
            base_plan_id=base_plan_id,
            late_days_change=found.late_days_change,
            weighted_tardiness_change=found.weighted_tardiness_change,
            changeovers_change=found.changeovers_change,
            unplanned_change=found.unplanned_change,
            moved=[
                OrderChangeOut(
                    order_ref=c.order_id,
                    order_code=codes.get(c.order_id, str(c.order_id)),
                    line_before=c.line_before,
                    line_after=c.line_after,
                    start_before=c.start_before,
                    start_after=c.start_after,
                    finish_before=c.finish_before,
                    finish_after=c.finish_after,
                    tardy_before=c.tardy_before,
                    tardy_after=c.tardy_after,
                )
                for c in found.moved
            ],
        )


class WhatIfOut(BaseModel):
    """A stored what-if with its change against the adopted plan."""

    plan: PlanOut
    diff: DiffOut


class RushBody(ApiIn):
    """Insert a rush order: style, pieces, due date, weight (1–5), category."""

    style_id: Id
    quantity: int
    due: date
    weight: int = 3
    category: str = Field(default="", max_length=80)
    time_limit: int = 10

    def to_input(self) -> RushIn:
        """Return the service's input."""
        return RushIn(self.style_id, self.quantity, self.due, self.weight, self.category)


class OvertimeBody(ApiIn):
    """Add overtime minutes per operator on a line's working days from one date to another."""

    line_id: Id
    date_from: date
    date_to: date
    minutes: int
    time_limit: int = 10

    def to_input(self) -> OvertimeIn:
        """Return the service's input."""
        return OvertimeIn(self.line_id, self.date_from, self.date_to, self.minutes)


class LoseLineBody(ApiIn):
    """Lose a line from a date on."""

    line_id: Id
    from_date: date
    time_limit: int = 10

    def to_input(self) -> LoseLineIn:
        """Return the service's input."""
        return LoseLineIn(self.line_id, self.from_date)
