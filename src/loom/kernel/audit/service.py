"""Record audit events in the caller's transaction, chained by SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import event, insert, select, text, update
from sqlalchemy.orm import Session

from loom.kernel.audit.models import SYSTEM_CHAIN, AuditEvent, AuditHead
from loom.kernel.db.base import utcnow
from loom.kernel.tenancy.scope import Actor, Scope

GENESIS = "0" * 64
_ADVISORY_NAMESPACE = 0x4C4F  # "LO": keeps our advisory locks apart from other users'


def canonical(value: Any) -> Any:
    """Return ``value`` as plain JSON data (dates and decimals become strings)."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def event_digest(event: AuditEvent) -> str:
    """Return the SHA-256 over an event's content and its predecessor's hash."""
    body = [
        event.prev_hash,
        event.chain,
        event.seq,
        event.org_id,
        event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        event.actor_kind,
        event.actor_label,
        event.actor_user_id,
        event.action,
        event.target_type,
        event.target_id,
        event.before,
        event.after,
        event.request_id,
    ]
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("audit events are append-only")


def _lock_chain(session: Session, chain: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Serialises writers of one chain until commit; SQLite transactions already start
        # with BEGIN IMMEDIATE (see kernel.db.session), which serialises every writer.
        session.execute(
            text("SELECT pg_advisory_xact_lock(:ns, :chain)"),
            {"ns": _ADVISORY_NAMESPACE, "chain": chain},
        )


def _chained(
    chain: int,
    head: AuditHead | None,
    *,
    org_id: int | None,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object,
    before: Any,
    after: Any,
    request_id: str,
) -> AuditEvent:
    """Return the chain's next event after ``head``, hashed."""
    event = AuditEvent(
        chain=chain,
        seq=(head.seq if head else 0) + 1,
        org_id=org_id,
        at=utcnow(),
        actor_kind=actor.kind,
        actor_label=actor.label,
        actor_user_id=actor.user_id,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        before=canonical(before),
        after=canonical(after),
        request_id=request_id,
        prev_hash=head.hash if head else GENESIS,
    )
    event.hash = event_digest(event)
    return event


def record(
    session: Session,
    *,
    org_id: int | None,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object,
    before: Any = None,
    after: Any = None,
    request_id: str = "",
) -> AuditEvent:
    """Append an event to the organisation's chain inside the caller's transaction."""
    chain = org_id if org_id is not None else SYSTEM_CHAIN
    _lock_chain(session, chain)
    head = session.get(AuditHead, chain, populate_existing=True)
    event = _chained(
        chain,
        head,
        org_id=org_id,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        request_id=request_id,
    )
    if head is None:
        session.add(AuditHead(chain=chain, seq=event.seq, hash=event.hash))
    else:
        head.seq, head.hash = event.seq, event.hash
    session.add(event)
    session.flush()
    return event


def record_each(
    session: Session,
    entries: Sequence[tuple[int, object, Any]],
    *,
    actor: Actor,
    action: str,
    target_type: str,
    request_id: str = "",
) -> list[AuditEvent]:
    """Append one event per ``(org_id, target_id, after)``, each to its organisation's chain.

    What ``record`` would write entry by entry, in four round trips instead of four per entry
    (the brain logs a read of every sharing enterprise on each view). The chains are locked
    in ascending order, so two such writers cannot deadlock on each other.
    """
    chains = sorted({org_id for org_id, _, _ in entries})
    if not chains:
        return []
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(:ns, chain)) "
                "FROM unnest(CAST(:chains AS integer[])) AS chain"
            ),
            {"ns": _ADVISORY_NAMESPACE, "chains": chains},
        )
    # Plain Core statements, not the ORM's unit of work: its flush of one object per event was a
    # third of a brain page view's CPU. ``record`` reads its head with populate_existing, so no
    # AuditHead the session may hold from before is trusted after these writes.
    heads: dict[int, tuple[int, str]] = {
        chain: (seq, digest)
        for chain, seq, digest in session.execute(
            select(AuditHead.chain, AuditHead.seq, AuditHead.hash).where(
                AuditHead.chain.in_(chains)
            )
        )
    }
    new_chains = set(chains) - set(heads)
    events = []
    for org_id, target_id, after in entries:
        found = heads.get(org_id)
        event = _chained(
            org_id,
            None if found is None else AuditHead(chain=org_id, seq=found[0], hash=found[1]),
            org_id=org_id,
            actor=actor,
            action=action,
            target_type=target_type,
            target_id=target_id,
            before=None,
            after=after,
            request_id=request_id,
        )
        heads[org_id] = (event.seq, event.hash)
        events.append(event)
    columns = [c.key for c in AuditEvent.__table__.columns if c.key != "id"]
    # ORM bulk statements: one executemany each, no unit of work, no identity map
    session.execute(insert(AuditEvent), [{k: getattr(e, k) for k in columns} for e in events])
    rows = [{"chain": c, "seq": heads[c][0], "hash": heads[c][1]} for c in chains]
    if new_chains:
        session.execute(insert(AuditHead), [r for r in rows if r["chain"] in new_chains])
    if len(new_chains) < len(rows):
        session.execute(update(AuditHead), [r for r in rows if r["chain"] not in new_chains])
    return events


def record_scoped(
    session: Session,
    scope: Scope,
    action: str,
    target_type: str,
    target_id: object,
    *,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append an event for the scope's organisation, actor and request."""
    return record(
        session,
        org_id=scope.org_id,
        actor=scope.actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
        request_id=scope.request_id,
    )


def daily_counts(session: Session, org_id: int, days: int = 14) -> list[tuple[str, int]]:
    """Return (ISO date, events) for each of the last ``days`` UTC days, oldest first."""
    today = utcnow().date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=UTC)
    stamps = session.scalars(
        select(AuditEvent.at).where(AuditEvent.org_id == org_id, AuditEvent.at >= since)
    )
    counts = Counter(stamp.date() for stamp in stamps)
    return [
        ((first + timedelta(days=i)).isoformat(), counts.get(first + timedelta(days=i), 0))
        for i in range(days)
    ]


def latest_events(session: Session, org_id: int, limit: int = 10) -> list[AuditEvent]:
    """Return the newest events of one organisation."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.org_id == org_id)
        .order_by(AuditEvent.seq.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))
