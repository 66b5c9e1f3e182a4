"""Posted orders: validated, owned by the poster, listed and cancelled by it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service.checks import (
    FieldProblem,
    list_problems,
    raise_problems,
    text_problems,
)
from loom.modules.matching.engine.categories import default_sam
from loom.modules.matching.models import MatchInvitation, MatchOrder
from loom.modules.shopfloor.engine.figures import local_today

#: a typo guard on pieces, minutes and DHU, far above any real order
MAX_QUANTITY = 10_000_000
MAX_SAM = 1_000.0
MAX_DHU = 100.0


def today() -> date:
    """Return today in Beijing time, the factories' day."""
    return local_today(utcnow())


@dataclass(frozen=True)
class OrderIn:
    """An order as the poster enters it; ``sam_minutes`` None takes the category default."""

    category: str
    quantity: int
    due_date: date
    max_dhu_pct: float
    sam_minutes: float | None = None
    style_name: str = ""
    description: str = ""
    quantities: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


class OrderRepository(TenantRepository[MatchOrder]):
    """The scope's enterprise's posted orders."""

    model = MatchOrder


def number(order_id: int) -> str:
    """Return the posted order's reference, also the production order's number at the factory."""
    return f"MO-{order_id}"


def _matrix_problems(data: OrderIn) -> list[FieldProblem]:
    found: list[FieldProblem] = list_problems("colours", list(data.quantities), 40)
    sizes: set[str] = set()
    total = 0
    for colour, row in data.quantities.items():
        found += list_problems(f"quantities.{colour}", list(row), 20)
        for size, qty in row.items():
            sizes.add(size)
            if not 0 <= qty <= MAX_QUANTITY:
                found.append(
                    FieldProblem(
                        f"quantities.{colour}.{size}",
                        "a whole number from 0 to %(max)s",
                        {"max": MAX_QUANTITY},
                    )
                )
            total += qty
    if not found and data.quantities and total != data.quantity:
        found.append(
            FieldProblem(
                "quantities",
                "the colours and sizes add up to %(total)s, not the quantity %(quantity)s",
                {"total": total, "quantity": data.quantity},
            )
        )
    return found


def order_problems(data: OrderIn, on: date) -> list[FieldProblem]:
    """Return every bad field of a posted order, judged on day ``on``."""
    found = [
        *text_problems("category", data.category, 40, required=True),
        *text_problems("style_name", data.style_name, 200, required=False),
        *text_problems("description", data.description, 1000, required=False),
    ]
    if not 1 <= data.quantity <= MAX_QUANTITY:
        found.append(
            FieldProblem("quantity", "a whole number from 1 to %(max)s", {"max": MAX_QUANTITY})
        )
    if data.due_date <= on:
        found.append(FieldProblem("due_date", "must be after today"))
    if not 0 <= data.max_dhu_pct <= MAX_DHU:
        found.append(FieldProblem("max_dhu_pct", "a percentage from 0 to 100"))
    if data.sam_minutes is not None and not 0 < data.sam_minutes <= MAX_SAM:
        found.append(
            FieldProblem("sam_minutes", "more than 0 and at most %(max)s minutes", {"max": MAX_SAM})
        )
    if data.sam_minutes is None and data.category.strip() and default_sam(data.category) is None:
        found.append(
            FieldProblem(
                "sam_minutes",
                "required: %(category)s has no default SAM",
                {"category": data.category.strip()},
            )
        )
    return found + _matrix_problems(data)


def snapshot(order: MatchOrder) -> dict[str, Any]:
    """Return a posted order's fields as the audit trail records them."""
    return {
        "category": order.category,
        "quantity": order.quantity,
        "due_date": order.due_date.isoformat(),
        "max_dhu_pct": order.max_dhu_pct,
        "sam_minutes": order.sam_minutes,
        "sam_defaulted": order.sam_defaulted,
        "style_name": order.style_name,
        "description": order.description,
        "quantities": {c: dict(row) for c, row in order.quantities.items()},
        "status": order.status,
    }


def post(session: Session, scope: Scope, data: OrderIn, *, on: date | None = None) -> MatchOrder:
    """Post an order of the scope's enterprise (not yet ranked)."""
    if scope.org_kind != OrgKind.ENTERPRISE:
        raise ValidationFailed("Only an enterprise posts orders", field="org")
    raise_problems(order_problems(data, on or today()))
    sam = data.sam_minutes if data.sam_minutes is not None else default_sam(data.category)
    assert sam is not None  # order_problems refused a category without a default
    order = MatchOrder(
        org_id=scope.org_id,
        category=data.category.strip(),
        quantity=data.quantity,
        due_date=data.due_date,
        max_dhu_pct=float(data.max_dhu_pct),
        sam_minutes=float(sam),
        sam_defaulted=data.sam_minutes is None,
        style_name=data.style_name.strip(),
        description=data.description.strip(),
        quantities={
            c.strip(): {s.strip(): int(q) for s, q in row.items() if q > 0}
            for c, row in data.quantities.items()
            if any(q > 0 for q in row.values())
        },
        posted_by=scope.actor.label,
    )
    session.add(order)
    session.flush()
    record_scoped(
        session, scope, "matching.order.posted", "match_order", order.id, after=snapshot(order)
    )
    return order


def get(session: Session, scope: Scope, order_id: int) -> MatchOrder:
    """Return one of the scope's posted orders; another's answers 404."""
    return OrderRepository(session, scope).get(order_id)


def search(
    session: Session, scope: Scope, *, status: str = "", offset: int = 0, limit: int = 25
) -> Page[MatchOrder]:
    """Return one page of the scope's posted orders, newest first."""
    repo = OrderRepository(session, scope)
    stmt = repo.select().order_by(MatchOrder.created_at.desc(), MatchOrder.id.desc())
    if status:
        stmt = stmt.where(MatchOrder.status == status)
    return repo.page(stmt, offset=offset, limit=limit)


def close_pending(session: Session, order: MatchOrder, reason: str) -> list[int]:
    """Close the order's pending invitations; return their ids."""
    stmt = select(MatchInvitation.id).where(
        MatchInvitation.org_id == order.org_id,
        MatchInvitation.order_id == order.id,
        MatchInvitation.status == "pending",
    )
    ids = list(session.scalars(stmt))
    if ids:
        session.execute(
            update(MatchInvitation)
            .where(MatchInvitation.id.in_(ids), MatchInvitation.org_id == order.org_id)
            .values(status="closed", reason=reason, responded_at=utcnow())
        )
    return ids


def cancel(session: Session, scope: Scope, order_id: int) -> MatchOrder:
    """Cancel an open order and close its pending invitations."""
    order = get(session, scope, order_id)
    if order.status != "open":
        raise Conflict(
            "status: order %(number)s is %(status)s and cannot be cancelled",
            field="status",
            params={"number": number(order.id), "status": order.status},
        )
    order.status = "cancelled"
    closed = close_pending(session, order, "order cancelled")
    session.flush()
    record_scoped(
        session,
        scope,
        "matching.order.cancelled",
        "match_order",
        order.id,
        before={"status": "open"},
        after={"status": "cancelled", "closed_invitations": closed},
    )
    return order
