"""JSON API of line balancing: plans, hand edits, undo, comparison, publication, export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.orm import Session

from loom.apps.balancing.pages.common import export_response
from loom.apps.balancing.permissions import DELETE, PUBLISH, READ, WRITE
from loom.apps.balancing.schemas import (
    CompareOut,
    EditBody,
    NameBody,
    PlanBody,
    PlanOut,
    PlanSummaryOut,
    RevisionOut,
)
from loom.apps.balancing.service import compare, plans, publish
from loom.apps.balancing.service.views import view_of
from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut

router = APIRouter()
DB = Depends(get_db, scope="function")
PlanId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _out(plan: Any) -> PlanOut:
    return PlanOut.of_view(view_of(plan))


@router.get("/plans", response_model=PageOut[PlanSummaryOut])
def list_plans(
    q: str = Query("", max_length=100),
    style_id: int | None = Query(None, ge=1, le=2_147_483_647),
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List the enterprise's plans, newest first, searched in plan name and style."""
    page = plans.search(db, scope, q=q, style_id=style_id, offset=offset, limit=limit)
    return PageOut[PlanSummaryOut](
        items=[PlanSummaryOut.of(p) for p in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.post("/plans", response_model=PlanOut, status_code=201)
def create_plan(body: PlanBody, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Solve a style (within 10 s) and save the answer; a 422 names every bad field."""
    return _out(plans.create(db, scope, body.to_input()))


@router.get("/plans/compare", response_model=CompareOut)
def compare_plans(
    ids: list[int] = Query(..., max_length=3),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """Return 2–3 plans side by side (404 if one is not the enterprise's)."""
    views = compare.compare(db, scope, ids)
    return CompareOut(plans=[PlanOut.of_view(v) for v in views])


@router.get("/plans/{plan_id}", response_model=PlanOut)
def read_plan(plan_id: PlanId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return one plan with its stations, figures and violations."""
    return _out(plans.get(db, scope, plan_id))


@router.patch("/plans/{plan_id}", response_model=PlanOut)
def rename_plan(
    plan_id: PlanId, body: NameBody, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Save the plan under another name."""
    return _out(plans.rename(db, scope, plan_id, body.name))


@router.delete("/plans/{plan_id}", status_code=204)
def delete_plan(plan_id: PlanId, scope: Scope = require(DELETE), db: Session = DB) -> Response:
    """Delete a plan with its revisions."""
    plans.delete(db, scope, plan_id)
    return Response(status_code=204)


@router.post("/plans/{plan_id}/edits", response_model=PlanOut)
def edit_plan(
    plan_id: PlanId, body: EditBody, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Apply one hand edit; the answer carries the new figures and every violation."""
    return _out(plans.edit(db, scope, plan_id, body.to_edit()))


@router.post("/plans/{plan_id}/undo", response_model=PlanOut)
def undo_edit(plan_id: PlanId, scope: Scope = require(WRITE), db: Session = DB) -> Any:
    """Go back to the revision before the last edit (409 when there is none)."""
    return _out(plans.undo(db, scope, plan_id))


@router.post("/plans/{plan_id}/copy", response_model=PlanOut, status_code=201)
def copy_plan(
    plan_id: PlanId, body: NameBody, scope: Scope = require(WRITE), db: Session = DB
) -> Any:
    """Save the plan's current state as a new plan under another name."""
    return _out(plans.copy(db, scope, plan_id, body.name))


@router.get("/plans/{plan_id}/revisions", response_model=list[RevisionOut])
def plan_revisions(plan_id: PlanId, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return the plan's revisions, newest first."""
    return plans.revisions_of(db, scope, plan_id)


@router.post("/plans/{plan_id}/publish", response_model=PlanOut)
def publish_plan(plan_id: PlanId, scope: Scope = require(PUBLISH), db: Session = DB) -> Any:
    """Publish a valid plan with named operators to its line (422 says what stops it)."""
    return _out(publish.publish(db, scope, plan_id))


@router.get("/plans/{plan_id}/export.xlsx")
def export_plan(
    request: Request, plan_id: PlanId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Download the plan as an Excel workbook, headed in the caller's language."""
    return export_response(request, db, scope, plans.get(db, scope, plan_id))
