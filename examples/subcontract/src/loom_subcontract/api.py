"""JSON API of the sub-contracting app (Loom mounts it at /api/v1/subcontract)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom_subcontract import service, summaries
from loom_subcontract.deps import settings_of
from loom_subcontract.models import JobStatus
from loom_subcontract.permissions import JOB_DELETE, JOB_READ, JOB_WRITE
from loom_subcontract.repository import JobRepository, ReceiptRepository
from loom_subcontract.schemas import JobCreate, JobOut, JobUpdate, ReceiptCreate, ReceiptOut

router = APIRouter(tags=["subcontract"])


@router.get("/jobs", response_model=PageOut[JobOut])
def list_jobs(
    q: str = Query("", max_length=100, description="Search partner and reference"),
    status: JobStatus | None = Query(None),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(JOB_READ),
    db: Session = Depends(get_db, scope="function"),
) -> PageOut[JobOut]:
    """List jobs, newest sending first, with received, defective and outstanding pieces."""
    page = summaries.job_page(db, scope, q=q, status=status, offset=offset, limit=limit)
    return PageOut.of(page, JobOut)


@router.post("/jobs", response_model=JobOut, status_code=201)
def create_job(
    body: JobCreate,
    request: Request,
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> JobOut:
    """Record pieces sent to a partner."""
    job = service.create_job(db, scope, body, settings_of(request, db, scope))
    return JobOut.model_validate(summaries.job_summary(db, scope, job.id))


@router.get("/jobs/{job_id}", response_model=JobOut)
def read_job(
    job_id: int,
    scope: Scope = require(JOB_READ),
    db: Session = Depends(get_db, scope="function"),
) -> JobOut:
    """Return one job with its totals."""
    return JobOut.model_validate(summaries.job_summary(db, scope, job_id))


@router.patch("/jobs/{job_id}", response_model=JobOut)
def update_job(
    job_id: int,
    body: JobUpdate,
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> JobOut:
    """Change a job; ``{"status": "closed"}`` closes it."""
    service.update_job(db, scope, job_id, body)
    return JobOut.model_validate(summaries.job_summary(db, scope, job_id))


@router.delete("/jobs/{job_id}", status_code=204)
def delete_job(
    job_id: int,
    scope: Scope = require(JOB_DELETE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Delete a job and its receipts."""
    service.delete_job(db, scope, job_id)
    return Response(status_code=204)


@router.get("/jobs/{job_id}/receipts", response_model=list[ReceiptOut])
def list_job_receipts(
    job_id: int,
    scope: Scope = require(JOB_READ),
    db: Session = Depends(get_db, scope="function"),
) -> list[ReceiptOut]:
    """List one job's receipts, oldest first."""
    job = JobRepository(db, scope).get(job_id)
    return [ReceiptOut.model_validate(r) for r in ReceiptRepository(db, scope).for_job(job.id)]


@router.post("/jobs/{job_id}/receipts", response_model=ReceiptOut, status_code=201)
def add_receipt(
    job_id: int,
    body: ReceiptCreate,
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> ReceiptOut:
    """Record pieces back from the partner."""
    return ReceiptOut.model_validate(service.add_receipt(db, scope, job_id, body))


@router.get("/receipts", response_model=PageOut[ReceiptOut])
def list_receipts(
    job_id: int | None = Query(None),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(JOB_READ),
    db: Session = Depends(get_db, scope="function"),
) -> PageOut[ReceiptOut]:
    """List the organisation's receipts, optionally of one job."""
    repo = ReceiptRepository(db, scope)
    return PageOut.of(repo.page(repo.listing(job_id), offset=offset, limit=limit), ReceiptOut)


@router.get("/receipts/{receipt_id}", response_model=ReceiptOut)
def read_receipt(
    receipt_id: int,
    scope: Scope = require(JOB_READ),
    db: Session = Depends(get_db, scope="function"),
) -> ReceiptOut:
    """Return one receipt."""
    return ReceiptOut.model_validate(ReceiptRepository(db, scope).get(receipt_id))


@router.delete("/receipts/{receipt_id}", status_code=204)
def delete_receipt(
    receipt_id: int,
    scope: Scope = require(JOB_DELETE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Delete a receipt recorded by mistake."""
    service.delete_receipt(db, scope, receipt_id)
    return Response(status_code=204)
