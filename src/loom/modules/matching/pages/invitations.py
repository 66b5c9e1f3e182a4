"""Pages of an invited factory: its invitations, accepting and declining them."""

from __future__ import annotations

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.matching.models import MatchInvitation
from loom.modules.matching.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    RowId,
    error_text,
    factor_value,
    labels,
    translator,
)
from loom.modules.matching.permissions import INVITATION_READ, INVITATION_RESPOND
from loom.modules.matching.service import invitations as inv
from loom.modules.matching.service.orders import number

router = APIRouter()
STATUS = Query("", pattern="^(|pending|accepted|declined|closed)$")


@router.get("/invitations")
def invitations_page(
    request: Request,
    status: str = STATUS,
    offset: int = Query(0, ge=0),
    scope: Scope = require(INVITATION_READ),
    db: Session = DB,
) -> Response:
    """List the invitations the enterprise received, newest first."""
    page = inv.received(db, scope, status=status, offset=offset, limit=PAGE_SIZE)
    return render(
        request,
        "matching/invitations_list.html",
        {"page": page, "status": status, "number": number, "names": labels(request)},
    )


def _page(
    request: Request,
    scope: Scope,
    invitation: MatchInvitation,
    error: str = "",
    status: int = 200,
) -> Response:
    names = labels(request)
    return render(
        request,
        "matching/invitation_detail.html",
        {
            "invitation": invitation,
            "number": number(invitation.order_id),
            "names": names,
            "value_of": lambda f: factor_value(f, names),
            "can_respond": scope.can(INVITATION_RESPOND) and invitation.status == "pending",
            "error": error,
        },
        status=status,
    )


@router.get("/invitations/{invitation_id}")
def invitation_page(
    request: Request,
    invitation_id: RowId,
    scope: Scope = require(INVITATION_READ),
    db: Session = DB,
) -> Response:
    """Show one invitation: the offer, why the factory was ranked, and the answer."""
    return _page(request, scope, inv.get_received(db, scope, invitation_id))


def _refused(
    request: Request, db: Session, scope: Scope, invitation_id: int, exc: DomainError
) -> Response:
    if exc.status_code == 404:
        raise exc
    db.rollback()
    invitation = inv.get_received(db, scope, invitation_id)
    return _page(request, scope, invitation, error_text(exc, translator(request)), exc.status_code)


@router.post("/invitations/{invitation_id}/accept")
def accept(
    request: Request,
    invitation_id: RowId,
    scope: Scope = require(INVITATION_RESPOND),
    db: Session = DB,
) -> Response:
    """Accept: the order becomes a production order of the enterprise."""
    try:
        inv.accept(db, scope, invitation_id)
    except DomainError as exc:
        return _refused(request, db, scope, invitation_id, exc)
    return RedirectResponse(f"{BASE}/invitations/{invitation_id}", status_code=303)


@router.post("/invitations/{invitation_id}/decline")
def decline(
    request: Request,
    invitation_id: RowId,
    reason: str = Form(""),
    scope: Scope = require(INVITATION_RESPOND),
    db: Session = DB,
) -> Response:
    """Decline with a reason."""
    try:
        inv.decline(db, scope, invitation_id, reason)
    except DomainError as exc:
        return _refused(request, db, scope, invitation_id, exc)
    return RedirectResponse(f"{BASE}/invitations/{invitation_id}", status_code=303)
