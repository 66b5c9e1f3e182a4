"""Write one batch (or a group's merged batches): judge, insert, quarantine and count in SQL.

``ingest.store_many`` calls this inside the caller's transaction; it owns only a savepoint, so
that a failed attempt rolls back its own rows and locks and is run again.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from operator import lt
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from loom.modules.shopfloor.engine.events import EARLIEST, ParsedEvent, hour_of
from loom.modules.shopfloor.models import Quarantined
from loom.modules.shopfloor.service.counters import Deltas, apply_deltas
from loom.modules.shopfloor.service.eventstore import existing_keys, insert_events
from loom.modules.shopfloor.service.resolve import Verdict, judge, load_context

HOUR = timedelta(hours=1)


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
    stored: list[uuid.UUID] = field(default_factory=list)
    quarantined: set[uuid.UUID] = field(default_factory=set)


def store_with_retry(
    session: Session,
    org_id: int,
    fresh: dict[uuid.UUID, tuple[int, ParsedEvent]],
    now: Any,
) -> Outcome:
    """Store the batch betting that none of it is stored yet; look up what is when it is not.

    Resent events and second "done"s are rare, and the keys catch them for free (the primary
    key, the partial unique index of applied "done"s): the first attempt skips both lookups,
    in a savepoint; an IntegrityError rolls it back and a careful attempt looks them up.
    """
    postgresql = session.get_bind().dialect.name == "postgresql"
    for attempt in range(ATTEMPTS if postgresql else 2):
        try:
            # a savepoint, so that a failed attempt rolls back this batch's rows and locks only
            with session.begin_nested():
                return _store(session, org_id, fresh, now, careful=attempt > 0)
        except DBAPIError as exc:
            if not _retryable(exc) or (attempt > 0 and not postgresql):
                raise  # on SQLite a careful attempt has no race to lose: this is a bug
            if attempt + 1 == ATTEMPTS:
                raise
            if attempt > 0:
                time.sleep(0.01 * attempt)
    raise AssertionError("unreachable: the last attempt returns or raises")


def _store(
    session: Session,
    org_id: int,
    fresh: dict[uuid.UUID, tuple[int, ParsedEvent]],
    now: Any,
    *,
    careful: bool = True,
) -> Outcome:
    outcome = Outcome()
    seen = existing_keys(session, org_id, list(fresh)) if careful else set()
    outcome.duplicates.update(seen)
    if seen:
        events = [event for k, (_, event) in fresh.items() if k not in seen]
    else:
        events = [event for _, event in fresh.values()]
    # judge in scan order so that of two "done" scans of one coupon the earlier one counts;
    # a device's batch mostly arrives in that order already, which one pass in C confirms
    times = [e.ts for e in events]
    if not all(map(lt, times, islice(times, 1, None))):
        events.sort(key=lambda e: (e.ts, e.key.int))
    # not careful: no lookup, a "done" applied before makes the insert fail instead
    done = {(e.bundle, e.operation) for e in events if e.kind == "done"} if careful else set()
    ctx = load_context(
        session,
        org_id,
        {e.bundle for e in events},
        {e.operator for e in events},
        done,
        {e.device for e in events},
    )
    verdicts = [judge(ctx, event) for event in events]
    # every event left is new: a key stored meanwhile fails the insert (see store_with_retry)
    insert_events(session, org_id, events, verdicts, now)
    outcome.stored = [e.key for e in events]
    # Applied events summed per (hour, kind, order, operation, line, operator, SAM, rate, final)
    # first: every figure is linear in qty, so adding each group once gives the same counters
    # as adding each event, at a third of the events' count of Deltas.add calls here.
    groups: dict[tuple[Any, ...], int] = {}
    # the events come in time order, so the hour changes rarely: compare rather than truncate
    hour = end = EARLIEST
    for event, verdict in zip(events, verdicts, strict=True):
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
        ts = event.ts
        if not hour <= ts < end:
            hour = hour_of(ts)
            end = hour + HOUR
        group = (
            hour,
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
    add = deltas.add_in_hour
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
