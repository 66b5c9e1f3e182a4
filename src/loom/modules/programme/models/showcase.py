"""Showcase cases (典型案例): accepted projects the bureau writes up for promotion."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow
from loom.modules.programme.models.projects import _ProjectParties


class Showcase(_ProjectParties, TenantOwned, Base):
    """The bureau's (``org_id``) write-up of one accepted project, and its showcase flag.

    The project's parties are copied on like every project row, so the enterprise (and the
    contractor and assessor) read their own case through the ordinary scope machinery.
    """

    __tablename__ = "programme_showcase"
    __table_args__ = (
        ForeignKeyConstraint(
            ["project_id", "org_id"],
            ["programme_project.id", "programme_project.org_id"],
            ondelete="CASCADE",
        ),
        # one case per project
        UniqueConstraint("org_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(index=True)
    featured: Mapped[bool] = mapped_column(default=False, index=True)
    featured_on: Mapped[date | None] = mapped_column(default=None)
    title: Mapped[str] = mapped_column(String(200), default="")
    problem: Mapped[str] = mapped_column(String(2000), default="")
    solution: Mapped[str] = mapped_column(String(2000), default="")
    results: Mapped[str] = mapped_column(String(2000), default="")
    # before/after figures the bureau adds: [{"label", "before", "after", "unit"}], exact text
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
