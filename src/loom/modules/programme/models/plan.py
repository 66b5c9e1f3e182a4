"""The programme as data: plan versions, the N+X survey, scenarios and published lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, utcnow


class PlanVersion(Base):
    """One published version of a bureau's action plan (phases, batches, targets).

    Not tenant-owned: an action plan is a public document every party of the programme reads.
    Only the bureau named here publishes versions (checked by the service).
    """

    __tablename__ = "programme_plan"
    __table_args__ = (UniqueConstraint("bureau_org_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_org_id: Mapped[int] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(String(80))  # e.g. haishu-2024.v1
    title: Mapped[str] = mapped_column(String(200))
    # text, not JSON: weights and shares are exact decimals that a JSON column makes floats
    document_json: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    published_by: Mapped[str] = mapped_column(String(200), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class Need(TenantOwned, Base):
    """One problem and need a pilot reported in the survey, for one business stage."""

    __tablename__ = "programme_need"
    __table_args__ = (
        ForeignKeyConstraint(
            ["enterprise_id", "org_id"],
            ["programme_enterprise.id", "programme_enterprise.org_id"],
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(index=True)
    sector: Mapped[str] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(30))  # rd_design | manufacturing | …
    problem: Mapped[str] = mapped_column(String(500))
    # needs with the same key are the same need across pilots; N or X follows from the share
    need_key: Mapped[str] = mapped_column(String(60), index=True)
    need_title: Mapped[str] = mapped_column(String(200))
    scenario_code: Mapped[str] = mapped_column(String(40), default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Scenario(TenantOwned, Base):
    """An application scenario that answers needs, mapped to the national scenes S01–S16."""

    __tablename__ = "programme_scenario"
    __table_args__ = (UniqueConstraint("org_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(30))
    stage: Mapped[str] = mapped_column(String(30))
    # national scene id -> the level this scenario delivers, e.g. {"S05": 2}
    scenes: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(String(1000), default="")


class ListVersion(TenantOwned, Base):
    """A published snapshot of one of the three lists (问题, 需求, 应用场景) of a sector."""

    __tablename__ = "programme_list"
    __table_args__ = (UniqueConstraint("org_id", "sector", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sector: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20))  # problems | needs | scenarios
    version: Mapped[int] = mapped_column()
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    published_by: Mapped[str] = mapped_column(String(200), default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
