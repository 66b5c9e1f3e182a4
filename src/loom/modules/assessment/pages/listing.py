"""The list of assessments, starting a new one, and the before/after comparison."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, PermissionDenied
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.assessment.pages.common import (
    BASE,
    DB,
    ONSITE,
    READ,
    WRITE,
    org_names,
    ruleset_of,
    ruleset_row,
    translator,
)
from loom.modules.assessment.service import assessments as svc
from loom.modules.assessment.service.compare import compare
from loom.modules.assessment.service.rulesets import list_rulesets
from loom.modules.assessment.service.summaries import list_view

router = APIRouter()
PAGE_SIZE = 25


@router.get("/")
def assessment_list(
    request: Request,
    kind: str = Query("", pattern="^(|self|onsite)$"),
    phase: str = Query("", pattern="^(|before|after)$"),
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the assessments of (or, for assessors, by) this organisation."""
    page, submitted = list_view(
        db, scope, kind=kind, phase=phase, q=q, offset=offset, limit=PAGE_SIZE
    )
    names = {a.org_id: a.org_name for a in [*page.items, *submitted] if a.org_name is not None}
    return render(
        request,
        "assessment/list.html",
        {
            "page": page,
            "kind": kind,
            "phase": phase,
            "q": q,
            "names": names,
            "submitted": submitted,
            "can_self": scope.can(WRITE) and scope.org_kind == OrgKind.ENTERPRISE,
            "can_onsite": scope.can(ONSITE) and scope.org_kind == OrgKind.ASSESSOR,
        },
    )


def _new_page(
    request: Request, db: Session, scope: Scope, values: dict[str, str], error: str = ""
) -> Response:
    onsite = scope.org_kind == OrgKind.ASSESSOR
    context = {
        "values": values,
        "error": error,
        "onsite": onsite,
        "enterprises": svc.enterprises(db) if onsite else [],
        "rulesets": list_rulesets(db),
    }
    return render(request, "assessment/new.html", context, status=422 if error else 200)


def _may_start(scope: Scope) -> None:
    if not (scope.can(WRITE) or scope.can(ONSITE)):
        raise PermissionDenied("only managers fill in and submit assessments")


@router.get("/new")
def new_assessment(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Show the form that starts a self-assessment or an on-site assessment."""
    _may_start(scope)
    values = {"phase": "before", "assessed_on": date.today().isoformat()}
    return _new_page(request, db, scope, values)


@router.post("/new")
def create_assessment(
    request: Request,
    phase: str = Form("before"),
    assessed_on: str = Form(""),
    title: str = Form(""),
    ruleset: str = Form(""),
    enterprise: str = Form(""),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Start the assessment and open its questionnaire, or show the form with the problem."""
    _may_start(scope)
    values = {
        "phase": phase,
        "assessed_on": assessed_on,
        "title": title,
        "ruleset": ruleset,
        "enterprise": enterprise,
    }
    gettext = translator(request)
    try:
        day = date.fromisoformat(assessed_on)
    except ValueError:
        return _new_page(request, db, scope, values, gettext("Enter a date as YYYY-MM-DD."))
    try:
        a = svc.create(
            db,
            scope,
            phase=phase,
            assessed_on=day,
            title=title,
            ruleset=ruleset or None,
            enterprise_org_id=int(enterprise) if enterprise.isdigit() else None,
        )
    except DomainError as exc:
        db.rollback()
        return _new_page(request, db, scope, values, gettext(exc.template, **exc.params))
    return RedirectResponse(f"{BASE}/{a.id}", status_code=303)


@router.get("/compare")
def compare_page(
    request: Request,
    before: int = Query(...),
    after: int = Query(...),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show a before and an after assessment side by side, with the change per item."""
    first, second = svc.get(db, scope, before), svc.get(db, scope, after)
    c = compare(first, second)
    rules = ruleset_of(ruleset_row(db, second))
    names: dict[str, Any] = {i.id: i.name for i in rules.indicators()}
    names |= {s.id: s.name for s in rules.scenes()}
    maxima = {i.id: float(i.max_points) for i in rules.indicators()}
    return render(
        request,
        "assessment/compare.html",
        {"c": c, "names": names, "maxima": maxima, "orgs": org_names(db, [first.org_id])},
    )
