"""Tables of the equipment app's telemetry: machine state and count records, OEE settings.

Telemetry records arrive from devices like scans do, so they are stored the same way
(decision record 0009): keyed by ``(org_id, key)`` with a time-ordered key — the device's UUIDv7
as sent, or for a random (v4) id a key led by the record's milliseconds — so inserts append to
the index and a resent record maps to the same key and counts as a duplicate.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped

RECORD_KINDS = ("state", "count")
STATES = ("running", "idle", "down", "planned_stop")


class TelemetryRecord(TenantOwned, Base):
    """One state change or count a machine reported, as sent (``state`` or ``good``/``reject``)."""

    __tablename__ = "equipment_telemetry"
    __table_args__ = (
        ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
        ),
        # OEE reads one machine's records of a window in time order
        Index("ix_equipment_telemetry_machine_ts", "org_id", "machine_id", "ts"),
        CheckConstraint("kind IN ('state', 'count')", name="kind_known"),
        CheckConstraint("good >= 0 AND reject >= 0", name="counts_positive"),
    )

    # the primary key leads with org_id: the mixin's extra single-column index would only slow
    # the insert path
    org_id: Mapped[int] = mapped_column(
        ForeignKey("tenancy_organisation.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True)
    origin_id: Mapped[uuid.UUID | None] = mapped_column(Uuid(), default=None)
    ts: Mapped[datetime] = mapped_column()
    received_at: Mapped[datetime] = mapped_column()
    machine_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(8))
    # for kind "state": running, idle, down or planned_stop; NULL for counts
    state: Mapped[str | None] = mapped_column(String(16), default=None)
    # why a machine is down (a short code such as "needle_break"); empty otherwise
    reason: Mapped[str] = mapped_column(String(40), default="")
    good: Mapped[int] = mapped_column(default=0)
    reject: Mapped[int] = mapped_column(default=0)


class MachineTelemetrySetting(Timestamped, TenantOwned, Base):
    """How OEE judges one machine: its ideal cycle time (seconds per counted piece)."""

    __tablename__ = "equipment_machine_setting"
    __table_args__ = (
        ForeignKeyConstraint(
            ["machine_id", "org_id"],
            ["masterdata_machine.id", "masterdata_machine.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "machine_id"),
        CheckConstraint("ideal_cycle_s > 0", name="ideal_cycle_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    machine_id: Mapped[int] = mapped_column()
    ideal_cycle_s: Mapped[Decimal] = mapped_column(Numeric(9, 3))
