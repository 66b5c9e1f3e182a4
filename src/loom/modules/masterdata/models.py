"""Tables of the garment master data, each owned by one enterprise (``org_id``).

Children reach their parent through a composite key ``(parent_id, org_id)``, so the database
itself refuses a piece rate or a routing step pointing into another enterprise's rows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKeyConstraint,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped, utcnow


class Style(Timestamped, TenantOwned, Base):
    """A garment style (款式) with its colour × size matrix."""

    __tablename__ = "masterdata_style"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    season: Mapped[str] = mapped_column(String(40), default="")
    customer: Mapped[str] = mapped_column(String(200), default="")
    colours: Mapped[list[str]] = mapped_column(JSON, default=list)
    sizes: Mapped[list[str]] = mapped_column(JSON, default=list)


class Operation(Timestamped, TenantOwned, Base):
    """An operation (工序) of the enterprise's library, with the SAM its users entered."""

    __tablename__ = "masterdata_operation"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "code"),
        CheckConstraint("sam > 0", name="sam_positive"),
        CheckConstraint("skill_grade BETWEEN 1 AND 5", name="skill_grade_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    # standard allowed minutes per piece
    sam: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    machine_type: Mapped[str] = mapped_column(String(20))
    skill_grade: Mapped[int] = mapped_column()


class PieceRate(TenantOwned, Base):
    """One version of an operation's piece rate (工价), valid from ``effective_from`` on.

    Versions are only ever added: pay already earned must stay computable at the old rate.
    """

    __tablename__ = "masterdata_piece_rate"
    __table_args__ = (
        ForeignKeyConstraint(
            ["operation_id", "org_id"],
            ["masterdata_operation.id", "masterdata_operation.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("operation_id", "effective_from"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(index=True)
    effective_from: Mapped[date] = mapped_column()
    # CNY per piece
    rate: Mapped[Decimal] = mapped_column(Numeric(10, 4))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RoutingStep(TenantOwned, Base):
    """One operation of a style's routing, in order, with the operations that must precede it."""

    __tablename__ = "masterdata_routing_step"
    __table_args__ = (
        ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["operation_id", "org_id"],
            ["masterdata_operation.id", "masterdata_operation.org_id"],
        ),
        UniqueConstraint("style_id", "seq"),
        UniqueConstraint("style_id", "operation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    style_id: Mapped[int] = mapped_column(index=True)
    operation_id: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int] = mapped_column()
    # operation ids of this routing that must be done before this one
    predecessors: Mapped[list[int]] = mapped_column(JSON, default=list)


class BomLine(TenantOwned, Base):
    """One material of a style's bill of materials (BOM) with its consumption per size."""

    __tablename__ = "masterdata_bom_line"
    __table_args__ = (
        ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("style_id", "material_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    style_id: Mapped[int] = mapped_column(index=True)
    material_code: Mapped[str] = mapped_column(String(40))
    material_name: Mapped[str] = mapped_column(String(200))
    # "fabric" or "trim"
    kind: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(10))
    # {size: consumption per piece as a decimal string}: strings keep the Decimal exact
    consumption: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


__all__ = ["BomLine", "Operation", "PieceRate", "RoutingStep", "Style"]
