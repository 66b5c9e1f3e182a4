"""Pilot and general-contractor selection: applications and the evaluators' score sheets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow


class PilotApplication(TenantOwned, Base):
    """An enterprise's application to become a pilot (owned by the bureau)."""

    __tablename__ = "programme_pilot_application"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        ForeignKeyConstraint(
            ["enterprise_id", "org_id"],
            ["programme_enterprise.id", "programme_enterprise.org_id"],
            ondelete="CASCADE",
        ),
    )
    __participant_columns__ = ("enterprise_org_id",)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(index=True)
    enterprise_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="SET NULL"), default=None, index=True
    )
    sector: Mapped[str] = mapped_column(String(30))
    statement: Mapped[str] = mapped_column(String(4000), default="")
    # submitted | selected | not_selected | withdrawn
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    batch: Mapped[str | None] = mapped_column(String(30), default=None)
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class PilotScore(TenantOwned, Base):
    """One expert's sheet on the plan's five principles, 0–100 each."""

    __tablename__ = "programme_pilot_score"
    __table_args__ = (
        UniqueConstraint("application_id", "expert"),
        ForeignKeyConstraint(
            ["application_id", "org_id"],
            ["programme_pilot_application.id", "programme_pilot_application.org_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(index=True)
    expert: Mapped[str] = mapped_column(String(100))
    scores: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    entered_by: Mapped[str] = mapped_column(String(200), default="")
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContractorApplication(TenantOwned, Base):
    """A contractor's (or consortium's) application to be a sector's general contractor."""

    __tablename__ = "programme_contractor_application"
    __table_args__ = (UniqueConstraint("id", "org_id"),)
    __participant_columns__ = ("contractor_org_id",)

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_org_id: Mapped[int] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="CASCADE"), index=True
    )
    sector: Mapped[str] = mapped_column(String(30))
    # a consortium (联合体): the lead is contractor_org_id, the members are listed here
    member_org_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    statement: Mapped[str] = mapped_column(String(4000), default="")
    status: Mapped[str] = mapped_column(String(20), default="submitted")  # | chosen | not_chosen
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)


class ContractorScore(TenantOwned, Base):
    """One evaluator's sheet (expert, association or pilot enterprise) on the four criteria."""

    __tablename__ = "programme_contractor_score"
    __table_args__ = (
        UniqueConstraint("application_id", "evaluator_group", "evaluator"),
        ForeignKeyConstraint(
            ["application_id", "org_id"],
            ["programme_contractor_application.id", "programme_contractor_application.org_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(index=True)
    evaluator_group: Mapped[str] = mapped_column(String(30))
    evaluator: Mapped[str] = mapped_column(String(100))
    scores: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    entered_by: Mapped[str] = mapped_column(String(200), default="")
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)
