"""Rules of sub-contracting: what may be sent, received, changed and deleted; all audited.

Services flush and never commit: the request (or the CLI's ``cli_session``) owns the
transaction, so a broken rule rolls back the change and its audit record together.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom_subcontract.i18n import msgid
from loom_subcontract.models import JobStatus, SubcontractJob, SubcontractReceipt
from loom_subcontract.repository import JobRepository, ReceiptRepository, Totals
from loom_subcontract.schemas import JobCreate, JobUpdate, ReceiptCreate, SubcontractSettings

JOB = "subcontract_job"
RECEIPT = "subcontract_receipt"
_JOB_FIELDS = ("partner", "process", "reference", "qty_sent", "sent_on", "due_on", "note")


class RuleViolation(ValidationFailed):
    """A broken business rule; keeps its msgid and values so pages can translate it."""

    def __init__(self, message_id: str, *, field: str, **params: object) -> None:
        super().__init__(message_id % params if params else message_id, field=field)
        self.message_id = message_id
        self.params = params


def _job_data(job: SubcontractJob) -> dict[str, Any]:
    return {
        "partner": job.partner,
        "process": job.process.value,
        "reference": job.reference,
        "qty_sent": job.qty_sent,
        "sent_on": job.sent_on.isoformat(),
        "due_on": job.due_on.isoformat(),
        "status": job.status.value,
        "note": job.note,
    }


def _receipt_data(receipt: SubcontractReceipt) -> dict[str, Any]:
    return {
        "job_id": receipt.job_id,
        "qty_received": receipt.qty_received,
        "qty_defective": receipt.qty_defective,
        "received_on": receipt.received_on.isoformat(),
        "note": receipt.note,
    }


def _check_dates(sent_on: date, due_on: date) -> None:
    if due_on < sent_on:
        raise RuleViolation(
            msgid("The due date cannot be before the date the pieces were sent."), field="due_on"
        )


def create_job(
    session: Session, scope: Scope, data: JobCreate, settings: SubcontractSettings
) -> SubcontractJob:
    """Record pieces sent out; without a due date, use the organisation's default lead time."""
    due_on = data.due_on or data.sent_on + timedelta(days=settings.default_due_days)
    _check_dates(data.sent_on, due_on)
    job = SubcontractJob(
        partner=data.partner,
        process=data.process,
        reference=data.reference,
        qty_sent=data.qty_sent,
        sent_on=data.sent_on,
        due_on=due_on,
        status=JobStatus.OPEN,
        note=data.note,
    )
    JobRepository(session, scope).add(job)
    record_scoped(session, scope, "subcontract.job.created", JOB, job.id, after=_job_data(job))
    return job


def update_job(session: Session, scope: Scope, job_id: int, patch: JobUpdate) -> SubcontractJob:
    """Change the given fields, keeping dates and quantities consistent with the receipts."""
    job = JobRepository(session, scope).get_for_update(job_id)
    given = patch.model_dump(exclude_unset=True)
    for name, value in given.items():
        if value is None:  # an explicit null cannot clear a required column
            raise RuleViolation(msgid("This field cannot be empty."), field=name)
    status = given.pop("status", None)
    sent_on: date = given.get("sent_on", job.sent_on)
    _check_dates(sent_on, given.get("due_on", job.due_on))
    receipts = ReceiptRepository(session, scope)
    returned = receipts.totals([job.id]).get(job.id, Totals()).returned
    if given.get("qty_sent", job.qty_sent) < returned:
        raise RuleViolation(
            msgid("%(returned)s pieces have already come back; send at least that many."),
            field="qty_sent",
            returned=returned,
        )
    first = receipts.first_received_on(job.id)
    if first is not None and sent_on > first:
        raise RuleViolation(
            msgid("A receipt is dated %(date)s; the pieces must have been sent by then."),
            field="sent_on",
            date=first.isoformat(),
        )
    before_all = _job_data(job)
    for name in _JOB_FIELDS:
        if name in given:
            setattr(job, name, given[name])
    session.flush()
    after_all = _job_data(job)
    changed = [k for k in after_all if after_all[k] != before_all[k]]
    if changed:
        record_scoped(
            session,
            scope,
            "subcontract.job.updated",
            JOB,
            job.id,
            before={k: before_all[k] for k in changed},
            after={k: after_all[k] for k in changed},
        )
    if status is not None:
        set_status(session, scope, job.id, JobStatus(status))
    return job


def set_status(session: Session, scope: Scope, job_id: int, status: JobStatus) -> SubcontractJob:
    """Close a job (nothing more is expected back) or reopen it; a no-op if unchanged."""
    job = JobRepository(session, scope).get_for_update(job_id)
    if job.status == status:
        return job
    before = {"status": job.status.value}
    job.status = status
    session.flush()
    action = "subcontract.job.closed" if status == JobStatus.CLOSED else "subcontract.job.reopened"
    record_scoped(
        session, scope, action, JOB, job.id, before=before, after={"status": status.value}
    )
    return job


def delete_job(session: Session, scope: Scope, job_id: int) -> None:
    """Delete a job and its receipts; the audit record keeps what was removed."""
    jobs = JobRepository(session, scope)
    receipts = ReceiptRepository(session, scope)
    job = jobs.get_for_update(job_id)
    children = receipts.for_job(job.id)
    before = {**_job_data(job), "receipts": [_receipt_data(r) for r in children]}
    # Receipts go first: their composite key to the job must never dangle, even mid-flush.
    for receipt in children:
        receipts.delete(receipt)
    jobs.delete(job)
    record_scoped(session, scope, "subcontract.job.deleted", JOB, job_id, before=before)


def add_receipt(
    session: Session, scope: Scope, job_id: int, data: ReceiptCreate
) -> SubcontractReceipt:
    """Record pieces back; received plus defective may never exceed what was sent."""
    job = JobRepository(session, scope).get_for_update(job_id)
    if job.status == JobStatus.CLOSED:
        raise RuleViolation(
            msgid("This job is closed; reopen it before recording pieces."), field="job_id"
        )
    if data.qty_received + data.qty_defective == 0:
        raise RuleViolation(
            msgid("A receipt must bring back at least one piece."), field="qty_received"
        )
    if data.received_on < job.sent_on:
        raise RuleViolation(
            msgid("Pieces cannot come back before they were sent (%(sent)s)."),
            field="received_on",
            sent=job.sent_on.isoformat(),
        )
    receipts = ReceiptRepository(session, scope)
    so_far = receipts.totals([job.id]).get(job.id, Totals()).returned
    outstanding = job.qty_sent - so_far
    if data.qty_received + data.qty_defective > outstanding:
        # Blame the field that tipped it over: the good pieces alone, or the defective ones.
        field = "qty_received" if data.qty_received > outstanding else "qty_defective"
        raise RuleViolation(
            msgid(
                "Received plus defective would be %(total)s, more than the %(sent)s pieces "
                "sent; only %(outstanding)s are still out."
            ),
            field=field,
            total=so_far + data.qty_received + data.qty_defective,
            sent=job.qty_sent,
            outstanding=outstanding,
        )
    receipt = SubcontractReceipt(
        job_id=job.id,
        qty_received=data.qty_received,
        qty_defective=data.qty_defective,
        received_on=data.received_on,
        note=data.note,
    )
    receipts.add(receipt)
    record_scoped(
        session,
        scope,
        "subcontract.receipt.created",
        RECEIPT,
        receipt.id,
        after=_receipt_data(receipt),
    )
    return receipt


def delete_receipt(session: Session, scope: Scope, receipt_id: int) -> None:
    """Delete a receipt recorded by mistake; the pieces count as out again."""
    receipts = ReceiptRepository(session, scope)
    receipt = receipts.get(receipt_id)
    before = _receipt_data(receipt)
    receipts.delete(receipt)
    record_scoped(session, scope, "subcontract.receipt.deleted", RECEIPT, receipt_id, before=before)
