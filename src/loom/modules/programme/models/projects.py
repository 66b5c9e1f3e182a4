"""Transformation projects: one per pilot, from application to acceptance and beyond."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow

#: a project is shared by design with its enterprise, its contractor and its assessor
PROJECT_PARTIES = ("enterprise_org_id", "contractor_org_id", "assessor_org_id")


def _project_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["project_id", "org_id"],
        ["programme_project.id", "programme_project.org_id"],
        ondelete="CASCADE",
    )


class _ProjectParties:
    """Participant columns copied from the project, so each party sees the project's rows."""

    __participant_columns__: ClassVar[tuple[str, ...]] = PROJECT_PARTIES

    enterprise_org_id: Mapped[int | None] = mapped_column(default=None, index=True)
    contractor_org_id: Mapped[int | None] = mapped_column(default=None, index=True)
    assessor_org_id: Mapped[int | None] = mapped_column(default=None, index=True)


class Project(TenantOwned, Base):
    """A pilot's transformation project, owned by the bureau (``org_id``)."""

    __tablename__ = "programme_project"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        # one project per pilot enterprise
        UniqueConstraint("org_id", "enterprise_id"),
        ForeignKeyConstraint(
            ["enterprise_id", "org_id"],
            ["programme_enterprise.id", "programme_enterprise.org_id"],
        ),
        CheckConstraint("contract_amount_fen >= 0", name="contract_not_negative"),
    )
    __participant_columns__ = PROJECT_PARTIES

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(index=True)
    enterprise_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="SET NULL"), default=None, index=True
    )
    contractor_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="SET NULL"), default=None, index=True
    )
    assessor_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="SET NULL"), default=None, index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(30))
    batch: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(30), default="applied", index=True)
    honours: Mapped[list[str]] = mapped_column(JSON, default=list)
    n_scenarios: Mapped[list[str]] = mapped_column(JSON, default=list)
    x_scenarios: Mapped[list[str]] = mapped_column(JSON, default=list)
    # the plan to level 2 from the assessment planner, as JSON (options, cost, level reached)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    contract_no: Mapped[str] = mapped_column(String(80), default="")
    contract_signed_on: Mapped[date | None] = mapped_column(default=None)
    contract_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class InvestmentLine(_ProjectParties, TenantOwned, Base):
    """One line of a project's investment (hardware, software, services, cloud)."""

    __tablename__ = "programme_investment"
    __table_args__ = (
        _project_fk(),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(index=True)
    category: Mapped[str] = mapped_column(String(20))  # hardware | software | services | cloud
    description: Mapped[str] = mapped_column(String(500))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    product_id: Mapped[int | None] = mapped_column(default=None)
    evidence_name: Mapped[str] = mapped_column(String(255), default="")
    evidence_sha256: Mapped[str] = mapped_column(String(64), default="")
    evidence_size: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transition(_ProjectParties, TenantOwned, Base):
    """One step of a project's lifecycle, with who took it and why."""

    __tablename__ = "programme_transition"
    __table_args__ = (_project_fk(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    actor_org_id: Mapped[int | None] = mapped_column(default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class OnsiteResult(_ProjectParties, TenantOwned, Base):
    """An on-site assessment's outcome, recorded on the project by its assessor."""

    __tablename__ = "programme_onsite_result"
    __table_args__ = (_project_fk(), UniqueConstraint("project_id", "phase"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(index=True)
    phase: Mapped[str] = mapped_column(String(10))  # before | after
    # the assessment lives in the enterprise's tenant; its id, level and score are copied here
    assessment_id: Mapped[int] = mapped_column()
    level: Mapped[int] = mapped_column()
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    rules_version: Mapped[str] = mapped_column(String(80))
    assessed_on: Mapped[date] = mapped_column()
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Acceptance(_ProjectParties, TenantOwned, Base):
    """The expert evaluation behind an acceptance decision (四(二)4)."""

    __tablename__ = "programme_acceptance"
    __table_args__ = (_project_fk(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(index=True)
    # 0–100 expert marks for the application effect, data integration and management reform
    effect_score: Mapped[int] = mapped_column()
    integration_score: Mapped[int] = mapped_column()
    reform_score: Mapped[int] = mapped_column()
    # yearly benefit over investment, e.g. 1.35
    io_ratio: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    decision: Mapped[str] = mapped_column(String(20))  # pass | rectify
    reasons: Mapped[str] = mapped_column(String(2000))
    experts: Mapped[str] = mapped_column(String(500), default="")
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
