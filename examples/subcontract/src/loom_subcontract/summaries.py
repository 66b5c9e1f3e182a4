"""Read side: jobs with what their receipts add up to (received, defective, out, overdue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from loom.kernel.db.repository import Page
from loom.kernel.tenancy.scope import Scope
from loom_subcontract.models import JobStatus, ProcessKind, SubcontractJob
from loom_subcontract.repository import JobRepository, ReceiptRepository, Totals


@dataclass(frozen=True)
class JobSummary:
    """A job with the quantities its receipts add up to, as lists, pages and exports show it."""

    id: int
    partner: str
    process: ProcessKind
    reference: str
    qty_sent: int
    sent_on: date
    due_on: date
    status: JobStatus
    note: str
    created_at: datetime
    updated_at: datetime
    received: int
    defective: int
    outstanding: int
    overdue: bool

    @classmethod
    def of(cls, job: SubcontractJob, totals: Totals, today: date) -> JobSummary:
        """Combine a job with its totals; closed jobs are settled, so never overdue."""
        outstanding = job.qty_sent - totals.returned
        return cls(
            id=job.id,
            partner=job.partner,
            process=job.process,
            reference=job.reference,
            qty_sent=job.qty_sent,
            sent_on=job.sent_on,
            due_on=job.due_on,
            status=job.status,
            note=job.note,
            created_at=job.created_at,
            updated_at=job.updated_at,
            received=totals.received,
            defective=totals.defective,
            outstanding=outstanding,
            overdue=job.status == JobStatus.OPEN and job.due_on < today and outstanding > 0,
        )


def today() -> date:
    """Return today's date on the server, the reference for being overdue."""
    # Loom has no per-organisation time zone yet; the server runs in the district's zone.
    return date.today()


def summarise(session: Session, scope: Scope, jobs: list[SubcontractJob]) -> list[JobSummary]:
    """Return the jobs with their receipt totals, in the same order."""
    totals = ReceiptRepository(session, scope).totals([job.id for job in jobs])
    now = today()
    return [JobSummary.of(job, totals.get(job.id, Totals()), now) for job in jobs]


def job_page(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    status: JobStatus | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[JobSummary]:
    """Return one page of matching jobs with their totals."""
    repo = JobRepository(session, scope)
    page = repo.page(repo.search(q, status), offset=offset, limit=limit)
    items = summarise(session, scope, list(page.items))
    return Page(items=items, total=page.total, offset=page.offset, limit=page.limit)


def matching_jobs(
    session: Session, scope: Scope, *, q: str = "", status: JobStatus | None = None
) -> list[JobSummary]:
    """Return every matching job with its totals (for exports)."""
    jobs = list(session.scalars(JobRepository(session, scope).search(q, status)))
    return summarise(session, scope, jobs)


def job_summary(session: Session, scope: Scope, job_id: int) -> JobSummary:
    """Return one job with its totals, or raise NotFound."""
    return summarise(session, scope, [JobRepository(session, scope).get(job_id)])[0]


def overdue_jobs(session: Session, scope: Scope, on: date | None = None) -> list[JobSummary]:
    """Return open jobs whose due date has passed while pieces are still out."""
    receipts = ReceiptRepository(session, scope)
    jobs = JobRepository(session, scope).overdue(on or today(), receipts.totals_subquery())
    return summarise(session, scope, jobs)
