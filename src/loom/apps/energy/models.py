"""Tables of the energy app: meters, their readings and the enterprise's monthly revenue.

Figures are stored as integers in ten-thousandths (``*_e4``) of their unit, as the shop floor
stores money and minutes, so that sums are exact on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped, utcnow

#: where a meter hangs: the whole factory, a production line or one machine
ATTACHMENTS = ("factory", "line", "machine")
#: how a meter is read: its cumulative register, or consumption per period (from bills)
MODES = ("register", "period")
#: where a reading came from
SOURCES = ("hand", "file", "device")


class EnergyMeter(Timestamped, TenantOwned, Base):
    """A meter (计量表) of electricity, water, gas, steam…, on the factory, a line or a machine."""

    __tablename__ = "energy_meter"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        UniqueConstraint("org_id", "code"),
        # deleting a line or machine that a meter names is refused, like any other use of it
        ForeignKeyConstraint(
            ["line_id", "org_id"], ["masterdata_line.id", "masterdata_line.org_id"]
        ),
        ForeignKeyConstraint(
            ["machine_id", "org_id"], ["masterdata_machine.id", "masterdata_machine.org_id"]
        ),
        CheckConstraint("attached_to IN ('factory', 'line', 'machine')", name="attached_known"),
        CheckConstraint("mode IN ('register', 'period')", name="mode_known"),
        CheckConstraint("multiplier_e4 > 0", name="multiplier_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the number on the meter's plate or in the energy ledger
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    attached_to: Mapped[str] = mapped_column(String(10), default="factory")
    # the line of a line meter, or of a machine meter's machine when it was saved
    line_id: Mapped[int | None] = mapped_column(index=True, default=None)
    machine_id: Mapped[int | None] = mapped_column(index=True, default=None)
    # a main meter's consumption makes the factory total; sub-meters only break it down
    main: Mapped[bool] = mapped_column(default=True)
    mode: Mapped[str] = mapped_column(String(10), default="register")
    # register units × multiplier = consumption (current-transformer ratio; 1 when none)
    multiplier_e4: Mapped[int] = mapped_column(BigInteger, default=10_000)
    # the register value at which the dial restarts from zero (None: unknown, never rolls)
    rollover_at_e4: Mapped[int | None] = mapped_column(BigInteger, default=None)
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class EnergyReading(TenantOwned, Base):
    """One reading of a meter: a register figure at a time, or a period's consumption."""

    __tablename__ = "energy_reading"
    __table_args__ = (
        ForeignKeyConstraint(
            ["meter_id", "org_id"],
            ["energy_meter.id", "energy_meter.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("meter_id", "read_at"),
        # a device's record id is stored once: a resent batch counts as duplicates
        UniqueConstraint("org_id", "record_id"),
        CheckConstraint("event IN ('', 'rollover', 'replaced')", name="event_known"),
        CheckConstraint("source IN ('hand', 'file', 'device')", name="source_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meter_id: Mapped[int] = mapped_column(index=True)
    # a register reading's time, or the end (exclusive, local midnight) of a period
    read_at: Mapped[datetime] = mapped_column()
    # first and last day of a period reading (None for register readings)
    period_start: Mapped[date | None] = mapped_column(default=None)
    period_end: Mapped[date | None] = mapped_column(default=None)
    # the register figure, or the period's consumption, in ten-thousandths of the unit
    value_e4: Mapped[int] = mapped_column(BigInteger)
    # "" normal, "rollover" (the dial restarted), "replaced" (a new meter from here on)
    event: Mapped[str] = mapped_column(String(10), default="")
    # the replaced meter's final register figure
    old_final_e4: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # the meter's multiplier when the reading was taken
    multiplier_e4: Mapped[int] = mapped_column(BigInteger, default=10_000)
    source: Mapped[str] = mapped_column(String(10), default="hand")
    # the device's record id (device readings only)
    record_id: Mapped[str | None] = mapped_column(String(64), default=None)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EnergyRevenue(Timestamped, TenantOwned, Base):
    """The enterprise's revenue (营业收入) of one month, for energy per 100 CNY of revenue."""

    __tablename__ = "energy_revenue"
    __table_args__ = (
        UniqueConstraint("org_id", "month"),
        CheckConstraint("amount_e4 >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the first day of the month
    month: Mapped[date] = mapped_column()
    amount_e4: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(200), default="")


__all__ = ["ATTACHMENTS", "MODES", "SOURCES", "EnergyMeter", "EnergyReading", "EnergyRevenue"]
