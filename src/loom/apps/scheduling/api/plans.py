"""JSON API of the scheduling app's plans: run, read, adopt, discard, charts and what-ifs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from loom.apps.scheduling.api.plans_profiles import router as profiles_router
from loom.apps.scheduling.models.plans import SchedulePlan
from loom.apps.scheduling.schemas_plans import (
    AllocationOut,
    DiffOut,
    LoseLineBody,
    OvertimeBody,
    PlanBody,
    PlanDetailOut,
    PlanOut,
    RushBody,
    SkippedOut,
    WeekLoadOut,
    WhatIfOut,
)
from loom.apps.scheduling.service import plans, plans_whatif
from loom.apps.scheduling.service.plans_charts import load_of
from loom.kernel.authz.guard import require
from loom.kernel.errors import NotFound
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut

router = APIRouter()
# line profiles and order attributes live in their own file, under the same prefix
router.include_router(profiles_router)
DB = Depends(get_db, scope="function")
READ, WRITE = "scheduling.plan.read", "scheduling.plan.write"
PlanId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _detail(db: Session, scope: Scope, row: SchedulePlan, skipped: Any = ()) -> PlanDetailOut:
    out = PlanDetailOut.model_validate(row)
    out.allocations = [
        AllocationOut.model_validate(a) for a in plans.allocations_of(db, scope, row.id)
    ]
    out.skipped = [
        SkippedOut(order_id=s.order_id, number=s.number, reason=s.reason) for s in skipped
    ]
    return out


@router.get("/plans", response_model=PageOut[PlanOut])
def list_plans(
    q: str = Query("", max_length=100),
    kind: str = Query("", pattern="^(|plan|whatif)$"),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List plans and what-ifs, newest first, searched in the name."""
    page = plans.search(db, scope, q=q, kind=kind, offset=offset, limit=limit)
    return PageOut.of(page, PlanOut)


@router.post("/plans", response_model=PlanDetailOut, status_code=201)
def create_plan(body: PlanBody, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Plan the open orders from ``start`` (default today) and store the draft."""
    row, skipped = plans.run_plan(
        db, scope, start=body.start or plans.today(), time_limit=body.time_limit, name=body.name
    )
    return _detail(db, scope, row, skipped)


@router.get("/plans/current", response_model=PlanDetailOut)
def current_plan(scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return the adopted plan; 404 when none has been adopted."""
    row = plans.current(db, scope)
    if row is None:
        raise NotFound("no plan has been adopted yet")
    return _detail(db, scope, row)


@router.get("/plans/{plan_id}", response_model=PlanDetailOut)
def read_plan(plan_id: PlanId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a plan with its allocations."""
    return _detail(db, scope, plans.PlanRepository(db, scope).get(plan_id))


@router.get("/plans/{plan_id}/load", response_model=list[WeekLoadOut])
def plan_load(plan_id: PlanId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return capacity and load per line and week, in standard minutes."""
    row = plans.PlanRepository(db, scope).get(plan_id)
    return [WeekLoadOut.of(week) for week in load_of(db, scope, row)]


@router.get("/plans/{plan_id}/diff", response_model=DiffOut)
def plan_diff(plan_id: PlanId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return what a what-if changes against the plan it was made from."""
    row = plans.PlanRepository(db, scope).get(plan_id)
    return _diff(db, scope, row)


def _diff(db: Session, scope: Scope, row: SchedulePlan) -> DiffOut:
    found = plans_whatif.compare(db, scope, row)
    if found is None or row.base_plan_id is None:
        raise NotFound("plan %(id)s is not a what-if", params={"id": row.id})
    base = plans.PlanRepository(db, scope).get(row.base_plan_id)
    return DiffOut.of(row.base_plan_id, found, plans_whatif.order_codes(base, row))


@router.post("/plans/{plan_id}/adopt", response_model=PlanOut)
def adopt_plan(plan_id: PlanId, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Make a draft plan or what-if the current plan."""
    return plans.adopt(db, scope, plan_id)


@router.delete("/plans/{plan_id}", status_code=204)
def discard_plan(plan_id: PlanId, scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Discard a draft plan or what-if."""
    plans.discard(db, scope, plan_id)
    return Response(status_code=204)


def _whatif(db: Session, scope: Scope, change: Any, time_limit: int) -> WhatIfOut:
    row = plans_whatif.run(db, scope, change, time_limit=time_limit)
    return WhatIfOut(plan=PlanOut.model_validate(row), diff=_diff(db, scope, row))


@router.post("/whatif/rush", response_model=WhatIfOut, status_code=201)
def whatif_rush(body: RushBody, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Insert a rush order into a copy of the adopted plan and show the change."""
    return _whatif(db, scope, body.to_input(), body.time_limit)


@router.post("/whatif/overtime", response_model=WhatIfOut, status_code=201)
def whatif_overtime(body: OvertimeBody, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Add overtime to a line in a copy of the adopted plan and show the change."""
    return _whatif(db, scope, body.to_input(), body.time_limit)


@router.post("/whatif/lose-line", response_model=WhatIfOut, status_code=201)
def whatif_lose_line(body: LoseLineBody, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Lose a line from a date in a copy of the adopted plan and show the change."""
    return _whatif(db, scope, body.to_input(), body.time_limit)
