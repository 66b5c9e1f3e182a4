"""Invitations: the poster invites ranked factories; each factory accepts or declines its own.

An accepted invitation becomes a production order in the factory's own organisation, made by
the master-data and shop-floor services under the factory's scope. Placing the posted order
and closing the other pending invitations happen under the poster's scope, in the same
transaction, and are audited in both organisations' chains.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record, record_scoped
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository, acting_as
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Style
from loom.modules.masterdata.service import styles
from loom.modules.matching.models import MatchInvitation, MatchOrder
from loom.modules.matching.service.orders import close_pending, get, number
from loom.modules.shopfloor.models import ProductionOrder
from loom.modules.shopfloor.service import orders as production

#: the colour and size of an order posted without a colour × size breakdown
UNSPLIT = "-"


class InvitationRepository(TenantRepository[MatchInvitation]):
    """Invitations the scope's enterprise sent or received."""

    model = MatchInvitation


def _org_name(session: Session, org_id: int) -> str:
    org = session.get(Organisation, org_id)
    return org.name if org is not None else ""


def _event(invitation: MatchInvitation) -> dict[str, Any]:
    return {
        "order": number(invitation.order_id),
        "factory_org_id": invitation.factory_org_id,
        "status": invitation.status,
        "reason": invitation.reason,
        "production_order_id": invitation.production_order_id,
    }


def invite(
    session: Session, scope: Scope, order_id: int, factory_ids: Iterable[int], message: str = ""
) -> list[MatchInvitation]:
    """Invite ranked factories to take an open order; each is told in its own audit chain."""
    order = get(session, scope, order_id)
    if order.status != "open":
        raise Conflict(
            "status: order %(number)s is %(status)s; nobody more can be invited",
            field="status",
            params={"number": number(order.id), "status": order.status},
        )
    wanted = list(dict.fromkeys(factory_ids))
    if not wanted:
        raise ValidationFailed(
            "factory_org_ids: choose at least one factory", field="factory_org_ids"
        )
    if len(message.strip()) > 1000:
        raise ValidationFailed("message: at most 1000 characters", field="message")
    rows = {int(row["org_id"]): row for row in order.ranking}
    for org_id in wanted:
        if org_id not in rows:
            raise ValidationFailed(
                "factory_org_ids: %(id)s is not in the order's ranking",
                field="factory_org_ids",
                params={"id": org_id},
            )
    taken = set(
        session.scalars(
            select(MatchInvitation.factory_org_id).where(
                MatchInvitation.org_id == scope.org_id, MatchInvitation.order_id == order.id
            )
        )
    )
    for org_id in wanted:
        if org_id in taken:
            raise Conflict(
                "factory_org_ids: %(name)s is invited already",
                field="factory_org_ids",
                params={"name": rows[org_id]["name"]},
            )
    poster = _org_name(session, scope.org_id)
    made = []
    for org_id in wanted:
        row = rows[org_id]
        invitation = MatchInvitation(
            org_id=scope.org_id,
            order_id=order.id,
            factory_org_id=org_id,
            factory_name=_org_name(session, org_id) or str(row["name"]),
            poster_name=poster,
            category=order.category,
            quantity=order.quantity,
            due_date=order.due_date,
            max_dhu_pct=order.max_dhu_pct,
            sam_minutes=order.sam_minutes,
            style_name=order.style_name,
            description=order.description,
            quantities={c: dict(r) for c, r in order.quantities.items()},
            message=message.strip(),
            score=float(row["score"]),
            explanation=dict(row),
            invited_by=scope.actor.label,
        )
        session.add(invitation)
        session.flush()
        after = _event(invitation)
        record_scoped(
            session,
            scope,
            "matching.invitation.sent",
            "match_invitation",
            invitation.id,
            after=after,
        )
        record(
            session,
            org_id=org_id,
            actor=scope.actor,
            action="matching.invitation.received",
            target_type="match_invitation",
            target_id=invitation.id,
            after={**after, "poster": poster},
            request_id=scope.request_id,
        )
        made.append(invitation)
    return made


def received(
    session: Session, scope: Scope, *, status: str = "", offset: int = 0, limit: int = 25
) -> Page[MatchInvitation]:
    """Return one page of the invitations the scope's enterprise received, newest first."""
    repo = InvitationRepository(session, scope)
    stmt = (
        repo.select()
        .where(MatchInvitation.factory_org_id == scope.org_id)
        .order_by(MatchInvitation.invited_at.desc(), MatchInvitation.id.desc())
    )
    if status:
        stmt = stmt.where(MatchInvitation.status == status)
    return repo.page(stmt, offset=offset, limit=limit)


def get_received(session: Session, scope: Scope, invitation_id: int) -> MatchInvitation:
    """Return an invitation the scope's enterprise received; any other answers 404."""
    invitation = InvitationRepository(session, scope).get(invitation_id)
    if invitation.factory_org_id != scope.org_id:
        raise NotFound(
            "%(kind)s %(id)s not found", params={"kind": "MatchInvitation", "id": invitation_id}
        )
    return invitation


def _pending(invitation: MatchInvitation) -> None:
    if invitation.status != "pending":
        raise Conflict(
            "status: the invitation is %(status)s already",
            field="status",
            params={"status": invitation.status},
        )


def _matrix(invitation: MatchInvitation) -> dict[str, dict[str, int]]:
    if invitation.quantities:
        return {c: dict(row) for c, row in invitation.quantities.items()}
    return {UNSPLIT: {UNSPLIT: invitation.quantity}}


def _style_for(session: Session, scope: Scope, invitation: MatchInvitation) -> Style:
    """Return the factory's style for the order, made from the posted description if needed."""
    code = number(invitation.order_id)
    repo = styles.StyleRepository(session, scope)
    found = session.scalars(repo.select().where(Style.code == code)).first()
    if found is not None:
        return found
    matrix = _matrix(invitation)
    sizes = list(dict.fromkeys(size for row in matrix.values() for size in row))
    name = invitation.style_name or f"{invitation.category} · {invitation.poster_name}"
    return styles.create(
        session,
        scope,
        styles.StyleIn(
            code=code,
            name=name[:200],
            customer=invitation.poster_name,
            colours=list(matrix),
            sizes=sizes,
        ),
    )


def _production_order(
    session: Session, scope: Scope, invitation: MatchInvitation
) -> ProductionOrder:
    style = _style_for(session, scope, invitation)
    note = invitation.description or invitation.message
    return production.create(
        session,
        scope,
        production.OrderIn(
            number=number(invitation.order_id),
            style_id=style.id,
            due_date=invitation.due_date,
            quantities=_matrix(invitation),
            customer=invitation.poster_name,
            note=note[:500],
        ),
    )


def _poster_side(session: Session, scope: Scope, invitation: MatchInvitation, action: str) -> None:
    """Record the answer in the poster's chain and, on acceptance, place its order."""
    poster = system_scope(invitation.org_id, OrgKind.ENTERPRISE, "matching")
    with acting_as(session, poster):
        order = session.scalars(
            select(MatchOrder).where(
                MatchOrder.id == invitation.order_id, MatchOrder.org_id == invitation.org_id
            )
        ).one()
        after = _event(invitation)
        if action == "accepted":
            if order.status != "open":
                raise Conflict(
                    "status: order %(number)s is %(status)s and can no longer be taken",
                    field="status",
                    params={"number": number(order.id), "status": order.status},
                )
            order.status = "placed"
            order.placed_org_id = scope.org_id
            after["closed_invitations"] = close_pending(
                session, order, "placed with another factory"
            )
            session.flush()
        record(
            session,
            org_id=invitation.org_id,
            actor=scope.actor,
            action=f"matching.invitation.{action}",
            target_type="match_invitation",
            target_id=invitation.id,
            before={"status": "pending"},
            after=after,
            request_id=scope.request_id,
        )


def accept(session: Session, scope: Scope, invitation_id: int) -> MatchInvitation:
    """Accept an invitation: the order becomes a production order of the factory."""
    invitation = get_received(session, scope, invitation_id)
    _pending(invitation)
    made = _production_order(session, scope, invitation)
    invitation.status = "accepted"
    invitation.production_order_id = made.id
    invitation.responded_by = scope.actor.label
    invitation.responded_at = utcnow()
    session.flush()
    record_scoped(
        session,
        scope,
        "matching.invitation.accepted",
        "match_invitation",
        invitation.id,
        before={"status": "pending"},
        after=_event(invitation),
    )
    _poster_side(session, scope, invitation, "accepted")
    return invitation


def decline(session: Session, scope: Scope, invitation_id: int, reason: str) -> MatchInvitation:
    """Decline an invitation with a reason."""
    invitation = get_received(session, scope, invitation_id)
    text = reason.strip()
    if not text:
        raise ValidationFailed("reason: say why the invitation is declined", field="reason")
    if len(text) > 1000:
        raise ValidationFailed("reason: at most 1000 characters", field="reason")
    _pending(invitation)
    invitation.status = "declined"
    invitation.reason = text
    invitation.responded_by = scope.actor.label
    invitation.responded_at = utcnow()
    session.flush()
    record_scoped(
        session,
        scope,
        "matching.invitation.declined",
        "match_invitation",
        invitation.id,
        before={"status": "pending"},
        after=_event(invitation),
    )
    _poster_side(session, scope, invitation, "declined")
    return invitation


def sent(session: Session, scope: Scope, order: MatchOrder) -> list[MatchInvitation]:
    """Return the invitations the poster sent for one of its orders."""
    return list(
        session.scalars(
            select(MatchInvitation)
            .where(MatchInvitation.org_id == scope.org_id, MatchInvitation.order_id == order.id)
            .order_by(MatchInvitation.invited_at, MatchInvitation.id)
        )
    )
