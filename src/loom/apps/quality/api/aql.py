"""JSON API of AQL final inspections and of the customers' switching states."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy.orm import Session

from loom.apps.quality.permissions import (
    INSPECTION_DELETE,
    INSPECTION_READ,
    INSPECTION_WRITE,
    SWITCHING_WRITE,
)
from loom.apps.quality.schemas import AqlBody, AqlOut, SeriesOut
from loom.apps.quality.service import aql as svc
from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut

router = APIRouter(prefix="/aql")
DB = Depends(get_db, scope="function")
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


@router.get("", response_model=PageOut[AqlOut])
def list_lots(
    q: str = Query("", max_length=100),
    decision: str = Query("", pattern="^(accept|reject)?$"),
    offset: int = Query(0, ge=0, le=10_000_000),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(INSPECTION_READ),
    db: Session = DB,
) -> Any:
    """List AQL final inspections, the latest first, searched by order, lot or customer."""
    page = svc.search(db, scope, q=q, decision=decision, offset=offset, limit=limit)
    return PageOut.of(page, AqlOut)


@router.post("", response_model=AqlOut, status_code=201)
def create_lot(body: AqlBody, scope: Scope = require(INSPECTION_WRITE), db: Session = DB) -> Any:
    """Record a lot: plans at the customer's switching state, decision, next state."""
    return svc.create(db, scope, body.to_input())


@router.get("/series", response_model=list[SeriesOut])
def list_series(scope: Scope = require(INSPECTION_READ), db: Session = DB) -> Any:
    """List each customer's series with its switching state per class."""
    return [
        SeriesOut(id=s.id, customer=s.customer, lots=s.lots, state=s.state)
        for s in svc.series_list(db, scope)
    ]


@router.post("/series/{series_id}/resume", response_model=SeriesOut)
def resume_series(
    series_id: RowId, scope: Scope = require(SWITCHING_WRITE), db: Session = DB
) -> Any:
    """Resume a discontinued series on tightened inspection after corrective action."""
    s = svc.resume_series(db, scope, series_id)
    return SeriesOut(id=s.id, customer=s.customer, lots=s.lots, state=s.state)


@router.get("/{inspection_id}", response_model=AqlOut)
def read_lot(
    inspection_id: RowId, scope: Scope = require(INSPECTION_READ), db: Session = DB
) -> Any:
    """Return one AQL final inspection."""
    return svc.get(db, scope, inspection_id)


@router.delete("/{inspection_id}", status_code=204)
def delete_lot(
    inspection_id: RowId, scope: Scope = require(INSPECTION_DELETE), db: Session = DB
) -> Response:
    """Delete an AQL final inspection (the latest of a series puts its state back)."""
    svc.delete(db, scope, inspection_id)
    return Response(status_code=204)
