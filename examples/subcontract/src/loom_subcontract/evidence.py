"""What sub-contract tracking proves for the national digital-level assessment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.db.base import utcnow
from loom.kernel.plugins.spec import Evidence
from loom.kernel.tenancy.scope import Scope
from loom_subcontract.models import SubcontractJob, SubcontractReceipt

WINDOW_DAYS = 90
# Scene S11 采购管理: level 1 = purchase records kept with IT tools; level 2 = purchase orders
# and their progress managed in an information system. Outsourced processing orders with
# their returns recorded here are such records; ten or more in the window show routine use.
ROUTINE_JOBS = 10


def purchase_evidence(session: Session, scope: Scope) -> Sequence[Evidence]:
    """Return evidence for scene S11 from the last 90 days of sub-contract jobs."""
    since = (utcnow() - timedelta(days=WINDOW_DAYS)).date()
    jobs = (
        session.scalar(
            select(func.count())
            .select_from(SubcontractJob)
            .where(SubcontractJob.org_id == scope.org_id, SubcontractJob.sent_on >= since)
        )
        or 0
    )
    receipts = (
        session.scalar(
            select(func.count())
            .select_from(SubcontractReceipt)
            .where(
                SubcontractReceipt.org_id == scope.org_id, SubcontractReceipt.received_on >= since
            )
        )
        or 0
    )
    if jobs == 0:
        return []
    level = 2 if jobs >= ROUTINE_JOBS and receipts > 0 else 1
    summary = (
        f"{jobs} outsourced processing orders and {receipts} returns recorded in Loom "
        f"in the last {WINDOW_DAYS} days"
    )
    return [
        Evidence(
            item_id="S11",
            summary=summary,
            suggested_level=level,
            details={"jobs": jobs, "receipts": receipts, "window_days": WINDOW_DAYS},
        )
    ]
