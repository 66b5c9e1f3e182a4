"""Who did an operation on a bundle: the applied "done" scan of the shop floor says so."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.models import ScanEvent


def operators_of_bundle(session: Session, scope: Scope, bundle_id: int) -> dict[int, int]:
    """Return {operation id: operator id} of the bundle's applied "done" scans."""
    stmt = select(ScanEvent.operation_id, ScanEvent.operator_id).where(
        ScanEvent.org_id == scope.org_id,
        ScanEvent.bundle_id == bundle_id,
        ScanEvent.kind == "done",
        ScanEvent.status == "applied",
    )
    return {int(op): who for op, who in session.execute(stmt) if who is not None}


def operator_of(
    session: Session, scope: Scope, bundle_id: int | None, operation_id: int | None
) -> int | None:
    """Return the operator whose scan applied ``operation_id`` on the bundle, if any."""
    if bundle_id is None or operation_id is None:
        return None
    # the partial unique index (org, bundle, operation) of applied "done" scans answers this
    stmt = select(ScanEvent.operator_id).where(
        ScanEvent.org_id == scope.org_id,
        ScanEvent.bundle_id == bundle_id,
        ScanEvent.operation_id == operation_id,
        ScanEvent.kind == "done",
        ScanEvent.status == "applied",
    )
    found: int | None = session.scalars(stmt.limit(1)).first()
    return found


def traced(
    session: Session, scope: Scope, bundle_id: int | None, operation_ids: Iterable[int | None]
) -> dict[int, int]:
    """Return {operation id: operator id} for the operations of ``operation_ids`` scanned."""
    if bundle_id is None:
        return {}
    wanted = {op for op in operation_ids if op is not None}
    if not wanted:
        return {}
    return {
        op: who
        for op, who in operators_of_bundle(session, scope, bundle_id).items()
        if op in wanted
    }
