"""Tables of quality management, each owned by one enterprise (``org_id``).

The defect catalogue is the enterprise's own list of defect codes. An inspection (inline at an
operation, or at the end of the line) counts pieces checked and defects by code; each defect
row keeps the operation and the operator it is traced to through the scans. An AQL final
inspection keeps the plans the engine chose, the defects found per class, the decision and the
switching state before and after it; the series table holds the current switching state of
each customer's lots.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped, utcnow

#: GB/T 2828.1 defect classes, most serious first
DEFECT_CLASSES = ("critical", "major", "minor")
#: where in a garment a defect comes from; the catalogue groups by it
CATEGORIES = ("sewing", "fabric", "measurement", "appearance", "trims", "other")
#: inline (roving, at an operation) or end-of-line inspection
KINDS = ("inline", "endline")
#: how an inspection's operator is known: typed by the inspector, or found in the scans
OPERATOR_SOURCES = ("", "entered", "scan")
DECISIONS = ("accept", "reject")


class DefectType(Timestamped, TenantOwned, Base):
    """One entry of the enterprise's defect catalogue (跳针, 断线 …)."""

    __tablename__ = "quality_defect"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "code"),
        CheckConstraint(
            "defect_class IN ('critical', 'major', 'minor')", name="defect_class_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    defect_class: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(20), default="other")
    active: Mapped[bool] = mapped_column(default=True)


class Inspection(TenantOwned, Base):
    """An inline or end-of-line inspection: pieces checked and the defects found in them.

    Operation and operator ids carry no foreign key, like the scan events they are traced
    from: the master data may delete an operator, and their inspection history stays.
    """

    __tablename__ = "quality_inspection"
    __table_args__ = (
        ForeignKeyConstraint(
            ["line_id", "org_id"], ["masterdata_line.id", "masterdata_line.org_id"]
        ),
        # a bundle's inspections go with it when its order is deleted (audited by the shop floor)
        ForeignKeyConstraint(
            ["bundle_id", "org_id"],
            ["shopfloor_bundle.id", "shopfloor_bundle.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("id", "org_id"),
        CheckConstraint("pieces_checked > 0", name="pieces_checked_positive"),
        CheckConstraint("defects_total >= 0", name="defects_total_not_negative"),
        CheckConstraint(
            "defective_pieces BETWEEN 0 AND pieces_checked", name="defective_pieces_range"
        ),
        # DHU by day and line reads the enterprise's inspections of a date range
        Index("ix_quality_inspection_org_day", "org_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    inspected_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the factory's (Beijing) calendar day of ``inspected_at``: DHU per day groups on it
    day: Mapped[date] = mapped_column()
    line_id: Mapped[int] = mapped_column(index=True)
    operation_id: Mapped[int | None] = mapped_column(index=True, default=None)
    operator_id: Mapped[int | None] = mapped_column(index=True, default=None)
    operator_source: Mapped[str] = mapped_column(String(10), default="")
    bundle_id: Mapped[int | None] = mapped_column(index=True, default=None)
    # the bundle's order, kept so that lists filter by order without a join
    order_id: Mapped[int | None] = mapped_column(default=None)
    pieces_checked: Mapped[int] = mapped_column()
    defects_total: Mapped[int] = mapped_column(default=0)
    defective_pieces: Mapped[int] = mapped_column(default=0)
    inspector: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")


class InspectionDefect(TenantOwned, Base):
    """Defects of one code found in an inspection, traced to an operation and an operator."""

    __tablename__ = "quality_inspection_defect"
    __table_args__ = (
        ForeignKeyConstraint(
            ["inspection_id", "org_id"],
            ["quality_inspection.id", "quality_inspection.org_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["defect_id", "org_id"], ["quality_defect.id", "quality_defect.org_id"]
        ),
        CheckConstraint("qty > 0", name="qty_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(index=True)
    defect_id: Mapped[int] = mapped_column(index=True)
    operation_id: Mapped[int | None] = mapped_column(default=None)
    operator_id: Mapped[int | None] = mapped_column(default=None)
    qty: Mapped[int] = mapped_column()


class AqlSeries(TenantOwned, Base):
    """The switching state (normal, tightened, reduced …) of one customer's series of lots."""

    __tablename__ = "quality_aql_series"
    __table_args__ = (UniqueConstraint("org_id", "customer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # the order's customer; "" for orders without one (one series of their own)
    customer: Mapped[str] = mapped_column(String(200))
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lots: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AqlInspection(TenantOwned, Base):
    """An AQL final inspection of a lot of an order (GB/T 2828.1 single sampling)."""

    __tablename__ = "quality_aql_inspection"
    __table_args__ = (
        ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("id", "org_id"),
        CheckConstraint("lot_size > 0", name="lot_size_positive"),
        CheckConstraint("decision IN ('accept', 'reject')", name="decision_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(index=True)
    lot_no: Mapped[str] = mapped_column(String(40), default="")
    customer: Mapped[str] = mapped_column(String(200), default="")
    inspected_on: Mapped[date] = mapped_column()
    lot_size: Mapped[int] = mapped_column()
    level: Mapped[str] = mapped_column(String(4))
    # the severity the lot was inspected under: normal, tightened or reduced
    inspection: Mapped[str] = mapped_column(String(10))
    code_letter: Mapped[str] = mapped_column(String(2))
    # {class: {"aql", "code_letter", "plan_letter", "sample_size", "accept", "reject",
    #  "full_inspection"}}; a class with AQL "0" accepts no defect at all
    plans: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the units drawn: the largest sample among the classes
    sample_size: Mapped[int] = mapped_column()
    critical_found: Mapped[int] = mapped_column(default=0)
    major_found: Mapped[int] = mapped_column(default=0)
    minor_found: Mapped[int] = mapped_column(default=0)
    # {defect code: count}, as typed from the catalogue
    defects: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    decision: Mapped[str] = mapped_column(String(10))
    state_before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state_after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    inspector: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = [
    "CATEGORIES",
    "DECISIONS",
    "DEFECT_CLASSES",
    "KINDS",
    "OPERATOR_SOURCES",
    "AqlInspection",
    "AqlSeries",
    "DefectType",
    "Inspection",
    "InspectionDefect",
]
