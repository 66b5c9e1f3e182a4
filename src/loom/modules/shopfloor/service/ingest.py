"""Ingest a batch of scan events: store each once, apply or quarantine it, update the figures.

Everything happens in the caller's transaction, so the events, the quarantine and every counter
they move commit together or not at all; the HTTP route and the MQTT worker acknowledge only
after that commit. Duplicates are recognised by storage key (``engine.keys``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from loom.kernel.db.base import utcnow
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine import tickets
from loom.modules.shopfloor.engine.events import EventError, ParsedEvent, parser
from loom.modules.shopfloor.engine.wire import BatchDecoder, Scan, parse_scans
from loom.modules.shopfloor.models import Quarantined
from loom.modules.shopfloor.service.ingest_write import store_with_retry

MAX_BATCH = 10_000
#: the fast path's decoder of a whole body (``engine.wire``), None unless every event is well formed
decode_scans = BatchDecoder(MAX_BATCH)
BAD_SIGNATURE = "sig: the coupon signature does not match its bundle and operation"


@dataclass(frozen=True)
class Rejection:
    """An event refused as malformed, by its index in the batch."""

    index: int
    error: str


@dataclass
class IngestResult:
    """What became of a batch: stored and applied or quarantined, duplicates, refused."""

    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def quarantine_malformed(
    session: Session, org_id: int, item: object, reason: str, detail: str
) -> None:
    """Keep an event that could not even be stored as one, so nothing sent is silently lost."""
    payload = item if isinstance(item, dict) else {"value": item}
    session.add(Quarantined(org_id=org_id, reason=reason, detail=detail[:500], payload=payload))


@dataclass
class Prepared:
    """A batch parsed and verified without the database: what ``store`` then writes."""

    org_id: int
    now: Any
    fresh: dict[uuid.UUID, tuple[int, ParsedEvent]]
    result: IngestResult
    # malformed items with (reason, error), kept for the quarantine when nobody can be answered
    refused: list[tuple[object, str, str]]


def prepare(items: Sequence[object], org_id: int, *, secret_key: str) -> Prepared:
    """Parse and verify every event of a batch; pure, so it runs before any database lock."""
    now = utcnow()
    result = IngestResult()
    verify = tickets.verifier(tickets.ticket_key(secret_key, org_id), org_id)
    parse = parser(now)
    fresh: dict[uuid.UUID, tuple[int, ParsedEvent]] = {}
    refused: list[tuple[object, str, str]] = []
    for index, item in enumerate(items):
        try:
            event = parse(item)
        except EventError as exc:
            reason, error = "malformed", str(exc)
        else:
            if verify(event.bundle, event.operation, event.sig):
                if event.key in fresh:
                    result.duplicates += 1
                else:
                    fresh[event.key] = (index, event)
                continue
            reason, error = "bad_signature", BAD_SIGNATURE
        result.rejected.append(Rejection(index, error))
        refused.append((item, reason, error))
    return Prepared(org_id, now, fresh, result, refused)


def prepare_scans(scans: Sequence[Scan], org_id: int, *, secret_key: str) -> Prepared | None:
    """Prepare a batch the fast decoder took whole; None if an event needs ``prepare``'s words.

    A malformed event or a bad signature sends the batch back to ``prepare``, which names the
    refusal per index and keeps the refused item for the quarantine.
    """
    now = utcnow()
    events = parse_scans(scans, now)
    if events is None:
        return None
    verify = tickets.verifier(tickets.ticket_key(secret_key, org_id), org_id)
    result = IngestResult()
    fresh: dict[uuid.UUID, tuple[int, ParsedEvent]] = {}
    for index, event in enumerate(events):
        if not verify(event.bundle, event.operation, event.sig):
            return None
        if event.key in fresh:
            result.duplicates += 1
        else:
            fresh[event.key] = (index, event)
    return Prepared(org_id, now, fresh, result, [])


def prepare_body(body: bytes, org_id: int, *, secret_key: str) -> Prepared | None:
    """Prepare a JSON body by the fast path; None when ``prepare`` must take its items."""
    scans = decode_scans(body)
    return None if scans is None else prepare_scans(scans, org_id, secret_key=secret_key)


def store(
    session: Session, prepared: Prepared, *, quarantine_rejects: bool = False
) -> IngestResult:
    """Store, judge and apply a prepared batch; flush only (the caller commits)."""
    return store_many(session, [prepared], quarantine_rejects=quarantine_rejects)[0]


def store_many(
    session: Session, batches: Sequence[Prepared], *, quarantine_rejects: bool = False
) -> list[IngestResult]:
    """Store several prepared batches of one organisation as one; return each batch's result.

    Storing them together costs one key lookup, one context, one insert and one upsert per
    counter table for all of them, and neighbouring batches share most counter rows. An event
    sent in two of them counts as a duplicate in the later one, as if they had come one after
    the other. Flush only (the caller commits).
    """
    if not batches:
        return []
    org_id = batches[0].org_id
    if any(b.org_id != org_id for b in batches):
        raise ValueError("batches stored together must belong to one organisation")
    # copies: a group that failed is stored again batch by batch from the same Prepared
    results = [replace(b.result, rejected=list(b.result.rejected)) for b in batches]
    if quarantine_rejects:
        for prepared in batches:
            for item, reason, error in prepared.refused:
                quarantine_malformed(session, org_id, item, reason, error)
    if len(batches) == 1:
        # the common case, without the per-key bookkeeping a group needs (UUIDs hash in Python)
        only = batches[0]
        if only.fresh:
            outcome = store_with_retry(session, org_id, only.fresh, only.now)
            results[0].duplicates += len(outcome.duplicates)
            results[0].accepted += len(outcome.stored)
            results[0].quarantined += len(outcome.quarantined)
        return results
    fresh: dict[uuid.UUID, tuple[int, ParsedEvent]] = {}
    owner: dict[uuid.UUID, int] = {}
    for number, prepared in enumerate(batches):
        for key, item in prepared.fresh.items():
            if key in fresh:
                results[number].duplicates += 1
            else:
                fresh[key] = item
                owner[key] = number
    if fresh:
        # one reception time for the rows of all of them: the latest batch's
        now = max(b.now for b in batches)
        outcome = store_with_retry(session, org_id, fresh, now)
        for key in outcome.duplicates:
            results[owner[key]].duplicates += 1
        for key in outcome.stored:
            results[owner[key]].accepted += 1
        for key in outcome.quarantined:
            results[owner[key]].quarantined += 1
    # No audit event per batch: the stored events are their own append-only trail, and the audit
    # chain's per-organisation lock would serialise ingest workers (decision record 0009).
    return results


def ingest_batch(
    session: Session,
    scope: Scope,
    items: Sequence[object],
    *,
    secret_key: str,
    quarantine_rejects: bool = False,
) -> IngestResult:
    """Prepare and store a batch of raw events for the scope's enterprise; flush only."""
    prepared = prepare(items, scope.org_id, secret_key=secret_key)
    return store(session, prepared, quarantine_rejects=quarantine_rejects)
