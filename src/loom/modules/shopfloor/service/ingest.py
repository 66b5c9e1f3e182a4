"""Ingest a batch of scan events: store each once, apply or quarantine it, update the figures.

Everything happens in the caller's transaction, so the events, the quarantine and every counter
they move commit together or not at all; the HTTP route and the MQTT worker acknowledge only
after that commit. Duplicates are recognised by storage key (``engine.keys``).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from loom.kernel.db.base import utcnow
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine import tickets
from loom.modules.shopfloor.engine.events import EventError, ParsedEvent, hour_of, parser
from loom.modules.shopfloor.engine.wire import BatchDecoder, Scan, parse_scans
from loom.modules.shopfloor.models import Quarantined
from loom.modules.shopfloor.service.counters import Deltas, apply_deltas
from loom.modules.shopfloor.service.eventstore import existing_keys, insert_events
from loom.modules.shopfloor.service.resolve import Verdict, judge, load_context

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


def _event_row(org_id: int, event: ParsedEvent, verdict: Verdict, now: Any) -> tuple[Any, ...]:
    # values in eventstore.COLUMNS order
    return (
        org_id,
        event.key,
        event.origin_id,
        event.ts,
        now,
        event.device,
        event.operator,
        event.bundle,
        event.operation,
        event.qty,
        event.kind,
        "quarantined" if verdict.reason else "applied",
        verdict.operator_id,
        verdict.bundle_id,
        verdict.order_id,
        verdict.line_id,
        verdict.sam_e4,
        verdict.rate_e4,
        verdict.final,
    )


def add_applied(deltas: Deltas, event: ParsedEvent, verdict: Verdict) -> None:
    """Add an applied event to the figures."""
    assert verdict.order_id is not None
    assert verdict.operator_id is not None
    deltas.add(
        event.ts,
        event.kind,
        event.qty,
        verdict.order_id,
        event.operation,
        verdict.line_id,
        verdict.operator_id,
        verdict.sam_e4,
        verdict.rate_e4,
        verdict.final,
    )


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
            outcome = _store_with_retry(session, org_id, only.fresh, only.now)
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
        outcome = _store_with_retry(session, org_id, fresh, now)
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


#: PostgreSQL's deadlock and serialisation failures: the transaction may simply be run again
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 4


def _retryable(exc: DBAPIError) -> bool:
    """Return whether a database error is a lost race worth running the batch again for."""
    if isinstance(exc, IntegrityError):
        return True  # another worker applied a "done" of this batch first: judge again
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


@dataclass
class Outcome:
    """Which keys of a store were duplicates, stored (applied or quarantined) and quarantined."""

    duplicates: set[uuid.UUID] = field(default_factory=set)
    stored: set[uuid.UUID] = field(default_factory=set)
    quarantined: set[uuid.UUID] = field(default_factory=set)


def _store_with_retry(
    session: Session,
    org_id: int,
    fresh: dict[uuid.UUID, tuple[int, ParsedEvent]],
    now: Any,
) -> Outcome:
    """Store the batch; on PostgreSQL run it again when it lost a race with another worker."""
    if session.get_bind().dialect.name != "postgresql":
        return _store(session, org_id, fresh, now)
    for attempt in range(ATTEMPTS):
        try:
            # a savepoint, so that a lost race rolls back this batch's rows and locks only
            with session.begin_nested():
                return _store(session, org_id, fresh, now)
        except DBAPIError as exc:
            if attempt + 1 == ATTEMPTS or not _retryable(exc):
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable: the last attempt returns or raises")


def _store(
    session: Session,
    org_id: int,
    fresh: dict[uuid.UUID, tuple[int, ParsedEvent]],
    now: Any,
) -> Outcome:
    outcome = Outcome()
    seen = existing_keys(session, org_id, list(fresh))
    outcome.duplicates.update(seen)
    if seen:
        events = [event for k, (_, event) in fresh.items() if k not in seen]
    else:
        events = [event for _, event in fresh.values()]
    # judge in scan order so that of two "done" scans of one coupon the earlier one counts
    events.sort(key=lambda e: (e.ts, e.key.int))
    done = {(e.bundle, e.operation) for e in events if e.kind == "done"}
    ctx = load_context(
        session,
        org_id,
        {e.bundle for e in events},
        {e.operator for e in events},
        done,
        {e.device for e in events},
    )
    verdicts = [judge(ctx, event) for event in events]
    rows = [_event_row(org_id, e, v, now) for e, v in zip(events, verdicts, strict=True)]
    stored = insert_events(session, rows)
    outcome.stored = stored
    every = len(stored) == len(events)  # always so today; then no key need be looked up
    if not every:
        outcome.duplicates.update(e.key for e in events if e.key not in stored)
    # Applied events summed per (hour, kind, order, operation, line, operator, SAM, rate, final)
    # first: every figure is linear in qty, so adding each group once gives the same counters
    # as adding each event, at a third of the events' count of Deltas.add calls here.
    groups: dict[tuple[Any, ...], int] = {}
    for event, verdict in zip(events, verdicts, strict=True):
        if not every and event.key not in stored:
            continue
        if verdict.reason:
            outcome.quarantined.add(event.key)
            session.add(
                Quarantined(
                    org_id=org_id,
                    event_key=event.key,
                    received_at=now,
                    reason=verdict.reason,
                    detail=verdict.detail,
                    payload=_payload(event),
                )
            )
            continue
        group = (
            hour_of(event.ts),
            event.kind,
            verdict.order_id,
            event.operation,
            verdict.line_id,
            verdict.operator_id,
            verdict.sam_e4,
            verdict.rate_e4,
            verdict.final,
        )
        groups[group] = groups.get(group, 0) + event.qty
    deltas = Deltas()
    add = deltas.add
    for (
        hour,
        kind,
        order_id,
        operation,
        line_id,
        operator_id,
        sam,
        rate,
        final,
    ), qty in groups.items():
        add(hour, kind, qty, order_id, operation, line_id, operator_id, sam, rate, final)
    apply_deltas(session, org_id, deltas)
    session.flush()
    return outcome


def _payload(event: ParsedEvent) -> dict[str, object]:
    return {
        "id": str(event.origin_id or event.key),
        "ts": event.ts.isoformat(),
        "device": event.device,
        "operator": event.operator,
        "bundle": event.bundle,
        "operation": event.operation,
        "qty": event.qty,
        "kind": event.kind,
    }
