"""The programme as data: a bureau's published plan versions, the built-in one by default."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import PermissionDenied
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.engine import Plan, builtin_plan, builtin_plan_text, load_plan

__all__ = ["builtin_plan", "builtin_plan_text"]
from loom.modules.programme.models import PlanVersion


@lru_cache(maxsize=32)
def _parsed(version_id: int, text: str) -> Plan:
    # keyed by row id and text: a republished plan is a new row, so entries never go stale
    return load_plan(text)


def active_version(session: Session, bureau_org_id: int) -> PlanVersion | None:
    """Return the bureau's active published plan version, if it published one."""
    return session.scalars(
        select(PlanVersion)
        .where(PlanVersion.bureau_org_id == bureau_org_id, PlanVersion.active.is_(True))
        .order_by(PlanVersion.version.desc())
    ).first()


def active_plan(session: Session, bureau_org_id: int) -> Plan:
    """Return the plan the bureau works to: its active version, else the one shipped."""
    row = active_version(session, bureau_org_id)
    if row is None:
        return builtin_plan()
    return _parsed(row.id, row.document_json)


def batch_deadline(plan: Plan, batch: str | None) -> date | None:
    """Return the deadline of a batch of the plan (``None`` if unknown)."""
    return plan.batch_deadline(batch)


def versions(session: Session, bureau_org_id: int) -> list[PlanVersion]:
    """Return the bureau's published versions, newest first."""
    return list(
        session.scalars(
            select(PlanVersion)
            .where(PlanVersion.bureau_org_id == bureau_org_id)
            .order_by(PlanVersion.version.desc())
        )
    )


def publish(session: Session, scope: Scope, text: str | None = None, note: str = "") -> PlanVersion:
    """Validate and publish a plan version (the shipped one when ``text`` is None).

    Raises ``PlanError`` naming the JSON path of every problem; the previous version stays
    active until a valid one replaces it.
    """
    if scope.org_kind != OrgKind.BUREAU:
        raise PermissionDenied("only a bureau publishes its action plan")
    text = builtin_plan_text() if text is None else text
    plan = load_plan(text)
    latest = session.scalar(
        select(func.max(PlanVersion.version)).where(PlanVersion.bureau_org_id == scope.org_id)
    )
    session.execute(
        update(PlanVersion).where(PlanVersion.bureau_org_id == scope.org_id).values(active=False)
    )
    row = PlanVersion(
        bureau_org_id=scope.org_id,
        version=(latest or 0) + 1,
        code=plan.id,
        title=plan.title,
        document_json=text,
        active=True,
        note=note.strip()[:500],
        published_by=scope.actor.label,
    )
    session.add(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.plan.published",
        "plan",
        row.id,
        after={"version": row.version, "code": row.code, "note": row.note},
    )
    return row
