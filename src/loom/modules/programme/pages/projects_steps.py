"""Project pages: the steps other than editing — on-site results, the decision, transitions."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.pages.common import (
    BASE,
    DB,
)
from loom.modules.programme.pages.projects_view import ONSITE, READ, refused
from loom.modules.programme.service import lifecycle
from loom.modules.programme.service.onsite import (
    Evaluation,
    record_onsite,
)

router = APIRouter()


@router.post("/projects/{project_id:int}/onsite")
def onsite_record(
    request: Request,
    project_id: int,
    assessment_id: int = Form(...),
    scope: Scope = require(ONSITE),
    db: Session = DB,
) -> Response:
    """Record a submitted on-site assessment on the project (its assessor)."""
    try:
        record_onsite(db, scope, project_id, assessment_id)
    except DomainError as exc:
        return refused(request, db, scope, project_id, exc)
    return RedirectResponse(f"{BASE}/projects/{project_id}#onsite", status_code=303)


def _int(raw: str, field: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValidationFailed(
            "%(field)s: a whole number from 0 to 100", field=field, params={"field": field}
        ) from None


@router.post("/projects/{project_id:int}/decide")
def project_decide(
    request: Request,
    project_id: int,
    effect_score: str = Form(""),
    integration_score: str = Form(""),
    reform_score: str = Form(""),
    io_ratio: str = Form(""),
    decision: str = Form(""),
    reasons: str = Form("", max_length=2000),
    experts: str = Form("", max_length=500),
    scope: Scope = require("programme.project.accept"),
    db: Session = DB,
) -> Response:
    """Record the expert evaluation and accept or send back for rectification."""
    try:
        try:
            ratio = Decimal(io_ratio.strip())
        except InvalidOperation:
            raise ValidationFailed("io_ratio: a number of 0 or more", field="io_ratio") from None
        evaluation = Evaluation(
            effect_score=_int(effect_score, "effect_score"),
            integration_score=_int(integration_score, "integration_score"),
            reform_score=_int(reform_score, "reform_score"),
            io_ratio=ratio,
            decision=decision,
            reasons=reasons,
            experts=experts,
        )
        lifecycle.decide(db, scope, project_id, evaluation)
    except DomainError as exc:
        return refused(request, db, scope, project_id, exc)
    return RedirectResponse(f"{BASE}/projects/{project_id}", status_code=303)


@router.post("/projects/{project_id:int}/transition")
def project_transition(
    request: Request,
    project_id: int,
    action: str = Form(..., max_length=40),
    reason: str = Form("", max_length=1000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Take a lifecycle step; the service checks the step's own permission and rules."""
    try:
        lifecycle.transition(db, scope, project_id, action, reason=reason)
    except DomainError as exc:
        return refused(request, db, scope, project_id, exc)
    return RedirectResponse(f"{BASE}/projects/{project_id}", status_code=303)
