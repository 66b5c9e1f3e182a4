"""``POST /api/v1/shopfloor/events``: a device sends up to 10,000 scan events at once."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.admission import turn_lent
from loom.kernel.web.metrics import count_ingest
from loom.kernel.web.openapi import batch_body, error_responses
from loom.modules.shopfloor.engine.wire import Scan
from loom.modules.shopfloor.service.ingest import (
    MAX_BATCH,
    Prepared,
    decode_scans,
    prepare,
    prepare_scans,
)
from loom.modules.shopfloor.service.ingest_group import writer_for

router = APIRouter()
DB = Depends(get_db, scope="function")
#: 10,000 events of a few hundred bytes each, with room to spare
MAX_BODY = 16 * 1024 * 1024


class PayloadTooLarge(DomainError):
    """The request body is larger than any valid batch."""

    status_code = 413
    code = "payload_too_large"


class ScanEventIn(BaseModel):
    """One scan as a device sends it (documentation of the body; parsing is hand-written)."""

    id: str = Field(description="UUIDv7 chosen by the device (v4 accepted from older devices)")
    ts: str = Field(description="RFC 3339 time of the scan, with its offset")
    device: str = Field(max_length=64)
    operator: str = Field(max_length=40, description="the operator's badge code")
    bundle: int = Field(ge=1, description="bundle (ticket) number")
    operation: int = Field(ge=1, description="operation id printed on the coupon")
    qty: int = Field(ge=1, le=100_000)
    kind: str = Field(pattern="^(done|rework|defect)$")
    sig: str = Field(min_length=20, max_length=20, description="coupon signature from its QR")


class RejectionOut(BaseModel):
    """A refused event by its index in the batch."""

    index: int
    error: str


class IngestOut(BaseModel):
    """What became of a batch."""

    accepted: int = Field(description="events stored now, applied or quarantined")
    duplicates: int = Field(description="events stored before (same id): not applied again")
    quarantined: int = Field(description="accepted events kept aside with a reason to fix")
    rejected: list[RejectionOut]


def _items(body: bytes) -> list[Any]:
    """Return the body's events as decoded JSON, or refuse a body that is no batch."""
    try:
        items = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ValidationFailed("body: not valid JSON", field="body") from None
    if not isinstance(items, list):
        raise ValidationFailed("body: a JSON array of events is required", field="body")
    if len(items) > MAX_BATCH:
        raise ValidationFailed(
            "body: at most %(max)s events per batch", field="body", params={"max": MAX_BATCH}
        )
    return items


def _prepare(
    body: bytes, scans: list[Scan] | None, items: list[Any], org_id: int, secret: str
) -> Prepared:
    """Prepare the batch by the fast path when it took the body whole, else event by event."""
    if scans is not None:
        prepared = prepare_scans(scans, org_id, secret_key=secret)
        if prepared is not None:
            return prepared
        # a body msgspec decoded as a list of at most MAX_BATCH objects is one for orjson too
        items = _items(body)
    return prepare(items, org_id, secret_key=secret)


#: batches waiting for an organisation's writer beyond which a request keeps its turn
LEND_BELOW_BACKLOG = 16

# each scan is judged on its own (bad ones come back in ``rejected``): the schema documents one
_BODY_SCHEMA = batch_body(MAX_BATCH, ScanEventIn.model_json_schema())


@router.post(
    "/events",
    response_model=IngestOut,
    openapi_extra=_BODY_SCHEMA,
    responses=error_responses(413),
)
async def post_events(
    request: Request,
    scope: Scope = require("shopfloor.event.write"),
    db: Session = DB,
) -> Any:
    """Store a batch of scans; the answer comes after the commit, so accepted means durable."""
    body = await request.body()
    if len(body) > MAX_BODY:
        raise PayloadTooLarge("the body is larger than %(max)s bytes", params={"max": MAX_BODY})
    # the fast path decodes the whole body into typed events in C; any event it refuses sends
    # the body to orjson and the per-event parser, which word each refusal
    scans = decode_scans(body)
    items = _items(body) if scans is None else []
    secret = runtime_of(request).settings.secret_key
    # The token was read apart from SQLite's write lock (``reads_apart``), but a due "last
    # used" stamp is pending in the session, and on SQLite every transaction takes the write
    # lock (BEGIN IMMEDIATE): write it now, before the CPU-bound parsing and signature checks,
    # so that this request holds no lock while another's batch is written. The writer stores
    # the batch in a transaction of its own.
    db.commit()
    prepared = await run_in_threadpool(_prepare, body, scans, items, scope.org_id, secret)
    # stored with the batches other devices of the factory posted meanwhile, in a transaction
    # of its own that is committed before this returns (service.ingest_group)
    writer = writer_for(runtime_of(request).session_factory, scope.org_id)
    # Waiting for the group's commit holds no connection and uses no CPU here: the admission
    # turn goes to the next batch meanwhile, which may then join the group (PostgreSQL over 8
    # connections: 37,400 events/s kept, 39,200 lent). A long backlog keeps its turns, so that
    # an overloaded writer pushes back through the admission queue (503) instead of piling up.
    lend = turn_lent(request) if writer.backlog < LEND_BELOW_BACKLOG else nullcontext()
    async with lend:
        result = await writer.submit(scope, prepared)
    count_ingest(
        "events",  # the scan stream's channel name, as on MQTT
        accepted=result.accepted,
        duplicates=result.duplicates,
        quarantined=result.quarantined,
        rejected=len(result.rejected),
    )
    return IngestOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        quarantined=result.quarantined,
        rejected=[RejectionOut(index=r.index, error=r.error) for r in result.rejected],
    )
