"""``POST /api/v1/ingest/{channel}``: devices send batches of records to apps' ingest channels.

One route per registered channel, each guarded by the channel's permission and by its app
being enabled for the caller's organisation, so an unknown channel (or one of a disabled app)
answers 404. The device token's organisation is the scope: records can only land there. The
answer comes after the request's transaction commits, so ``accepted`` means durable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import AppEnabled, require
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.messaging.ingest import (
    BatchError,
    ChannelRoute,
    channel_routes,
    checked,
    decode_batch,
)
from loom.kernel.plugins.spec import AppSpec
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.metrics import count_ingest
from loom.kernel.web.openapi import batch_body, error_responses

DB = Depends(get_db, scope="function")
#: bytes allowed per record on top of a fixed allowance: device records are small JSON objects
BYTES_PER_RECORD = 1_024
BASE_BYTES = 1_048_576


class PayloadTooLarge(DomainError):
    """The request body is larger than any valid batch of the channel."""

    status_code = 413
    code = "payload_too_large"


class RejectionOut(BaseModel):
    """A refused record by its index in the batch."""

    index: int
    error: str = Field(description="what is wrong, naming the field")


class IngestOut(BaseModel):
    """What became of a batch, once committed."""

    accepted: int = Field(description="records stored now")
    duplicates: int = Field(description="records stored before (same id): not applied again")
    rejected: list[RejectionOut]


def body_limit(max_records: int) -> int:
    """Return the largest body accepted for a channel of ``max_records`` records."""
    return BASE_BYTES + max_records * BYTES_PER_RECORD


def _endpoint(route: ChannelRoute) -> Callable[..., Awaitable[IngestOut]]:
    """Build the route function of one channel (its permission is fixed at startup)."""
    channel = route.channel
    limit = body_limit(channel.max_records)

    async def post_records(
        request: Request,
        scope: Scope = require(channel.permission),
        db: Session = DB,
    ) -> IngestOut:
        """Store a batch of records; the answer comes after the commit."""
        body = await request.body()
        if len(body) > limit:
            raise PayloadTooLarge(
                "body: larger than %(max)s bytes", field="body", params={"max": limit}
            )
        try:
            records = decode_batch(body, channel.max_records)
        except BatchError as exc:
            raise ValidationFailed(exc.message, field="body") from None
        # Authentication began a transaction, which on SQLite holds the write lock: end it so
        # the handler's own transaction is the only one this request keeps open while storing.
        db.commit()
        result = await run_in_threadpool(channel.handler, db, scope, records)
        result = checked(result, len(records))
        count_ingest(
            channel.name,
            accepted=result.accepted,
            duplicates=result.duplicates,
            rejected=len(result.rejected),
        )
        return IngestOut(
            accepted=result.accepted,
            duplicates=result.duplicates,
            rejected=[RejectionOut(index=i, error=e) for i, e in result.rejected],
        )

    post_records.__name__ = f"post_{channel.name}"
    return post_records


def ingest_router(apps: Iterable[AppSpec]) -> APIRouter:
    """Return the router of every registered channel under ``/ingest``."""
    router = APIRouter(prefix="/ingest", tags=["ingest"])
    for name, route in sorted(channel_routes(apps).items()):
        router.add_api_route(
            f"/{name}",
            _endpoint(route),
            methods=["POST"],
            response_model=IngestOut,
            summary=f"Send a batch of {name} records",
            dependencies=[Depends(AppEnabled(route.app.slug))],
            openapi_extra=batch_body(route.channel.max_records, {"type": "object"}),
            responses=error_responses(413),
        )
    return router
