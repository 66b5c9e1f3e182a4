"""API shapes of maintenance: plans, the due list, work orders, checklists and rounds.

Bodies accept what the columns could hold and leave the rules (ranges, required texts) to the
services, so a 422 names every bad field in one answer.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from loom.apps.equipment.service.maintenance_checklists import TemplateIn
from loom.apps.equipment.service.maintenance_due import DueItem
from loom.apps.equipment.service.maintenance_inspections import Result, RoundIn
from loom.apps.equipment.service.maintenance_orders import CloseIn, OrderIn, Part
from loom.apps.equipment.service.maintenance_plans import PlanIn
from loom.kernel.web.inputs import ApiIn

RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]
#: a whole number as sent; the service names a value out of its range
Whole = Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]
Text = Annotated[str, Field(max_length=1000)]


class PlanBody(ApiIn):
    """A preventive plan: ``machine_id`` or ``machine_type``; ``interval_days`` or ``_hours``."""

    code: Text
    name: Text
    starts_on: date
    machine_id: RowId | None = None
    machine_type: Text | None = None
    interval_days: Whole | None = None
    interval_hours: Whole | None = None
    checklist: list[Text] = Field(default_factory=list, max_length=200)
    active: bool = True

    def to_input(self) -> PlanIn:
        """Return the service's input."""
        return PlanIn(**self.model_dump())


class PlanOut(BaseModel):
    """A stored plan."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    starts_on: date
    machine_id: int | None
    machine_type: str | None
    interval_days: int | None
    interval_hours: int | None
    checklist: list[str]
    active: bool


class DueOut(BaseModel):
    """One plan at one machine: last service, due day or hours run, and where it stands."""

    plan_id: int
    plan_code: str
    plan_name: str
    machine_id: int
    machine_code: str
    last_done: date | None
    due_on: date | None
    days_left: int | None
    hours_run: float | None
    interval_hours: int | None
    status: str
    open_order_id: int | None
    open_order_number: str | None

    @classmethod
    def of(cls, item: DueItem) -> DueOut:
        """Convert a computed due item."""
        return cls(
            plan_id=item.plan.id,
            plan_code=item.plan.code,
            plan_name=item.plan.name,
            machine_id=item.machine.id,
            machine_code=item.machine.code,
            last_done=item.last_done,
            due_on=item.due_on,
            days_left=item.days_left,
            hours_run=round(item.hours_run, 1) if item.hours_run is not None else None,
            interval_hours=item.plan.interval_hours,
            status=item.status,
            open_order_id=item.open_order.id if item.open_order else None,
            open_order_number=item.open_order.number if item.open_order else None,
        )


class CountsOut(BaseModel):
    """The badge: plan-machine pairs due without a work order, live orders, missing rounds."""

    due: int
    live_orders: int
    rounds_missing: int


class OrderBody(ApiIn):
    """A breakdown as reported (or an order's changed fault, priority and assignee)."""

    machine_id: RowId | None = None
    fault: Text
    priority: Text = "normal"
    assignee: Text = ""

    def to_input(self) -> OrderIn:
        """Return the service's input."""
        return OrderIn(self.machine_id, self.fault, self.priority, self.assignee)


class StartBody(ApiIn):
    """Who starts the work (kept as the assignee when given)."""

    assignee: Text = ""


class PartBody(ApiIn):
    """A spare part used and its quantity."""

    part: Text
    qty: Whole


class CloseBody(ApiIn):
    """How the job ended: downtime minutes, parts, what was done, checklist items done (0-based)."""

    downtime_minutes: Whole
    resolution: Text = ""
    parts: list[PartBody] = Field(default_factory=list, max_length=200)
    done_items: list[Whole] = Field(default_factory=list, max_length=200)

    def to_input(self) -> CloseIn:
        """Return the service's input."""
        return CloseIn(
            downtime_minutes=self.downtime_minutes,
            resolution=self.resolution,
            parts=[Part(p.part, p.qty) for p in self.parts],
            done_items=list(self.done_items),
        )


class CancelBody(ApiIn):
    """Why the order is cancelled."""

    reason: Text = ""


class WorkOrderOut(BaseModel):
    """A stored work order."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    kind: str
    machine_id: int
    plan_id: int | None
    round_id: int | None
    round_item: int | None
    fault: str
    priority: str
    assignee: str
    status: str
    due_on: date | None
    opened_at: datetime
    started_at: datetime | None
    closed_at: datetime | None
    parts: list[dict[str, Any]]
    downtime_minutes: int
    checklist: list[dict[str, Any]]
    resolution: str


class ChecklistBody(ApiIn):
    """A spot-inspection checklist of one machine type, walked ``daily`` or per ``shift``."""

    machine_type: Text
    name: Text
    frequency: Text = "daily"
    items: list[Text] = Field(default_factory=list, max_length=200)

    def to_input(self) -> TemplateIn:
        """Return the service's input."""
        return TemplateIn(**self.model_dump())


class ChecklistOut(BaseModel):
    """A stored checklist."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    machine_type: str
    name: str
    frequency: str
    items: list[str]


class ResultBody(ApiIn):
    """One item as walked: OK or abnormal, with a note (required when abnormal)."""

    ok: bool
    note: Text = ""


class RoundBody(ApiIn):
    """A round at a machine: one result per item of its type's checklist, in order."""

    machine_id: RowId | None = None
    day: date
    shift: Text = ""
    inspector: Text
    results: list[ResultBody] = Field(max_length=200)

    def to_input(self) -> RoundIn:
        """Return the service's input."""
        return RoundIn(
            machine_id=self.machine_id,
            day=self.day,
            inspector=self.inspector,
            results=[Result(r.ok, r.note) for r in self.results],
            shift=self.shift,
        )


class RoundOut(BaseModel):
    """A recorded round."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    template_id: int
    machine_id: int
    day: date
    shift: str
    inspector: str
    results: list[dict[str, Any]]
    abnormal: int
    recorded_at: datetime


class RaiseBody(ApiIn):
    """The priority of the work order raised for an abnormal item."""

    priority: Text = "high"
