"""JSON API of the plans published to a line: the current one, every version, publish, withdraw."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.inputs import ApiIn
from loom.modules.masterdata.service import line_plans

router = APIRouter()
DB = Depends(get_db, scope="function")
READ, WRITE = "masterdata.line.read", "masterdata.line.write"
LineId = Annotated[int, Path(ge=1, le=2_147_483_647)]
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class PlanTaskOut(BaseModel):
    """One operator's share of an operation at a station, with codes and names."""

    station_seq: int
    operator_id: int
    operator_code: str
    operator_name: str
    operation_id: int
    operation_code: str
    operation_name: str
    parts: int


class LinePlanOut(BaseModel):
    """A line's published plan: version, source, pace and who does what."""

    id: int
    line_id: int
    line_code: str
    style_id: int
    style_code: str
    style_name: str
    version: int
    source: str
    cycle_time_e4: int | None
    planned_per_hour: float | None
    published_at: datetime
    published_by: str
    tasks: list[PlanTaskOut]


class PlanVersionOut(BaseModel):
    """One published version of a line's plan, current or not."""

    id: int
    style_id: int
    version: int
    source: str
    cycle_time_e4: int | None
    current: bool
    published_at: datetime
    published_by: str
    withdrawn_at: datetime | None
    withdrawn_by: str
    tasks: list[dict[str, int]]


class PlanTaskBody(ApiIn):
    """One task of a plan to publish: at ``station_seq`` the operator sews 1/``parts``."""

    station_seq: int = Field(ge=1, le=9999)
    operator_id: RowId
    operation_id: RowId
    parts: int = Field(default=1, ge=1, le=20)


class PublishBody(ApiIn):
    """A plan to publish to a line as its new current version."""

    style_id: RowId
    entries: list[PlanTaskBody] = Field(max_length=1000)
    source: str = Field(default="", max_length=200)
    cycle_time_e4: int | None = Field(default=None, ge=1, le=6_000_000)


def _out(view: line_plans.LinePlanView) -> LinePlanOut:
    """Return the JSON shape of a plan view."""
    return LinePlanOut(
        id=view.id,
        line_id=view.line_id,
        line_code=view.line_code,
        style_id=view.style_id,
        style_code=view.style_code,
        style_name=view.style_name,
        version=view.version,
        source=view.source,
        cycle_time_e4=view.cycle_time_e4,
        planned_per_hour=view.planned_per_hour,
        published_at=view.published_at,
        published_by=view.published_by,
        tasks=[PlanTaskOut(**vars(task)) for task in view.tasks],
    )


@router.get("/lines/{line_id}/plan", response_model=LinePlanOut | None)
def read_current_plan(line_id: LineId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return the line's current published plan, or null when it runs without one."""
    line_plans.plan_versions(db, scope, line_id)  # 404 for another enterprise's line
    view = line_plans.current_line_plan(db, scope, line_id)
    return None if view is None else _out(view)


@router.get("/lines/{line_id}/plans", response_model=list[PlanVersionOut])
def list_plan_versions(line_id: LineId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return every version published to the line, newest first."""
    return [
        PlanVersionOut(
            id=p.id,
            style_id=p.style_id,
            version=p.version,
            source=p.source,
            cycle_time_e4=p.cycle_time_e4,
            current=p.current,
            published_at=p.published_at,
            published_by=p.published_by,
            withdrawn_at=p.withdrawn_at,
            withdrawn_by=p.withdrawn_by,
            tasks=p.tasks,
        )
        for p in line_plans.plan_versions(db, scope, line_id)
    ]


@router.post("/lines/{line_id}/plan", response_model=LinePlanOut, status_code=201)
def publish_plan(
    line_id: LineId, body: PublishBody, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Publish a plan to the line, replacing its current one; a 422 names every bad field."""
    line_plans.plan_versions(db, scope, line_id)  # 404 for another enterprise's line
    line_plans.publish_line_plan(
        db,
        scope,
        line_id=line_id,
        style_id=body.style_id,
        entries=[
            line_plans.PlannedTask(t.station_seq, t.operator_id, t.operation_id, t.parts)
            for t in body.entries
        ],
        source=body.source,
        cycle_time_e4=body.cycle_time_e4,
    )
    view = line_plans.current_line_plan(db, scope, line_id)
    assert view is not None  # just published
    return _out(view)


@router.delete("/lines/{line_id}/plan", status_code=204)
def withdraw_plan(line_id: LineId, scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Withdraw the line's current plan; the line then runs without one (404 if none)."""
    line_plans.withdraw_line_plan(db, scope, line_id)
    return Response(status_code=204)
