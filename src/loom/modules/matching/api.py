"""JSON API of order match-making (mounted at /api/v1/matching)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.matching.models import MatchOrder
from loom.modules.matching.permissions import (
    INVITATION_READ,
    INVITATION_RESPOND,
    ORDER_POST,
    ORDER_READ,
)
from loom.modules.matching.schemas import (
    DeclineBody,
    InvitationOut,
    InviteBody,
    OrderBody,
    OrderOut,
)
from loom.modules.matching.service import invitations as inv
from loom.modules.matching.service import orders as svc
from loom.modules.matching.service.progress import progress
from loom.modules.matching.service.ranking import rank_order

router = APIRouter(tags=["matching"])
DB = Depends(get_db, scope="function")
ORDER_STATUS = Query("", pattern="^(|open|placed|cancelled)$")
INVITATION_STATUS = Query("", pattern="^(|pending|accepted|declined|closed)$")


def _order_out(order: MatchOrder) -> OrderOut:
    out = OrderOut.model_validate(order)
    out.number = svc.number(order.id)
    return out


def _detail(request: Request, db: Session, scope: Scope, order: MatchOrder) -> dict[str, Any]:
    shown = progress(db, scope, runtime_of(request).apps, order)
    return {
        "order": _order_out(order).model_dump(mode="json"),
        "ranking": order.ranking,
        "invitations": [
            InvitationOut.model_validate(i).model_dump(mode="json")
            for i in inv.sent(db, scope, order)
        ],
        "progress": None
        if shown is None
        else {
            "factory_org_id": shown.invitation.factory_org_id,
            "status": shown.invitation.status,
            "granularity": shown.granularity,
            "finished": shown.finished,
            "total": shown.total,
            "percent": shown.percent,
            "points": [
                {"day": day.isoformat(), "pieces": pieces, "cumulative": cumulative}
                for day, pieces, cumulative in shown.points
            ],
        },
    }


@router.get("/orders", response_model=PageOut[OrderOut])
def list_orders(
    status: str = ORDER_STATUS,
    offset: int = Query(0, ge=0),
    limit: int = Query(25, ge=1, le=200),
    scope: Scope = require(ORDER_READ),
    db: Session = DB,
) -> Any:
    """List the orders the enterprise posted, newest first."""
    page = svc.search(db, scope, status=status, offset=offset, limit=limit)
    out = PageOut[OrderOut].of(page, OrderOut)
    for item in out.items:
        item.number = svc.number(item.id)
    return out


@router.post("/orders", status_code=201)
def post_order(
    request: Request, body: OrderBody, scope: Scope = require(ORDER_POST), db: Session = DB
) -> Any:
    """Post an order and rank the factories for it."""
    order = svc.post(db, scope, body.to_input())
    rank_order(db, scope, runtime_of(request).apps, order.id)
    return _detail(request, db, scope, order)


@router.get("/orders/{order_id}")
def read_order(
    request: Request, order_id: int, scope: Scope = require(ORDER_READ), db: Session = DB
) -> Any:
    """Return a posted order with its ranking, invitations and progress."""
    return _detail(request, db, scope, svc.get(db, scope, order_id))


@router.post("/orders/{order_id}/rank")
def rerank(
    request: Request, order_id: int, scope: Scope = require(ORDER_POST), db: Session = DB
) -> Any:
    """Rank the factories again from what they share today."""
    rank_order(db, scope, runtime_of(request).apps, order_id)
    return _detail(request, db, scope, svc.get(db, scope, order_id))


@router.post("/orders/{order_id}/invitations", status_code=201)
def invite(
    order_id: int, body: InviteBody, scope: Scope = require(ORDER_POST), db: Session = DB
) -> Any:
    """Invite factories of the ranking to take the order."""
    made = inv.invite(db, scope, order_id, body.factory_org_ids, body.message)
    return {"items": [InvitationOut.model_validate(i).model_dump(mode="json") for i in made]}


@router.post("/orders/{order_id}/cancel", response_model=OrderOut)
def cancel(order_id: int, scope: Scope = require(ORDER_POST), db: Session = DB) -> Any:
    """Cancel an open order; its pending invitations close."""
    return _order_out(svc.cancel(db, scope, order_id))


@router.get("/invitations", response_model=PageOut[InvitationOut])
def list_invitations(
    status: str = INVITATION_STATUS,
    offset: int = Query(0, ge=0),
    limit: int = Query(25, ge=1, le=200),
    scope: Scope = require(INVITATION_READ),
    db: Session = DB,
) -> Any:
    """List the invitations the enterprise received, newest first."""
    page = inv.received(db, scope, status=status, offset=offset, limit=limit)
    return PageOut[InvitationOut].of(page, InvitationOut)


@router.get("/invitations/{invitation_id}", response_model=InvitationOut)
def read_invitation(
    invitation_id: int, scope: Scope = require(INVITATION_READ), db: Session = DB
) -> Any:
    """Return one invitation the enterprise received."""
    return inv.get_received(db, scope, invitation_id)


@router.post("/invitations/{invitation_id}/accept", response_model=InvitationOut)
def accept(invitation_id: int, scope: Scope = require(INVITATION_RESPOND), db: Session = DB) -> Any:
    """Accept: the order becomes a production order of the enterprise."""
    return inv.accept(db, scope, invitation_id)


@router.post("/invitations/{invitation_id}/decline", response_model=InvitationOut)
def decline(
    invitation_id: int,
    body: DeclineBody,
    scope: Scope = require(INVITATION_RESPOND),
    db: Session = DB,
) -> Any:
    """Decline with a reason."""
    return inv.decline(db, scope, invitation_id, body.reason)
