"""The plan page: the cheapest options to a target level, within a budget, and its export."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.pages.common import (
    DB,
    PLAN,
    level_name,
    org_names,
    ruleset_of,
    ruleset_row,
    translator,
)
from loom.modules.assessment.pages.export import XLSX, plan_workbook
from loom.modules.assessment.service import assessments as svc
from loom.modules.assessment.service.planning import PlanRequest, plan_for

router = APIRouter()


def _request(target_level: int, budget: str, subsidy: str) -> PlanRequest:
    amount: Decimal | None = None
    if budget.strip():
        try:
            amount = Decimal(budget.strip().replace(",", ""))
        except InvalidOperation as exc:
            raise ValidationFailed("budget: enter an amount in CNY", field="budget") from exc
        if not amount.is_finite() or amount < 0:
            raise ValidationFailed("budget: enter an amount in CNY", field="budget")
    return PlanRequest(target_level=target_level, budget_cny=amount, subsidy=subsidy != "no")


def _plan(http: Request, db: Session, a: Assessment, request: PlanRequest) -> dict[str, Any]:
    if a.status != "submitted":
        raise ValidationFailed("submit the assessment before planning", field="status")
    # every loaded app may offer options (the programme console: contractors' products)
    return plan_for(db, a, request, runtime_of(http).apps.values())


@router.get("/{assessment_id:int}/plan")
def plan_page(
    request: Request,
    assessment_id: int,
    target_level: int = Query(2, ge=1, le=9),
    budget: str = Query("", max_length=20),
    subsidy: str = Query("yes", pattern="^(yes|no)$"),
    scope: Scope = require(PLAN),
    db: Session = DB,
) -> Response:
    """Show the plan form and the minimum-cost plan to the chosen level."""
    a = svc.get(db, scope, assessment_id)
    rules = ruleset_of(ruleset_row(db, a))
    gettext = translator(request)
    values = {"target_level": target_level, "budget": budget, "subsidy": subsidy}
    context: dict[str, Any] = {
        "a": a,
        "values": values,
        "levels": [rule.level for rule in rules.level_rules.levels],
        "orgs": org_names(db, [a.org_id]),
        "level_name": lambda n: level_name(n, gettext),
        "names": {i.id: i.name for i in rules.indicators()}
        | {s.id: s.name for s in rules.scenes()},
    }
    try:
        context["report"] = _plan(request, db, a, _request(target_level, budget, subsidy))
    except DomainError as exc:
        context["error"] = gettext(exc.template, **exc.params)
        context["error_field"] = exc.field or ""
    return render(
        request, "assessment/plan.html", context, status=422 if "error" in context else 200
    )


@router.get("/{assessment_id:int}/plan.xlsx")
def plan_export(
    request: Request,
    assessment_id: int,
    target_level: int = Query(2, ge=1, le=9),
    budget: str = Query("", max_length=20),
    subsidy: str = Query("yes", pattern="^(yes|no)$"),
    scope: Scope = require(PLAN),
    db: Session = DB,
) -> Response:
    """Download the plan as an Excel workbook."""
    a = svc.get(db, scope, assessment_id)
    report = _plan(request, db, a, _request(target_level, budget, subsidy))
    content = plan_workbook(a, report, translator(request))
    filename = f"assessment-{a.id}-plan-level-{target_level}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)
