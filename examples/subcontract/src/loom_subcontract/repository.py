"""Queries of the sub-contracting app; every one runs inside the caller's tenant scope."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, Subquery, func, or_, select

from loom.kernel.db.repository import TenantRepository
from loom.kernel.errors import NotFound
from loom_subcontract.models import JobStatus, SubcontractJob, SubcontractReceipt


class Totals(NamedTuple):
    """Pieces back from the partner for one job, summed over its receipts."""

    received: int = 0
    defective: int = 0

    @property
    def returned(self) -> int:
        """Return all pieces back, good or not."""
        return self.received + self.defective


class JobRepository(TenantRepository[SubcontractJob]):
    """Jobs of one organisation."""

    model = SubcontractJob

    def search(self, q: str = "", status: JobStatus | None = None) -> Select[SubcontractJob]:
        """Return jobs matching ``q`` on partner or reference, newest sending first."""
        stmt = self.select()
        needle = q.strip()
        if needle:
            stmt = stmt.where(
                or_(
                    SubcontractJob.partner.icontains(needle, autoescape=True),
                    SubcontractJob.reference.icontains(needle, autoescape=True),
                )
            )
        if status is not None:
            stmt = stmt.where(SubcontractJob.status == status)
        return stmt.order_by(SubcontractJob.sent_on.desc(), SubcontractJob.id.desc())

    def get_for_update(self, job_id: int) -> SubcontractJob:
        """Return the job locked until commit, or raise NotFound.

        Receipts and quantity changes check a sum against the job; the row lock stops two
        PostgreSQL transactions from both passing that check (SQLite already serialises
        writers with BEGIN IMMEDIATE and ignores FOR UPDATE).
        """
        stmt = self.select().where(SubcontractJob.id == job_id).with_for_update()
        job = self.session.scalars(stmt).first()
        if job is None:
            raise NotFound(f"sub-contracting job {job_id} not found", field="job_id")
        return job

    def overdue(self, today: date, totals: Subquery) -> list[SubcontractJob]:
        """Return open jobs past their due date with pieces still out, most overdue first."""
        returned = func.coalesce(totals.c.received, 0) + func.coalesce(totals.c.defective, 0)
        stmt = (
            self.select()
            .outerjoin(totals, totals.c.job_id == SubcontractJob.id)
            .where(
                SubcontractJob.status == JobStatus.OPEN,
                SubcontractJob.due_on < today,
                SubcontractJob.qty_sent > returned,
            )
            .order_by(SubcontractJob.due_on, SubcontractJob.id)
        )
        return list(self.session.scalars(stmt))


class ReceiptRepository(TenantRepository[SubcontractReceipt]):
    """Receipts of one organisation."""

    model = SubcontractReceipt

    def listing(self, job_id: int | None = None) -> Select[SubcontractReceipt]:
        """Return receipts, of one job when given, oldest first."""
        stmt = self.select()
        if job_id is not None:
            stmt = stmt.where(SubcontractReceipt.job_id == job_id)
        return stmt.order_by(SubcontractReceipt.received_on, SubcontractReceipt.id)

    def for_job(self, job_id: int) -> list[SubcontractReceipt]:
        """Return every receipt of one job, oldest first."""
        return list(self.session.scalars(self.listing(job_id)))

    def totals_subquery(self) -> Subquery:
        """Return per-job sums of this tenant's receipts, to join against jobs."""
        return (
            select(
                SubcontractReceipt.job_id.label("job_id"),
                func.sum(SubcontractReceipt.qty_received).label("received"),
                func.sum(SubcontractReceipt.qty_defective).label("defective"),
            )
            .where(SubcontractReceipt.org_id == self.scope.org_id)
            .group_by(SubcontractReceipt.job_id)
            .subquery("receipt_totals")
        )

    def totals(self, job_ids: Collection[int] | None = None) -> dict[int, Totals]:
        """Return the sums per job id, for the given jobs or all of them."""
        sums = self.totals_subquery()
        stmt = select(sums.c.job_id, sums.c.received, sums.c.defective)
        if job_ids is not None:
            if not job_ids:
                return {}
            stmt = stmt.where(sums.c.job_id.in_(list(job_ids)))
        return {
            int(job_id): Totals(int(received or 0), int(defective or 0))
            for job_id, received, defective in self.session.execute(stmt)
        }

    def first_received_on(self, job_id: int) -> date | None:
        """Return the date of the job's earliest receipt, if it has any."""
        stmt = select(func.min(SubcontractReceipt.received_on)).where(
            SubcontractReceipt.org_id == self.scope.org_id, SubcontractReceipt.job_id == job_id
        )
        return self.session.scalar(stmt)
