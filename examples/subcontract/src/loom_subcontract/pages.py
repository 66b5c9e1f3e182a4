"""HTML pages of the sub-contracting app (Loom mounts them at /apps/subcontract)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom_subcontract import service, summaries
from loom_subcontract.deps import settings_of
from loom_subcontract.export import XLSX_MEDIA_TYPE, jobs_workbook
from loom_subcontract.forms import job_form, parse, receipt_form, rule_error, translator
from loom_subcontract.models import JobStatus, ProcessKind
from loom_subcontract.permissions import JOB_DELETE, JOB_READ, JOB_WRITE
from loom_subcontract.repository import ReceiptRepository
from loom_subcontract.schemas import JobCreate, JobUpdate, ReceiptCreate

router = APIRouter(include_in_schema=False)

BASE = "/apps/subcontract"
PAGE_SIZE = 25


def _status(value: str) -> JobStatus | None:
    return JobStatus(value) if value in {s.value for s in JobStatus} else None


@router.get("/")
def job_list(
    request: Request,
    q: str = Query("", max_length=100),
    status: str = Query(""),
    offset: int = Query(0, ge=0),
    scope: Scope = require(JOB_READ),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """List jobs with search, a status filter and pages."""
    chosen = _status(status)
    page = summaries.job_page(db, scope, q=q, status=chosen, offset=offset, limit=PAGE_SIZE)
    state = {"q": q, "status": chosen.value if chosen else ""}

    def link(to: int) -> str:
        return f"{BASE}/?" + urlencode({**state, "offset": to})

    return render(
        request,
        "subcontract/list.html",
        {
            "page": page,
            **state,
            "statuses": list(JobStatus),
            "prev_url": link(max(0, offset - PAGE_SIZE)) if offset > 0 else "",
            "next_url": link(offset + PAGE_SIZE) if page.has_next else "",
            "export_url": f"{BASE}/jobs.xlsx?" + urlencode(state),
        },
    )


@router.get("/jobs.xlsx")
def export_jobs(
    request: Request,
    q: str = Query("", max_length=100),
    status: str = Query(""),
    scope: Scope = require(JOB_READ),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Download the filtered job list as an Excel workbook."""
    jobs = summaries.matching_jobs(db, scope, q=q, status=_status(status))
    content = jobs_workbook(jobs, translator(request))
    filename = f"subcontract-jobs-{summaries.today().isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX_MEDIA_TYPE, headers=headers)


def _job_form_page(
    request: Request, values: dict[str, str], errors: dict[str, str], job_id: int | None = None
) -> Response:
    action = f"{BASE}/jobs" if job_id is None else f"{BASE}/jobs/{job_id}/edit"
    context = {
        "values": values,
        "errors": errors,
        "action": action,
        "job_id": job_id,
        "processes": list(ProcessKind),
    }
    return render(request, "subcontract/form.html", context, status=422 if errors else 200)


@router.get("/jobs/new")
def new_job(
    request: Request,
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Show an empty job form, dated today and due after the organisation's lead time."""
    sent = summaries.today()
    due = sent + timedelta(days=settings_of(request, db, scope).default_due_days)
    values = {"process": ProcessKind.EMBROIDERY.value, "sent_on": sent.isoformat()}
    return _job_form_page(request, {**values, "due_on": due.isoformat()}, {})


@router.post("/jobs")
def create_job(
    request: Request,
    values: dict[str, str] = Depends(job_form),
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Create a job, or show the form again with what was typed and what is wrong."""
    data, errors = parse(JobCreate, values, request, frozenset({"due_on"}))
    if data is not None:
        try:
            job = service.create_job(db, scope, data, settings_of(request, db, scope))
            return RedirectResponse(f"{BASE}/jobs/{job.id}", status_code=303)
        except service.RuleViolation as exc:
            db.rollback()  # drop anything flushed before the rule broke
            errors = rule_error(request, exc)
    return _job_form_page(request, values, errors)


def _detail(
    request: Request,
    db: Session,
    scope: Scope,
    job_id: int,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    job = summaries.job_summary(db, scope, job_id)
    receipts = ReceiptRepository(db, scope).for_job(job_id)
    context: dict[str, Any] = {
        "job": job,
        "receipts": receipts,
        "values": values or {"qty_defective": "0", "received_on": summaries.today().isoformat()},
        "errors": errors or {},
    }
    return render(request, "subcontract/detail.html", context, status=422 if errors else 200)


@router.get("/jobs/{job_id}")
def job_detail(
    request: Request,
    job_id: int,
    scope: Scope = require(JOB_READ),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Show one job, its receipts and a form to record more."""
    return _detail(request, db, scope, job_id)


@router.get("/jobs/{job_id}/edit")
def edit_job(
    request: Request,
    job_id: int,
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Show the job form filled with the job."""
    job = summaries.job_summary(db, scope, job_id)
    values = {
        "partner": job.partner,
        "process": job.process.value,
        "reference": job.reference,
        "qty_sent": str(job.qty_sent),
        "sent_on": job.sent_on.isoformat(),
        "due_on": job.due_on.isoformat(),
        "note": job.note,
    }
    return _job_form_page(request, values, {}, job_id)


@router.post("/jobs/{job_id}/edit")
def save_job(
    request: Request,
    job_id: int,
    values: dict[str, str] = Depends(job_form),
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Save the edited job, or show the form again with the problems."""
    summaries.job_summary(db, scope, job_id)  # 404 before validation for another tenant's id
    patch, errors = parse(JobUpdate, values, request)
    if patch is not None:
        try:
            service.update_job(db, scope, job_id, patch)
            return RedirectResponse(f"{BASE}/jobs/{job_id}", status_code=303)
        except service.RuleViolation as exc:
            db.rollback()
            errors = rule_error(request, exc)
    return _job_form_page(request, values, errors, job_id)


@router.post("/jobs/{job_id}/receipts")
def add_receipt(
    request: Request,
    job_id: int,
    values: dict[str, str] = Depends(receipt_form),
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Record pieces back, or show the job again with the receipt form's problems."""
    data, errors = parse(ReceiptCreate, values, request, frozenset({"qty_defective"}))
    if data is not None:
        try:
            service.add_receipt(db, scope, job_id, data)
            return RedirectResponse(f"{BASE}/jobs/{job_id}", status_code=303)
        except service.RuleViolation as exc:
            db.rollback()
            errors = rule_error(request, exc)
    return _detail(request, db, scope, job_id, values, errors)


@router.post("/jobs/{job_id}/status")
def change_status(
    job_id: int,
    status: JobStatus = Form(...),
    scope: Scope = require(JOB_WRITE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Close or reopen a job."""
    service.set_status(db, scope, job_id, status)
    return RedirectResponse(f"{BASE}/jobs/{job_id}", status_code=303)


@router.post("/jobs/{job_id}/delete")
def delete_job(
    job_id: int,
    scope: Scope = require(JOB_DELETE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Delete a job and its receipts (the page asks for confirmation first)."""
    service.delete_job(db, scope, job_id)
    return RedirectResponse(f"{BASE}/", status_code=303)


@router.post("/receipts/{receipt_id}/delete")
def delete_receipt(
    receipt_id: int,
    scope: Scope = require(JOB_DELETE),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Delete one receipt and go back to its job."""
    job_id = ReceiptRepository(db, scope).get(receipt_id).job_id
    service.delete_receipt(db, scope, receipt_id)
    return RedirectResponse(f"{BASE}/jobs/{job_id}", status_code=303)
