"""API shapes of time-and-action milestones: the template, stages, alerts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from loom.apps.scheduling.service.milestones import MilestoneIn, StageRow
from loom.kernel.web.inputs import ApiIn

#: an offset as sent; the service names a stage whose value is out of its range
Days = Annotated[int, Field(ge=-100_000, le=100_000)]
#: a row id as the database can hold it
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class TemplateBody(ApiIn):
    """The T&A template: each stage's days from the due date (negative: before it)."""

    fabric: Days
    cutting: Days
    sewing_start: Days
    sewing_finish: Days
    finishing: Days
    shipping: Days


class TemplateOut(TemplateBody):
    """The enterprise's T&A template (the defaults until someone changes it)."""


class MilestoneBody(ApiIn):
    """One stage as recorded: ``target_date`` null follows the template, ``actual_date`` null
    means not done yet."""

    target_date: date | None = None
    actual_date: date | None = None
    note: str = Field(default="", max_length=400)

    def to_input(self) -> MilestoneIn:
        """Return the service's input."""
        return MilestoneIn(
            target_date=self.target_date, actual_date=self.actual_date, note=self.note
        )


class StageOut(BaseModel):
    """One stage of an order with its dates and where it stands today."""

    order_id: int
    order_number: str
    customer: str
    due_date: date
    stage: str
    target_date: date
    template_date: date
    target_set: bool
    forecast_date: date | None
    actual_date: date | None
    actual_source: str
    note: str
    status: str
    days_late: int
    severity: str
    alert: bool

    @classmethod
    def of(cls, row: StageRow) -> StageOut:
        """Convert a computed stage."""
        return cls(
            order_id=row.order.id,
            order_number=row.order.number,
            customer=row.order.customer,
            due_date=row.order.due_date,
            stage=row.stage,
            target_date=row.target,
            template_date=row.template_target,
            target_set=row.target_set,
            forecast_date=row.forecast,
            actual_date=row.actual,
            actual_source=row.actual_source,
            note=row.note,
            status=row.judgement.status,
            days_late=row.judgement.days_late,
            severity=row.judgement.severity,
            alert=row.is_alert,
        )


class TimelineOut(BaseModel):
    """An order's six stages in sequence."""

    order_id: int
    order_number: str
    due_date: date
    stages: list[StageOut]


class AlertCountOut(BaseModel):
    """Open alerts of the enterprise, in total and by severity."""

    open_alerts: int
    by_severity: dict[str, int]


class DerivedOut(BaseModel):
    """An actual date the shop floor supplied."""

    order_id: int
    order_number: str
    stage: str
    actual_date: date


class DeriveBody(ApiIn):
    """Which orders to derive actual dates for (all that are not cancelled when omitted)."""

    order_ids: list[RowId] | None = Field(default=None, max_length=10_000)
