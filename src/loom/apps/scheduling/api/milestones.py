"""JSON API of time-and-action milestones: the board with its alerts, an order's timeline, the
template, recorded stages and actual dates derived from the shop floor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.orm import Session

from loom.apps.scheduling.models.milestones import STAGES
from loom.apps.scheduling.schemas_milestones import (
    AlertCountOut,
    DeriveBody,
    DerivedOut,
    MilestoneBody,
    StageOut,
    TemplateBody,
    TemplateOut,
    TimelineOut,
)
from loom.apps.scheduling.service import milestones as svc
from loom.apps.scheduling.service import milestones_board as board
from loom.apps.scheduling.service.milestones_derive import derive
from loom.apps.scheduling.service.milestones_rules import STATUSES
from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut

router = APIRouter(prefix="/milestones")
DB = Depends(get_db, scope="function")
READ = "scheduling.milestone.read"
WRITE = "scheduling.milestone.write"
OrderId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Stage = Annotated[str, Path(pattern="^(" + "|".join(STAGES) + ")$")]
STAGE_FILTER = Query("", pattern="^(" + "|".join(STAGES) + ")?$")
STATUS_FILTER = Query("", pattern="^(" + "|".join((*STATUSES, board.ALERTS)) + ")?$")


@router.get("", response_model=PageOut[StageOut])
def list_milestones(
    q: str = Query("", max_length=100),
    order_id: int | None = Query(None, ge=1, le=2_147_483_647),
    stage: str = STAGE_FILTER,
    status: str = STATUS_FILTER,
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List every stage of the orders, open alerts first (the latest first)."""
    page = board.search(
        db,
        scope,
        today=svc.factory_today(),
        q=q,
        order_id=order_id,
        stage=stage,
        status=status,
        offset=offset,
        limit=limit,
    )
    return PageOut[StageOut](
        items=[StageOut.of(row) for row in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.get("/alerts", response_model=AlertCountOut)
def count_alerts(scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return how many stages are open alerts, in total and by severity."""
    counts = board.open_alerts(db, scope, svc.factory_today())
    return AlertCountOut(open_alerts=counts.total, by_severity=counts.by_severity)


@router.get("/template", response_model=TemplateOut)
def read_template(scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return the enterprise's T&A template: days from the due date per stage."""
    return TemplateOut(**svc.offsets_of(db, scope))


@router.put("/template", response_model=TemplateOut)
def replace_template(body: TemplateBody, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Replace the template; a 422 names every bad stage."""
    return TemplateOut(**svc.set_offsets(db, scope, body.model_dump()))


@router.get("/orders/{order_id}", response_model=TimelineOut)
def read_timeline(order_id: OrderId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return an order's six stages with target, forecast and actual dates."""
    rows = svc.timeline(db, scope, order_id, svc.factory_today())
    order = rows[0].order
    return TimelineOut(
        order_id=order.id,
        order_number=order.number,
        due_date=order.due_date,
        stages=[StageOut.of(row) for row in rows],
    )


@router.put("/orders/{order_id}/{stage}", response_model=StageOut)
def record_stage(
    order_id: OrderId,
    stage: Stage,
    body: MilestoneBody,
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Any:
    """Record one stage: a target of its own, the actual date and a note."""
    row = svc.update(db, scope, order_id, stage, body.to_input(), svc.factory_today())
    return StageOut.of(row)


@router.post("/derive", response_model=list[DerivedOut])
def derive_actuals(
    body: DeriveBody | None = None, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Record the cutting and sewing-finish dates the shop floor shows; return the new ones."""
    wanted = body.order_ids if body is not None else None
    found = derive(db, scope, svc.factory_today(), wanted)
    return [
        DerivedOut(order_id=d.order_id, order_number=d.number, stage=d.stage, actual_date=d.actual)
        for d in found
    ]
