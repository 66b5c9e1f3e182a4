"""The quarantine page: scans that could not be applied, with forms to fix or discard each."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.db.repository import MAX_ID
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.models import Operation
from loom.modules.shopfloor.engine.figures import local_time
from loom.modules.shopfloor.pages.figures_common import BASE, DB, PAGE_SIZE, msgid, translator
from loom.modules.shopfloor.service import quarantine
from loom.modules.shopfloor.service.figures import Operations

router = APIRouter()
READ = "shopfloor.quarantine.read"
RESOLVE = "shopfloor.quarantine.resolve"
HOME = f"{BASE}/quarantine"
STATUSES = ("open", "fixed", "discarded")
WHOLE_NUMBER = msgid("%(field)s: a whole number from 1 is required")


def _number(raw: str, field: str) -> int | None:
    """Return a form's whole number, None when left empty, or name the field."""
    text = raw.strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise ValidationFailed(WHOLE_NUMBER, field=field, params={"field": field})
    return int(text)


def _operations(db: Session, scope: Scope) -> list[Operation]:
    """Return the operation library for the fix form's choice."""
    stmt = Operations(db, scope).select().order_by(Operation.code, Operation.id)
    return list(db.scalars(stmt))


def list_page(
    request: Request,
    db: Session,
    scope: Scope,
    filters: dict[str, Any],
    errors: dict[int, dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    """Render one page of the quarantine, with a row's refused fix when there is one."""
    page = quarantine.search(
        db,
        scope,
        status=filters["status"],
        reason=filters["reason"],
        offset=filters["offset"],
        limit=PAGE_SIZE,
    )
    context = {
        "page": page,
        "status": filters["status"],
        "reason": filters["reason"],
        "done": filters.get("done", ""),
        "statuses": STATUSES,
        "reasons": quarantine.REASONS,
        "payloads": {e.id: json.dumps(e.payload, ensure_ascii=False, indent=1) for e in page.items},
        "operations": _operations(db, scope) if scope.can(RESOLVE) else [],
        "can_resolve": scope.can(RESOLVE),
        "local_time": local_time,
        "errors": errors or {},
    }
    return render(request, "shopfloor/quarantine_list.html", context, status=status_code)


@router.get("/quarantine")
def quarantine_list(
    request: Request,
    status: str = Query("open", max_length=12),
    reason: str = Query("", max_length=40),
    offset: int = Query(0, ge=0),
    done: str = Query("", max_length=12),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List quarantined scans by status and reason, newest first."""
    status = status if status in STATUSES else "open"
    reason = reason if reason in quarantine.REASONS else ""
    filters = {"status": status, "reason": reason, "offset": offset, "done": done}
    return list_page(request, db, scope, filters)


def _back(reason: str, done: str) -> Response:
    """Redirect to the open entries after a fix or discard, keeping the reason filter."""
    query = f"?status=open&done={done}" + (f"&reason={reason}" if reason else "")
    return RedirectResponse(HOME + query, status_code=303)


def _refused(
    request: Request, db: Session, scope: Scope, entry_id: int, reason: str, exc: DomainError
) -> Response:
    """Show the list again with the refusal next to the entry, nothing changed."""
    # the failed fix may have changed the stored event before it was judged: undo it
    db.rollback()
    message = translator(request)(exc.template, **exc.params)
    errors = {entry_id: {exc.field or "form": message}}
    filters = {"status": "open", "reason": reason, "offset": 0}
    return list_page(request, db, scope, filters, errors, exc.status_code)


@router.post("/quarantine/{entry_id:int}/fix")
def quarantine_fix(
    request: Request,
    entry_id: int,
    bundle_no: str = Form("", max_length=20),
    operation_id: str = Form("", max_length=20),
    operator_code: str = Form("", max_length=40),
    reason: str = Form("", max_length=40),
    anyway: str = Form("", max_length=1),
    scope: Scope = require(RESOLVE),
    db: Session = DB,
) -> Response:
    """Apply the corrected scan (``anyway``: despite the line plan); a bad reference is named."""
    reason = reason if reason in quarantine.REASONS else ""
    try:
        quarantine.fix(
            db,
            scope,
            entry_id,
            bundle_no=_number(bundle_no, "bundle_no"),
            operation_id=_number(operation_id, "operation_id"),
            operator_code=operator_code.strip() or None,
            anyway=anyway == "1",
        )
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return _refused(request, db, scope, entry_id, reason, exc)
    return _back(reason, "fixed")


@router.post("/quarantine/{entry_id:int}/discard")
def quarantine_discard(
    request: Request,
    entry_id: int,
    reason: str = Form("", max_length=40),
    scope: Scope = require(RESOLVE),
    db: Session = DB,
) -> Response:
    """Set the scan aside for good (the form asks for confirmation first)."""
    reason = reason if reason in quarantine.REASONS else ""
    try:
        quarantine.discard(db, scope, entry_id)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return _refused(request, db, scope, entry_id, reason, exc)
    return _back(reason, "discarded")
