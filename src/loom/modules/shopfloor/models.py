"""Tables of shop-floor execution, each owned by one enterprise (``org_id``).

Orders, lays and bundles are entered by people. Scan events arrive by the thousand per second:
their table is keyed by ``(org_id, key)`` where ``key`` is time-ordered (decision record 0009),
and the figures they update live in small counter tables keyed by what the dashboards ask for.
Money and minutes are stored as integers in ten-thousandths (``*_e4``) so that sums are exact on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped, utcnow

ORDER_STATUSES = ("open", "cutting", "sewing", "done", "cancelled")
EVENT_KINDS = ("done", "rework", "defect")
EVENT_STATUSES = ("applied", "quarantined", "discarded")
#: line id recorded when neither the operator nor the order names a line
NO_LINE = 0


def _org_key() -> Mapped[int]:
    # The counter and event tables lead their primary key with org_id: the mixin's extra
    # single-column index would only slow the hot insert path.
    return mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="CASCADE"), primary_key=True
    )


def _hot_org_key() -> Mapped[int]:
    # The tables ingest writes on every batch: no foreign key, whose check PostgreSQL runs once
    # per row (a quarter of its CPU per ingested event, measured). Their rows are written only
    # under a scope minted for an existing organisation, and a trigger on the organisation
    # table deletes them with it (migration shopfloor_0004), as the cascade did.
    return mapped_column(Integer, primary_key=True)


class ProductionOrder(Timestamped, TenantOwned, Base):
    """A production order (生产订单): a style in colour × size quantities, due on a date."""

    __tablename__ = "shopfloor_order"
    __table_args__ = (
        ForeignKeyConstraint(
            ["style_id", "org_id"], ["masterdata_style.id", "masterdata_style.org_id"]
        ),
        ForeignKeyConstraint(
            ["line_id", "org_id"], ["masterdata_line.id", "masterdata_line.org_id"]
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "number"),
        CheckConstraint("total_qty > 0", name="total_qty_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    customer: Mapped[str] = mapped_column(String(200), default="")
    style_id: Mapped[int] = mapped_column(index=True)
    # the sewing line the order is planned on; operators' own lines take precedence in figures
    line_id: Mapped[int | None] = mapped_column(index=True, default=None)
    due_date: Mapped[date] = mapped_column()
    # {colour: {size: pieces}}
    quantities: Mapped[dict[str, dict[str, int]]] = mapped_column(JSON, default=dict)
    total_qty: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str] = mapped_column(String(500), default="")


class Lay(TenantOwned, Base):
    """A lay (床次) of a cutting plan: one colour, a number of plies and a marker's size ratio."""

    __tablename__ = "shopfloor_lay"
    __table_args__ = (
        ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("order_id", "lay_no"),
        CheckConstraint("plies > 0", name="plies_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(index=True)
    lay_no: Mapped[int] = mapped_column()
    colour: Mapped[str] = mapped_column(String(40))
    plies: Mapped[int] = mapped_column()
    # the marker: {size: garments per ply}
    ratios: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # "planned" until cut; cutting creates the bundles
    status: Mapped[str] = mapped_column(String(10), default="planned")
    cut_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Bundle(TenantOwned, Base):
    """A bundle (扎) cut from a lay, with its ticket (菲票) number printed on every coupon."""

    __tablename__ = "shopfloor_bundle"
    __table_args__ = (
        ForeignKeyConstraint(
            ["order_id", "org_id"],
            ["shopfloor_order.id", "shopfloor_order.org_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["lay_id", "org_id"], ["shopfloor_lay.id", "shopfloor_lay.org_id"], ondelete="CASCADE"
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "number"),
        CheckConstraint("qty > 0", name="qty_positive"),
        # an order's bundles, led by the order: without statistics SQLite would otherwise read
        # every bundle of the enterprise for a single order (docs/benchmarks.md). Only the
        # unique (org_id, number) index leads with org_id, so a lookup by number cannot be
        # planned as a scan of the organisation's bundles, whatever the statistics say
        # (migration shopfloor_0005).
        Index("ix_shopfloor_bundle_order_org", "order_id", "org_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # no index of its own: the unique (org_id, number) index serves every lookup by org_id
    org_id: Mapped[int] = mapped_column(ForeignKey("tenancy_organisation.id", ondelete="CASCADE"))
    # counts up from 1 per enterprise; what devices send as ``bundle``
    number: Mapped[int] = mapped_column()
    order_id: Mapped[int] = mapped_column()
    lay_id: Mapped[int] = mapped_column(index=True)
    colour: Mapped[str] = mapped_column(String(40))
    size: Mapped[str] = mapped_column(String(20))
    qty: Mapped[int] = mapped_column()
    ply_from: Mapped[int] = mapped_column(default=1)
    ply_to: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScanEvent(TenantOwned, Base):
    """One scan as the device sent it, with what the server resolved it to.

    ``key`` is the device's UUIDv7 as sent, or for a random (v4) id a time-ordered key built from
    the event's timestamp and the id's random bits, so inserts append to the index either way and
    a resent event maps to the same key (decision record 0009). ``origin_id`` keeps a v4 id.
    """

    __tablename__ = "shopfloor_event"
    __table_args__ = (
        # one applied "done" per bundle and operation: a second one goes to quarantine, and on
        # PostgreSQL a race between two workers fails here instead of paying twice
        Index(
            "ux_shopfloor_event_done",
            "org_id",
            "bundle_id",
            "operation_id",
            unique=True,
            sqlite_where=text("kind = 'done' AND status = 'applied'"),
            postgresql_where=text("kind = 'done' AND status = 'applied'"),
        ),
    )

    org_id: Mapped[int] = _hot_org_key()
    key: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True)
    origin_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), default=None)
    ts: Mapped[datetime] = mapped_column()
    received_at: Mapped[datetime] = mapped_column()
    device: Mapped[str] = mapped_column(String(64))
    operator_code: Mapped[str] = mapped_column(String(40))
    bundle_no: Mapped[int] = mapped_column(BigInteger)
    operation_id: Mapped[int] = mapped_column(BigInteger)
    qty: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12))
    # resolved at ingest; NULL when the reference was unknown (the event is then quarantined)
    operator_id: Mapped[int | None] = mapped_column(default=None)
    bundle_id: Mapped[int | None] = mapped_column(default=None)
    order_id: Mapped[int | None] = mapped_column(default=None)
    line_id: Mapped[int] = mapped_column(default=NO_LINE)
    # the operation's SAM and piece rate at scan time, in ten-thousandths (min, CNY) per piece
    sam_e4: Mapped[int] = mapped_column(default=0)
    rate_e4: Mapped[int] = mapped_column(default=0)
    # whether the operation is the last of the style's routing (a finished garment)
    final: Mapped[bool] = mapped_column(default=False)


class Quarantined(TenantOwned, Base):
    """An event that could not be applied, with the reason, until someone fixes or discards it."""

    __tablename__ = "shopfloor_quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the stored event, or NULL for a message too malformed to store as an event
    event_key: Mapped[uuid.UUID | None] = mapped_column(Uuid(), index=True, default=None)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # machine-readable reason: unknown_bundle, unknown_operation, unknown_operator, no_rate,
    # done_twice, qty_exceeds_bundle, bad_signature, malformed
    reason: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(500), default="")
    payload: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # "open", "fixed" (re-applied) or "discarded"
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_by: Mapped[str] = mapped_column(String(200), default="")


class OpCount(TenantOwned, Base):
    """Pieces done, reworked and found defective per order, operation and line."""

    __tablename__ = "shopfloor_op_count"

    org_id: Mapped[int] = _hot_org_key()
    order_id: Mapped[int] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(primary_key=True)
    done_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    rework_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    defect_qty: Mapped[int] = mapped_column(BigInteger, default=0)


class LineHour(TenantOwned, Base):
    """A line's hour (UTC): finished garments, pieces, earned minutes, rework, defects."""

    __tablename__ = "shopfloor_line_hour"

    org_id: Mapped[int] = _hot_org_key()
    line_id: Mapped[int] = mapped_column(primary_key=True)
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    output_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    done_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    earned_e4: Mapped[int] = mapped_column(BigInteger, default=0)
    rework_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    defect_qty: Mapped[int] = mapped_column(BigInteger, default=0)


class OperatorHour(TenantOwned, Base):
    """An operator's hour on a line: one row is 60 attended minutes in the efficiency figure."""

    __tablename__ = "shopfloor_operator_hour"
    __table_args__ = (
        # hour first: a batch starts an hour for most operators, and those rows then go in side
        # by side rather than one page per operator (migration shopfloor_0006)
        PrimaryKeyConstraint("org_id", "hour", "operator_id", "line_id"),
        # the line dashboard counts a line's operator-hours of a day on every poll
        Index("ix_shopfloor_operator_hour_line", "org_id", "line_id", "hour"),
        {"sqlite_with_rowid": False},
    )

    org_id: Mapped[int] = _hot_org_key()
    operator_id: Mapped[int] = mapped_column(primary_key=True)
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(primary_key=True)
    done_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    earned_e4: Mapped[int] = mapped_column(BigInteger, default=0)
    earnings_e4: Mapped[int] = mapped_column(BigInteger, default=0)


class OperatorDay(TenantOwned, Base):
    """An operator's local day: pieces, earned minutes, piece-rate pay, rework and defects."""

    __tablename__ = "shopfloor_operator_day"

    org_id: Mapped[int] = _hot_org_key()
    operator_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    done_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    earned_e4: Mapped[int] = mapped_column(BigInteger, default=0)
    earnings_e4: Mapped[int] = mapped_column(BigInteger, default=0)
    rework_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    defect_qty: Mapped[int] = mapped_column(BigInteger, default=0)


class OperatorDayOperation(TenantOwned, Base):
    """Pieces an operator finished of one operation on a local day, at one piece rate.

    The pay statement's detail (operation × pieces × rate) reads these rows rather than the
    events: an index on the event table for it would slow every insert.
    """

    __tablename__ = "shopfloor_operator_day_op"

    org_id: Mapped[int] = _hot_org_key()
    operator_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    operation_id: Mapped[int] = mapped_column(primary_key=True)
    rate_e4: Mapped[int] = mapped_column(primary_key=True)
    done_qty: Mapped[int] = mapped_column(BigInteger, default=0)


class RefVersion(TenantOwned, Base):
    """A token that changes whenever the reference data ingest judges events by changes.

    Database triggers (migration ``shopfloor_0002``) set a new random token on every insert,
    update or delete of bundles, orders, routings, operations, piece rates, operators,
    workstations and line plans, whoever writes them; ingest keeps what it read of those tables
    per organisation and reads them again only when the token moved (``service.refcache``).
    """

    __tablename__ = "shopfloor_ref_version"

    org_id: Mapped[int] = _org_key()
    token: Mapped[int] = mapped_column(BigInteger)


__all__ = [
    "Bundle",
    "Lay",
    "LineHour",
    "OpCount",
    "OperatorDay",
    "OperatorDayOperation",
    "OperatorHour",
    "ProductionOrder",
    "Quarantined",
    "RefVersion",
    "ScanEvent",
]
