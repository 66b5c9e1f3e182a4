"""Audit trail: JSON API and the page per organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import require
from loom.kernel.db.repository import MAX_PAGE_SIZE, Page
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.kernel.web.templating import render

router = APIRouter(tags=["audit"])
pages = APIRouter(include_in_schema=False)


class AuditOut(BaseModel):
    """One audit event as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    seq: int
    at: datetime
    actor_kind: str
    actor_label: str
    action: str
    target_type: str
    target_id: str
    before: Any
    after: Any
    request_id: str
    hash: str


def audit_page(db: Session, scope: Scope, q: str, offset: int, limit: int) -> Page[AuditEvent]:
    """Return the organisation's events, newest first, optionally filtered by action/actor."""
    stmt = select(AuditEvent).where(AuditEvent.org_id == scope.org_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(
            AuditEvent.action.ilike(like)
            | AuditEvent.actor_label.ilike(like)
            | AuditEvent.target_type.ilike(like)
        )
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    items = db.scalars(stmt.order_by(AuditEvent.seq.desc()).offset(offset).limit(limit)).all()
    return Page(items=items, total=total, offset=offset, limit=limit)


@router.get("/audit", response_model=PageOut[AuditOut])
def list_audit(
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require("kernel.audit.read"),
    db: Session = Depends(get_db, scope="function"),
) -> PageOut[AuditOut]:
    """List the organisation's audit events, newest first."""
    return PageOut.of(audit_page(db, scope, q, offset, limit), AuditOut)


@pages.get("/audit")
def audit_view(
    request: Request,
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    scope: Scope = require("kernel.audit.read"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Show the audit trail with search and pages."""
    page = audit_page(db, scope, q, offset, 50)
    return render(request, "audit.html", {"page": page, "q": q})
