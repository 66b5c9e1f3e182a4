"""JSON API of the quarantine: list quarantined scans, fix and re-apply one, or discard it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.inputs import ApiIn
from loom.kernel.web.pagination import PageOut
from loom.modules.shopfloor.service import quarantine

router = APIRouter()
DB = Depends(get_db, scope="function")
READ = "shopfloor.quarantine.read"
RESOLVE = "shopfloor.quarantine.resolve"
QuarantineId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Status = Literal["open", "fixed", "discarded", ""]


class QuarantinedOut(BaseModel):
    """A quarantined scan with its reason and the payload as received."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    event_key: str | None
    received_at: datetime
    reason: str
    detail: str
    payload: dict[str, Any]
    status: str
    resolved_at: datetime | None
    resolved_by: str


class FixBody(ApiIn):
    """The corrected references; a field left out keeps the event's value."""

    bundle_no: int | None = Field(default=None, ge=1, le=2_147_483_647)
    operation_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    operator_code: str | None = Field(default=None, min_length=1, max_length=40)
    # apply although the line's published plan gives the operation to someone else
    anyway: bool = False


def _out(entry: Any) -> QuarantinedOut:
    """Return the JSON shape of a quarantined scan."""
    return QuarantinedOut(
        id=entry.id,
        event_key=str(entry.event_key) if entry.event_key else None,
        received_at=entry.received_at,
        reason=entry.reason,
        detail=entry.detail,
        payload=dict(entry.payload or {}),
        status=entry.status,
        resolved_at=entry.resolved_at,
        resolved_by=entry.resolved_by,
    )


@router.get("/quarantine", response_model=PageOut[QuarantinedOut])
def list_quarantined(
    status: Status = "open",
    reason: str = Query("", max_length=40),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List quarantined scans, newest first, by status (``open`` by default) and reason."""
    page = quarantine.search(db, scope, status=status, reason=reason, offset=offset, limit=limit)
    return PageOut[QuarantinedOut](
        items=[_out(entry) for entry in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        next_offset=page.offset + len(page.items) if page.has_next else None,
    )


@router.get("/quarantine/{quarantine_id}", response_model=QuarantinedOut)
def read_quarantined(
    quarantine_id: QuarantineId, scope: Scope = require(READ), db: Session = DB
) -> Any:
    """Return one quarantined scan."""
    return _out(quarantine.QuarantineRepository(db, scope).get(quarantine_id))


@router.post("/quarantine/{quarantine_id}/fix", response_model=QuarantinedOut)
def fix_quarantined(
    quarantine_id: QuarantineId,
    body: FixBody,
    scope: Scope = require(RESOLVE),
    db: Session = DB,
) -> Any:
    """Correct a scan's bundle, operation or operator and apply it; 422 names a field still bad."""
    entry = quarantine.fix(
        db,
        scope,
        quarantine_id,
        bundle_no=body.bundle_no,
        operation_id=body.operation_id,
        operator_code=body.operator_code,
        anyway=body.anyway,
    )
    return _out(entry)


@router.post("/quarantine/{quarantine_id}/discard", response_model=QuarantinedOut)
def discard_quarantined(
    quarantine_id: QuarantineId, scope: Scope = require(RESOLVE), db: Session = DB
) -> Any:
    """Set a quarantined scan aside for good: it never counts."""
    return _out(quarantine.discard(db, scope, quarantine_id))
