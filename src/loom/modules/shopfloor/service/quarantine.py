"""The quarantine: events that could not be applied, fixed and re-applied or discarded by people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.events import ParsedEvent
from loom.modules.shopfloor.models import Quarantined, ScanEvent
from loom.modules.shopfloor.service.counters import Deltas, apply_deltas
from loom.modules.shopfloor.service.ingest_write import add_applied
from loom.modules.shopfloor.service.resolve import judge, load_context

REASONS = (
    "unknown_bundle",
    "unknown_operation",
    "unknown_operator",
    "qty_exceeds_bundle",
    "no_rate",
    "done_twice",
    "not_assigned",
    "bad_signature",
    "malformed",
)
#: for each reason a fix can still fail with: the field to correct, and the message (a msgid)
_REFUSALS = {
    "unknown_bundle": ("bundle_no", "bundle_no: no bundle has this number"),
    "unknown_operation": (
        "operation_id",
        "operation_id: this operation is not in the routing of the bundle's style",
    ),
    "unknown_operator": ("operator_code", "operator_code: no operator has this badge code"),
    "qty_exceeds_bundle": ("bundle_no", "bundle_no: the event's quantity exceeds this bundle"),
    "no_rate": ("operation_id", "operation_id: no piece rate is valid on the scan's day"),
    "done_twice": ("operation_id", "operation_id: this operation of the bundle is already done"),
    "not_assigned": (
        "operator_code",
        "operator_code: the published line plan gives this operation to another operator",
    ),
}


class QuarantineRepository(TenantRepository[Quarantined]):
    """The scope's enterprise's quarantined events."""

    model = Quarantined


def search(
    session: Session,
    scope: Scope,
    *,
    status: str = "open",
    reason: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Page[Quarantined]:
    """Return quarantined events, newest first, by status and optionally reason."""
    repo = QuarantineRepository(session, scope)
    stmt = repo.select().order_by(Quarantined.id.desc())
    if status:
        stmt = stmt.where(Quarantined.status == status)
    if reason:
        stmt = stmt.where(Quarantined.reason == reason)
    return repo.page(stmt, offset=offset, limit=limit)


def _open_entry(session: Session, scope: Scope, quarantine_id: int) -> Quarantined:
    entry = QuarantineRepository(session, scope).get(quarantine_id)
    if entry.status != "open":
        raise Conflict(
            "this quarantined event is already %(status)s", params={"status": entry.status}
        )
    return entry


def _stored_event(session: Session, entry: Quarantined) -> ScanEvent:
    if entry.event_key is None:
        raise Conflict("this entry holds no stored event (it was malformed): discard it")
    event = session.scalar(
        select(ScanEvent).where(ScanEvent.org_id == entry.org_id, ScanEvent.key == entry.event_key)
    )
    if event is None:  # pragma: no cover - the key always points at a stored event
        raise Conflict("the quarantined event is missing")
    return event


def _close(entry: Quarantined, scope: Scope, status: str) -> None:
    entry.status = status
    entry.resolved_at = utcnow()
    entry.resolved_by = scope.actor.label


def fix(
    session: Session,
    scope: Scope,
    quarantine_id: int,
    *,
    bundle_no: int | None = None,
    operation_id: int | None = None,
    operator_code: str | None = None,
    anyway: bool = False,
) -> Quarantined:
    """Correct a quarantined event's references and apply it; 422 naming the field if still bad.

    With ``anyway`` the line's published plan is not checked: a supervisor confirms that this
    operator really did the operation (covering for an absent colleague is normal).
    """
    entry = _open_entry(session, scope, quarantine_id)
    row = _stored_event(session, entry)
    before = {
        "bundle_no": row.bundle_no,
        "operation_id": row.operation_id,
        "operator_code": row.operator_code,
    }
    if bundle_no is not None:
        row.bundle_no = bundle_no
    if operation_id is not None:
        row.operation_id = operation_id
    if operator_code is not None:
        row.operator_code = operator_code.strip()
    parsed = ParsedEvent(
        key=row.key,
        origin_id=row.origin_id,
        ts=row.ts,
        device=row.device,
        operator=row.operator_code,
        bundle=row.bundle_no,
        operation=row.operation_id,
        qty=row.qty,
        kind=row.kind,
        sig="",
    )
    pair = {(parsed.bundle, parsed.operation)} if parsed.kind == "done" else set()
    devices = () if anyway else {parsed.device}
    ctx = load_context(session, scope.org_id, {parsed.bundle}, {parsed.operator}, pair, devices)
    verdict = judge(ctx, parsed)
    if verdict.reason:
        field, message = _REFUSALS[verdict.reason]
        raise ValidationFailed(message, field=field)
    row.status = "applied"
    row.operator_id = verdict.operator_id
    row.bundle_id = verdict.bundle_id
    row.order_id = verdict.order_id
    row.line_id = verdict.line_id
    row.sam_e4 = verdict.sam_e4
    row.rate_e4 = verdict.rate_e4
    row.final = verdict.final
    session.flush()
    deltas = Deltas()
    add_applied(deltas, parsed, verdict)
    apply_deltas(session, scope.org_id, deltas)
    _close(entry, scope, "fixed")
    after: dict[str, Any] = {
        "bundle_no": row.bundle_no,
        "operation_id": row.operation_id,
        "operator_code": row.operator_code,
    }
    if anyway:
        after["plan_overridden"] = True
    record_scoped(
        session,
        scope,
        "shopfloor.quarantine.fixed",
        "quarantined_event",
        entry.id,
        before=before,
        after=after,
    )
    session.flush()
    return entry


def discard(session: Session, scope: Scope, quarantine_id: int) -> Quarantined:
    """Set a quarantined event aside for good; it never counts."""
    entry = _open_entry(session, scope, quarantine_id)
    if entry.event_key is not None:
        _stored_event(session, entry).status = "discarded"
    _close(entry, scope, "discarded")
    snapshot: dict[str, Any] = {"reason": entry.reason, "detail": entry.detail}
    record_scoped(
        session,
        scope,
        "shopfloor.quarantine.discarded",
        "quarantined_event",
        entry.id,
        before=snapshot,
        after={"status": "discarded"},
    )
    session.flush()
    return entry
