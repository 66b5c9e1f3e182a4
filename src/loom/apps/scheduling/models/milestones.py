"""Tables of time-and-action (T&A, 跟单节点) milestones: an enterprise's template and each
order's recorded dates.

Only what people decide is stored: the template's offsets, a target a user moved away from
the template, an actual date and a note. Template targets, forecasts from the adopted plan and
alerts are computed when read, so a changed due date or a newly adopted plan shows at once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow

#: the stages of an order's time and action, in the order they happen
STAGES = ("fabric", "cutting", "sewing_start", "sewing_finish", "finishing", "shipping")
#: where an actual date came from: typed by a user, or derived from shop-floor data
ACTUAL_SOURCES = ("", "user", "shopfloor")


class MilestoneOffset(TenantOwned, Base):
    """One stage of an enterprise's T&A template: days from the order's due date (−21 …)."""

    __tablename__ = "scheduling_ta_offset"
    __table_args__ = (
        UniqueConstraint("org_id", "stage"),
        CheckConstraint("offset_days BETWEEN -365 AND 60", name="offset_days_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stage: Mapped[str] = mapped_column(String(20))
    offset_days: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Milestone(TenantOwned, Base):
    """What users (or the shop floor) recorded for one stage of one production order."""

    __tablename__ = "scheduling_milestone"
    __table_args__ = (
        # the order's milestones go with it: the order's deletion is audited by the shop floor
        ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "order_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(index=True)
    stage: Mapped[str] = mapped_column(String(20))
    # NULL: the template's date (due date + offset), which follows the due date when it moves
    target_date: Mapped[date | None] = mapped_column(default=None)
    actual_date: Mapped[date | None] = mapped_column(default=None)
    actual_source: Mapped[str] = mapped_column(String(10), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


__all__ = ["ACTUAL_SOURCES", "STAGES", "Milestone", "MilestoneOffset"]
