"""Tables of the sub-contracting app: jobs sent out and the receipts that come back."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped


class ProcessKind(enum.StrEnum):
    """What the outside partner does to the cut pieces."""

    EMBROIDERY = "embroidery"
    PRINTING = "printing"
    WASHING = "washing"
    OTHER = "other"


class JobStatus(enum.StrEnum):
    """Whether a job still expects pieces back."""

    OPEN = "open"
    CLOSED = "closed"


def _values(kind: type[enum.StrEnum]) -> list[str]:
    return [member.value for member in kind]


class SubcontractJob(TenantOwned, Timestamped, Base):
    """A batch of cut pieces sent to one outside partner for one process."""

    __tablename__ = "subcontract_job"
    __table_args__ = (
        # Lets receipts reference (id, org_id) together, so a receipt cannot cross tenants.
        UniqueConstraint("id", "org_id"),
        CheckConstraint("qty_sent > 0", name="qty_sent_positive"),
        CheckConstraint("due_on >= sent_on", name="due_not_before_sent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner: Mapped[str] = mapped_column(String(120))
    process: Mapped[ProcessKind] = mapped_column(
        Enum(ProcessKind, native_enum=False, length=20, values_callable=_values)
    )
    reference: Mapped[str] = mapped_column(String(80))
    qty_sent: Mapped[int] = mapped_column(Integer)
    sent_on: Mapped[date]
    due_on: Mapped[date]
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, native_enum=False, length=20, values_callable=_values),
        default=JobStatus.OPEN,
    )
    note: Mapped[str] = mapped_column(Text, default="")


class SubcontractReceipt(TenantOwned, Timestamped, Base):
    """Pieces that came back from the partner on one day, good and defective."""

    __tablename__ = "subcontract_receipt"
    __table_args__ = (
        # Composite key: the database itself refuses a receipt whose org differs from its job's.
        ForeignKeyConstraint(
            ["job_id", "org_id"],
            ["subcontract_job.id", "subcontract_job.org_id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("qty_received >= 0", name="qty_received_not_negative"),
        CheckConstraint("qty_defective >= 0", name="qty_defective_not_negative"),
        CheckConstraint("qty_received + qty_defective > 0", name="returns_something"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(Integer, index=True)
    qty_received: Mapped[int] = mapped_column(Integer)
    qty_defective: Mapped[int] = mapped_column(Integer, default=0)
    received_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
