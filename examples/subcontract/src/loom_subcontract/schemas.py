"""Pydantic shapes going in and out of the API, and the per-organisation settings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from loom.kernel.web.inputs import ApiIn
from loom_subcontract.models import JobStatus, ProcessKind

# Upper bounds keep values inside a 32-bit integer column on every backend.
MAX_PIECES = 1_000_000

Partner = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
PiecesSent = Annotated[int, Field(gt=0, le=MAX_PIECES)]
PiecesBack = Annotated[int, Field(ge=0, le=MAX_PIECES)]


class SubcontractSettings(BaseModel):
    """What an organisation can tune; every field has a default."""

    default_due_days: int = Field(7, ge=0, le=365, description="Days from sending to due date")


class JobCreate(ApiIn):
    """A batch of pieces to send out; the due date defaults from the settings."""

    model_config = ConfigDict(extra="forbid")

    partner: Partner
    process: ProcessKind
    reference: Reference
    qty_sent: PiecesSent
    sent_on: date
    due_on: date | None = None
    note: Note = ""


class JobUpdate(ApiIn):
    """A partial change to a job; only the fields given are touched."""

    model_config = ConfigDict(extra="forbid")

    partner: Partner | None = None
    process: ProcessKind | None = None
    reference: Reference | None = None
    qty_sent: PiecesSent | None = None
    sent_on: date | None = None
    due_on: date | None = None
    status: JobStatus | None = None
    note: Note | None = None


class JobOut(BaseModel):
    """A job with the quantities computed from its receipts."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    partner: str
    process: ProcessKind
    reference: str
    qty_sent: int
    sent_on: date
    due_on: date
    status: JobStatus
    note: str
    created_at: datetime
    updated_at: datetime
    received: int
    defective: int
    outstanding: int
    overdue: bool


class ReceiptCreate(ApiIn):
    """Pieces that came back on one day."""

    model_config = ConfigDict(extra="forbid")

    qty_received: PiecesBack
    qty_defective: PiecesBack = 0
    received_on: date
    note: Note = ""


class ReceiptOut(BaseModel):
    """A recorded receipt."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    job_id: int
    qty_received: int
    qty_defective: int
    received_on: date
    note: str
    created_at: datetime
