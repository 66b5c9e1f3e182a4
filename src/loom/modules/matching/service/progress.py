"""Progress flowing back to the poster, at the granularity the factory shares ``orders``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.plugins.spec import AppSpec
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.service.collect import collect
from loom.modules.matching.models import MatchInvitation, MatchOrder
from loom.modules.matching.service.orders import number, today
from loom.modules.shopfloor.engine.figures import local_today


@dataclass(frozen=True)
class Progress:
    """What the poster may see of a placed order: the answer, and pieces when shared."""

    invitation: MatchInvitation
    granularity: str  # "daily", "weekly", or "none" when the factory shares no orders
    points: list[tuple[date, int, int]]  # (day or week, pieces, cumulative pieces)
    finished: int | None
    total: int

    @property
    def percent(self) -> float | None:
        """Return finished pieces as a percentage of the order, when shared."""
        if self.finished is None or not self.total:
            return None
        return round(100 * self.finished / self.total, 1)


def accepted_of(session: Session, scope: Scope, order: MatchOrder) -> MatchInvitation | None:
    """Return the accepted invitation of one of the poster's orders, if any."""
    return session.scalars(
        select(MatchInvitation).where(
            MatchInvitation.org_id == scope.org_id,
            MatchInvitation.order_id == order.id,
            MatchInvitation.status == "accepted",
        )
    ).first()


def progress(
    session: Session,
    scope: Scope,
    apps: dict[str, AppSpec],
    order: MatchOrder,
    *,
    on: date | None = None,
) -> Progress | None:
    """Return the placed order's progress as the factory shares it (the read is logged)."""
    invitation = accepted_of(session, scope, order)
    if invitation is None or invitation.production_order_id is None:
        return None
    start = local_today(invitation.responded_at) if invitation.responded_at else order.due_date
    end = max(on or today(), start)
    found = collect(
        session,
        scope,
        apps,
        "shopfloor.order_progress",
        start,
        end,
        purpose=f"order match-making: progress of posted order {number(order.id)}",
        org_ids=[invitation.factory_org_id],
    )
    if not found:
        return Progress(invitation, "none", [], None, invitation.quantity)
    wanted = str(invitation.production_order_id)
    points: list[tuple[date, int, int]] = []
    done = 0
    for sample in found[0].samples:
        if dict(sample.dims).get("order") == wanted:
            done += int(sample.numerator)
            points.append((sample.day, int(sample.numerator), done))
    return Progress(invitation, found[0].granularity, points, done, invitation.quantity)
