"""JSON API of maintenance: plans and what is due, work orders, checklists and rounds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import ORDER_KINDS, ORDER_STATUSES
from loom.apps.equipment.schemas_maintenance import (
    CancelBody,
    ChecklistBody,
    ChecklistOut,
    CloseBody,
    CountsOut,
    DueOut,
    OrderBody,
    PlanBody,
    PlanOut,
    RaiseBody,
    RoundBody,
    RoundOut,
    StartBody,
    WorkOrderOut,
)
from loom.apps.equipment.service import maintenance_checklists as checklists
from loom.apps.equipment.service import maintenance_due as due
from loom.apps.equipment.service import maintenance_inspections as inspections
from loom.apps.equipment.service import maintenance_orders as orders
from loom.apps.equipment.service import maintenance_plans as plans
from loom.apps.equipment.service.maintenance_common import (
    PlanRepository,
    RoundRepository,
    TemplateRepository,
    WorkOrderRepository,
    factory_today,
)
from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut

router = APIRouter(prefix="/maintenance")
DB = Depends(get_db, scope="function")
READ = "equipment.maintenance.read"
WRITE = "equipment.maintenance.write"
RECORD = "equipment.maintenance.record"
DELETE = "equipment.maintenance.delete"
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
Item = Annotated[int, Path(ge=1, le=1000)]
STATUS = Query("", pattern="^(" + "|".join((*ORDER_STATUSES, "live")) + ")?$")
KIND = Query("", pattern="^(" + "|".join(ORDER_KINDS) + ")?$")
DUE_STATUS = Query("", pattern="^(" + "|".join(due.STATUSES) + ")?$")
OFFSET = Query(0, ge=0, le=10_000_000)
LIMIT = Query(50, ge=1, le=200)


@router.get("/due", response_model=list[DueOut])
def list_due(status: str = DUE_STATUS, scope: Scope = require(READ), db: Session = DB) -> Any:
    """List every active plan at every machine it covers, overdue first."""
    wanted = (status,) if status else due.STATUSES
    return [DueOut.of(i) for i in due.due_items(db, scope, factory_today(), statuses=wanted)]


@router.get("/counts", response_model=CountsOut)
def counts(scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return the badge's figures: due plans without an order, live orders, missing rounds."""
    today = factory_today()
    missing = sum(len(w.missing) for w in inspections.todays_rounds(db, scope, today))
    return CountsOut(
        due=due.due_count(db, scope, today),
        live_orders=orders.live_count(db, scope),
        rounds_missing=missing,
    )


@router.post("/due/work-orders", response_model=list[WorkOrderOut], status_code=201)
def open_due(scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Open a work order for everything due or overdue that has none yet."""
    return due.open_all_due(db, scope, factory_today())


@router.get("/plans", response_model=PageOut[PlanOut])
def list_plans(
    q: str = Query("", max_length=100),
    active: bool | None = None,
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List plans by code, searched in code, name, machine type and machine code."""
    page = plans.search(db, scope, q=q, active=active, offset=offset, limit=limit)
    return PageOut.of(page, PlanOut)


@router.post("/plans", response_model=PlanOut, status_code=201)
def create_plan(body: PlanBody, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Add a preventive plan; a 422 names every bad field."""
    return plans.create(db, scope, body.to_input())


@router.get("/plans/{plan_id}", response_model=PlanOut)
def read_plan(plan_id: Id, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a plan."""
    return PlanRepository(db, scope).get(plan_id)


@router.put("/plans/{plan_id}", response_model=PlanOut)
def replace_plan(
    plan_id: Id, body: PlanBody, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Replace a plan's fields."""
    return plans.update(db, scope, plan_id, body.to_input())


@router.delete("/plans/{plan_id}", status_code=204)
def delete_plan(plan_id: Id, scope: Scope = require(DELETE), db: Session = DB) -> Response:
    """Delete a plan no work order was opened from."""
    plans.delete(db, scope, plan_id)
    return Response(status_code=204)


@router.post(
    "/plans/{plan_id}/machines/{machine_id}/work-orders",
    response_model=WorkOrderOut,
    status_code=201,
)
def open_from_plan(
    plan_id: Id, machine_id: Id, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Open the plan's preventive work order at one machine."""
    return due.open_from_plan(db, scope, plan_id, machine_id, factory_today())


@router.get("/work-orders", response_model=PageOut[WorkOrderOut])
def list_orders(
    q: str = Query("", max_length=100),
    status: str = STATUS,
    kind: str = KIND,
    machine_id: int | None = Query(None, ge=1, le=2_147_483_647),
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List work orders, live ones first, urgent first (status ``live``: open or started)."""
    page = orders.search(
        db,
        scope,
        q=q,
        status=status,
        kind=kind,
        machine_id=machine_id,
        offset=offset,
        limit=limit,
    )
    return PageOut.of(page, WorkOrderOut)


@router.post("/work-orders", response_model=WorkOrderOut, status_code=201)
def report_breakdown(body: OrderBody, scope: Scope = require(RECORD), db: Session = DB) -> Any:
    """Open a work order for a breakdown."""
    return orders.create_breakdown(db, scope, body.to_input())


@router.get("/work-orders/{order_id}", response_model=WorkOrderOut)
def read_order(order_id: Id, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a work order."""
    return WorkOrderRepository(db, scope).get(order_id)


@router.patch("/work-orders/{order_id}", response_model=WorkOrderOut)
def edit_order(
    order_id: Id, body: OrderBody, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Change a live order's fault, priority and assignee."""
    return orders.update(db, scope, order_id, body.to_input())


@router.post("/work-orders/{order_id}/start", response_model=WorkOrderOut)
def start_order(
    order_id: Id, body: StartBody | None = None, scope: Scope = require(RECORD), db: Session = DB
) -> Any:
    """Start an open work order (409 for any other status)."""
    return orders.start(db, scope, order_id, body.assignee if body else "")


@router.post("/work-orders/{order_id}/close", response_model=WorkOrderOut)
def close_order(
    order_id: Id, body: CloseBody, scope: Scope = require(RECORD), db: Session = DB
) -> Any:
    """Close a started work order with downtime, parts and what was done."""
    return orders.close(db, scope, order_id, body.to_input())


@router.post("/work-orders/{order_id}/cancel", response_model=WorkOrderOut)
def cancel_order(
    order_id: Id, body: CancelBody | None = None, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Cancel an open or started work order."""
    return orders.cancel(db, scope, order_id, body.reason if body else "")


@router.delete("/work-orders/{order_id}", status_code=204)
def delete_order(order_id: Id, scope: Scope = require(DELETE), db: Session = DB) -> Response:
    """Delete an open or cancelled work order."""
    orders.delete(db, scope, order_id)
    return Response(status_code=204)


@router.get("/checklists", response_model=list[ChecklistOut])
def list_checklists(scope: Scope = require(READ), db: Session = DB) -> Any:
    """List the spot-inspection checklists by machine type."""
    return checklists.templates(db, scope)


@router.post("/checklists", response_model=ChecklistOut, status_code=201)
def create_checklist(body: ChecklistBody, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Add the checklist of a machine type."""
    return checklists.create_template(db, scope, body.to_input())


@router.get("/checklists/{template_id}", response_model=ChecklistOut)
def read_checklist(template_id: Id, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a checklist."""
    return TemplateRepository(db, scope).get(template_id)


@router.put("/checklists/{template_id}", response_model=ChecklistOut)
def replace_checklist(
    template_id: Id, body: ChecklistBody, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Replace a checklist."""
    return checklists.update_template(db, scope, template_id, body.to_input())


@router.delete("/checklists/{template_id}", status_code=204)
def delete_checklist(template_id: Id, scope: Scope = require(DELETE), db: Session = DB) -> Response:
    """Delete a checklist no round was walked with."""
    checklists.delete_template(db, scope, template_id)
    return Response(status_code=204)


@router.get("/rounds", response_model=PageOut[RoundOut])
def list_rounds(
    q: str = Query("", max_length=100),
    abnormal: bool = False,
    offset: int = OFFSET,
    limit: int = LIMIT,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List rounds, newest first, searched by machine code or inspector."""
    page = inspections.search_rounds(db, scope, q=q, abnormal=abnormal, offset=offset, limit=limit)
    return PageOut.of(page, RoundOut)


@router.post("/rounds", response_model=RoundOut, status_code=201)
def record_round(body: RoundBody, scope: Scope = require(RECORD), db: Session = DB) -> Any:
    """Record a round at a machine; a 422 names every bad field and item."""
    return inspections.record_round(db, scope, body.to_input(), factory_today())


@router.get("/rounds/{round_id}", response_model=RoundOut)
def read_round(round_id: Id, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a round."""
    return RoundRepository(db, scope).get(round_id)


@router.delete("/rounds/{round_id}", status_code=204)
def delete_round(round_id: Id, scope: Scope = require(DELETE), db: Session = DB) -> Response:
    """Delete a round that raised no work order."""
    inspections.delete_round(db, scope, round_id)
    return Response(status_code=204)


@router.post(
    "/rounds/{round_id}/items/{item}/work-order", response_model=WorkOrderOut, status_code=201
)
def raise_order(
    round_id: Id,
    item: Item,
    body: RaiseBody | None = None,
    scope: Scope = require(RECORD),
    db: Session = DB,
) -> Any:
    """Open a work order for abnormal item ``item`` (1-based) of a round."""
    priority = body.priority if body else "high"
    return inspections.raise_order(db, scope, round_id, item - 1, priority)
