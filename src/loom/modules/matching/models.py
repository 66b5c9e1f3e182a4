"""Tables of order match-making: orders a chain leader posts, and its invitations to factories."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow

ORDER_STATUSES = ("open", "placed", "cancelled")
INVITATION_STATUSES = ("pending", "accepted", "declined", "closed")


class MatchOrder(TenantOwned, Base):
    """An order a brand or chain leader (``org_id``) posts for factories to take."""

    __tablename__ = "matching_order"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("sam_minutes > 0", name="sam_positive"),
        CheckConstraint("status IN ('open', 'placed', 'cancelled')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column()
    due_date: Mapped[date] = mapped_column()
    max_dhu_pct: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False))
    sam_minutes: Mapped[float] = mapped_column(Numeric(7, 2, asdecimal=False))
    # true when the SAM is the category's documented default, not the poster's figure
    sam_defaulted: Mapped[bool] = mapped_column(default=False)
    style_name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(1000), default="")
    # {colour: {size: pieces}}; empty when the poster gave only the quantity
    quantities: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="open")
    # the last ranking as the poster saw it: one dict per factory (engine.ranking.as_dict)
    ranking: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    ranked_at: Mapped[datetime | None] = mapped_column(default=None)
    placed_org_id: Mapped[int | None] = mapped_column(default=None)
    posted_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class MatchInvitation(TenantOwned, Base):
    """One factory invited to take a posted order; the poster owns it, the factory takes part.

    The offer is copied onto the invitation when it is sent, so the factory reads what it is
    asked to take without any access to the poster's order or to other factories' invitations.
    """

    __tablename__ = "matching_invitation"
    __participant_columns__ = ("factory_org_id",)
    __table_args__ = (
        ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["matching_order.id", "matching_order.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("order_id", "factory_org_id"),
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'closed')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(index=True)
    factory_org_id: Mapped[int] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="CASCADE"), index=True
    )
    factory_name: Mapped[str] = mapped_column(String(200))
    poster_name: Mapped[str] = mapped_column(String(200))
    # the offer as sent
    category: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column()
    due_date: Mapped[date] = mapped_column()
    max_dhu_pct: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False))
    sam_minutes: Mapped[float] = mapped_column(Numeric(7, 2, asdecimal=False))
    style_name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(1000), default="")
    quantities: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(String(1000), default="")
    # the factory's own row of the ranking when it was invited
    score: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False), default=0)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str] = mapped_column(String(1000), default="")
    invited_by: Mapped[str] = mapped_column(String(200), default="")
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_by: Mapped[str] = mapped_column(String(200), default="")
    responded_at: Mapped[datetime | None] = mapped_column(default=None)
    # the production order made in the factory's own organisation on acceptance
    production_order_id: Mapped[int | None] = mapped_column(default=None)
