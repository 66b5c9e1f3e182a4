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


class ProductionLine(Timestamped, TenantOwned, Base):
    """A production line (产线): sewing, cutting or finishing, with its planned shift."""

    __tablename__ = "masterdata_line"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "code"),
        CheckConstraint("shift_minutes BETWEEN 0 AND 1440", name="shift_minutes_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    # "sewing", "cutting" or "finishing"
    kind: Mapped[str] = mapped_column(String(20), default="sewing")
    # planned working minutes per day, the scheduling and dashboard default
    shift_minutes: Mapped[int] = mapped_column(default=480)
    active: Mapped[bool] = mapped_column(default=True)


class Workstation(TenantOwned, Base):
    """A workstation (工位) of a line, optionally with the scanning device installed there."""

    __tablename__ = "masterdata_workstation"
    __table_args__ = (
        ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("line_id", "code"),
        UniqueConstraint("org_id", "device_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(40))
    # position along the line, 1 first
    seq: Mapped[int] = mapped_column(default=1)
    machine_type: Mapped[str] = mapped_column(String(20), default="lockstitch")
    # the scanner's device id as it appears in scan events; NULL when none is installed
    device_code: Mapped[str | None] = mapped_column(String(64), default=None)


class Operator(Timestamped, TenantOwned, Base):
    """An operator (员工) with a badge code, the line they work on, and their skills."""

    __tablename__ = "masterdata_operator"
    __table_args__ = (
        ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the badge number operators scan or type at the station
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    line_id: Mapped[int | None] = mapped_column(index=True, default=None)
    hired_on: Mapped[date | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(default=True)


class OperatorSkill(TenantOwned, Base):
    """One cell of the skills matrix: an operator's grade (1–5) on one machine type."""

    __tablename__ = "masterdata_operator_skill"
    __table_args__ = (
        ForeignKeyConstraint(
            ["operator_id", "org_id"],
            ["masterdata_operator.id", "masterdata_operator.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("operator_id", "machine_type"),
        CheckConstraint("grade BETWEEN 1 AND 5", name="grade_range"),
        CheckConstraint("efficiency BETWEEN 1 AND 200", name="efficiency_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(index=True)
    machine_type: Mapped[str] = mapped_column(String(20))
    # an operator may do an operation of this machine type whose skill grade is <= grade
    grade: Mapped[int] = mapped_column()
    # typical speed against SAM, in percent (100 = at standard)
    efficiency: Mapped[int] = mapped_column(default=100)


class Machine(Timestamped, TenantOwned, Base):
    """A sewing machine or other equipment of the ledger, optionally placed at a workstation."""

    __tablename__ = "masterdata_machine"
    __table_args__ = (
        ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
        ),
        ForeignKeyConstraint(
            ["workstation_id", "org_id"],
            ["masterdata_workstation.id", "masterdata_workstation.org_id"],
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the asset number painted on the machine
    code: Mapped[str] = mapped_column(String(40))
    machine_type: Mapped[str] = mapped_column(String(20))
    brand: Mapped[str] = mapped_column(String(100), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    serial: Mapped[str] = mapped_column(String(100), default="")
    line_id: Mapped[int | None] = mapped_column(index=True, default=None)
    workstation_id: Mapped[int | None] = mapped_column(index=True, default=None)
    purchased_on: Mapped[date | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(default=True)


class LinePlan(TenantOwned, Base):
    """One published version of a line's balanced plan: who sews which operations of a style.

    Versions are only ever added; the one flagged ``current`` is what the line runs (at most
    one per line). The tasks are kept as published (JSON), so an old version stays readable
    after operators leave or the routing changes.
    """

    __tablename__ = "masterdata_line_plan"
    __table_args__ = (
        ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("line_id", "version"),
        CheckConstraint("version > 0", name="version_positive"),
        CheckConstraint("cycle_time_e4 > 0", name="cycle_time_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(index=True)
    style_id: Mapped[int] = mapped_column(index=True)
    # 1, 2, … per line, in publication order
    version: Mapped[int] = mapped_column()
    # what produced the plan, e.g. "balancing plan 12" or "manual"
    source: Mapped[str] = mapped_column(String(200), default="")
    # the planned pace in ten-thousandths of a minute; NULL when the planner gave none
    cycle_time_e4: Mapped[int | None] = mapped_column(default=None)
    # [{"station_seq", "operator_id", "operation_id", "parts"}, …] in line order
    tasks: Mapped[list[dict[str, int]]] = mapped_column(JSON, default=list)
    current: Mapped[bool] = mapped_column(default=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[str] = mapped_column(String(200), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(default=None)
    withdrawn_by: Mapped[str] = mapped_column(String(200), default="")


__all__ = [
    "BomLine",
    "LinePlan",
    "Machine",
    "Operation",
    "Operator",
    "OperatorSkill",
    "PieceRate",
    "ProductionLine",
    "RoutingStep",
    "Style",
    "Workstation",
]
