"""HTML pages of the sub-contracting app (Loom mounts them at /apps/subcontract)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context, render
from loom_subcontract import service
from loom_subcontract.deps import settings_of
from loom_subcontract.export import XLSX_MEDIA_TYPE, jobs_workbook
from loom_subcontract.i18n import msgid
from loom_subcontract.models import JobStatus, ProcessKind
from loom_subcontract.permissions import JOB_DELETE, JOB_READ, JOB_WRITE
from loom_subcontract.repository import ReceiptRepository
from loom_subcontract.schemas import JobCreate, JobUpdate, ReceiptCreate

router = APIRouter(include_in_schema=False)

BASE = "/apps/subcontract"
PAGE_SIZE = 25
M = TypeVar("M", bound=BaseModel)

# Pydantic's messages are English and technical; a form shows one plain hint per field.
FIELD_HINTS = {
    "partner": msgid("Enter the partner's name (up to 120 characters)."),
    "process": msgid("Choose a process."),
    "reference": msgid("Enter the style or order reference (up to 80 characters)."),
    "qty_sent": msgid("Enter a whole number of pieces, at least 1."),
    "sent_on": msgid("Enter a date as YYYY-MM-DD."),
    "due_on": msgid("Enter a date as YYYY-MM-DD."),
    "received_on": msgid("Enter a date as YYYY-MM-DD."),
    "qty_received": msgid("Enter a whole number of pieces, 0 or more."),
    "qty_defective": msgid("Enter a whole number of pieces, 0 or more."),
    "note": msgid("Keep the note under 1000 characters."),
}


def job_form(
    partner: str = Form(""),
    process: str = Form(""),
    reference: str = Form(""),
    qty_sent: str = Form(""),
    sent_on: str = Form(""),
    due_on: str = Form(""),
    note: str = Form(""),
) -> dict[str, str]:
    """Collect the job form exactly as typed, so a rejected form shows it again."""
    return {
        "partner": partner,
        "process": process,
        "reference": reference,
        "qty_sent": qty_sent,
        "sent_on": sent_on,
        "due_on": due_on,
        "note": note,
    }


def receipt_form(
    qty_received: str = Form(""),
    qty_defective: str = Form("0"),
    received_on: str = Form(""),
    note: str = Form(""),
) -> dict[str, str]:
    """Collect the receipt form exactly as typed."""
    return {
        "qty_received": qty_received,
        "qty_defective": qty_defective,
        "received_on": received_on,
        "note": note,
    }


def _translator(request: Request) -> Callable[..., str]:
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def _parse(
    model: type[M], values: dict[str, str], request: Request, defaults: frozenset[str] = frozenset()
) -> tuple[M | None, dict[str, str]]:
    """Validate form strings into ``model``; on failure return translated hints per field.

    A blank field named in ``defaults`` is left out, so the model's default applies.
    """
    data = {k: v for k, v in values.items() if not (k in defaults and v.strip() == "")}
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        tr = _translator(request)
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "form"
            errors.setdefault(name, tr(FIELD_HINTS.get(name, msgid("Check this value."))))
        return None, errors


def _rule_error(request: Request, exc: service.RuleViolation) -> dict[str, str]:
    return {exc.field or "form": _translator(request)(exc.message_id, **exc.params)}


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
    page = service.job_page(db, scope, q=q, status=chosen, offset=offset, limit=PAGE_SIZE)
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
    jobs = service.matching_jobs(db, scope, q=q, status=_status(status))
    content = jobs_workbook(jobs, _translator(request))
    filename = f"subcontract-jobs-{service.today().isoformat()}.xlsx"
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
    sent = service.today()
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
    data, errors = _parse(JobCreate, values, request, frozenset({"due_on"}))
    if data is not None:
        try:
            job = service.create_job(db, scope, data, settings_of(request, db, scope))
            return RedirectResponse(f"{BASE}/jobs/{job.id}", status_code=303)
        except service.RuleViolation as exc:
            db.rollback()  # drop anything flushed before the rule broke
            errors = _rule_error(request, exc)
    return _job_form_page(request, values, errors)


def _detail(
    request: Request,
    db: Session,
    scope: Scope,
    job_id: int,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    job = service.job_summary(db, scope, job_id)
    receipts = ReceiptRepository(db, scope).for_job(job_id)
    context: dict[str, Any] = {
        "job": job,
        "receipts": receipts,
        "values": values or {"qty_defective": "0", "received_on": service.today().isoformat()},
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
    job = service.job_summary(db, scope, job_id)
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
    service.job_summary(db, scope, job_id)  # 404 before validation for another tenant's id
    patch, errors = _parse(JobUpdate, values, request)
    if patch is not None:
        try:
            service.update_job(db, scope, job_id, patch)
            return RedirectResponse(f"{BASE}/jobs/{job_id}", status_code=303)
        except service.RuleViolation as exc:
            db.rollback()
            errors = _rule_error(request, exc)
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
    data, errors = _parse(ReceiptCreate, values, request, frozenset({"qty_defective"}))
    if data is not None:
        try:
            service.add_receipt(db, scope, job_id, data)
            return RedirectResponse(f"{BASE}/jobs/{job_id}", status_code=303)
        except service.RuleViolation as exc:
            db.rollback()
            errors = _rule_error(request, exc)
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
