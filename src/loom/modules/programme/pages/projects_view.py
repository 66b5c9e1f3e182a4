"""The project page itself: what it shows and how a refused step is shown on it."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.errors import DomainError
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context, render
from loom.modules.assessment.models import Assessment
from loom.modules.programme.models import Project, Scenario
from loom.modules.programme.pages.common import (
    ACTION_LABELS,
    CATEGORY_LABELS,
    HONOUR_LABELS,
    SECTOR_LABELS,
    STATUS_LABELS,
    cny,
    org_names,
    translator,
)
from loom.modules.programme.service import lifecycle
from loom.modules.programme.service import projects as svc
from loom.modules.programme.service.onsite import (
    latest_evaluation,
    onsite_results,
)
from loom.modules.programme.service.plans import active_plan, batch_deadline

READ = "programme.project.read"
WRITE = "programme.project.write"
INVEST = "programme.project.invest"
ONSITE = "programme.onsite.record"


def labels() -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "honour_labels": HONOUR_LABELS,
        "category_labels": CATEGORY_LABELS,
        "sector_labels": SECTOR_LABELS,
        "cny": cny,
    }


def show(
    request: Request,
    db: Session,
    scope: Scope,
    project: Project,
    error: str = "",
    status: int = 200,
) -> Response:
    today = date.today()
    lines = svc.investment_lines(db, project)
    results = onsite_results(db, project)
    plan = active_plan(db, project.org_id)
    parties = org_names(
        db,
        [
            project.enterprise_org_id,
            project.contractor_org_id,
            project.assessor_org_id,
            project.org_id,
        ],
    )
    is_owner = project.org_id == scope.org_id
    contractors: list[Organisation] = []
    assessors: list[Organisation] = []
    scenarios: list[Scenario] = []
    if is_owner and scope.can(WRITE):
        orgs = db.scalars(
            select(Organisation).where(Organisation.is_active.is_(True)).order_by(Organisation.name)
        )
        for org in orgs:
            if org.kind == OrgKind.CONTRACTOR:
                contractors.append(org)
            elif org.kind == OrgKind.ASSESSOR:
                assessors.append(org)
        scenarios = list(
            db.scalars(
                select(Scenario)
                .where(Scenario.org_id == scope.org_id, Scenario.sector == project.sector)
                .order_by(Scenario.code)
            )
        )
    onsite_choices: list[Assessment] = []
    if scope.org_id == project.assessor_org_id and scope.can(ONSITE):
        onsite_choices = list(
            db.scalars(
                select(Assessment)
                .where(
                    Assessment.assessor_org_id == scope.org_id,
                    Assessment.org_id == project.enterprise_org_id,
                    Assessment.kind == "onsite",
                    Assessment.status == "submitted",
                )
                .order_by(Assessment.assessed_on.desc())
            )
        )
    return render(
        request,
        "programme/projects_detail.html",
        {
            "tab": "projects",
            "p": project,
            "parties": parties,
            "lines": lines,
            "total_fen": sum(line.amount_fen for line in lines),
            "results": results,
            "evaluation": latest_evaluation(db, project),
            "history": lifecycle.history(db, project),
            "actions": [a.value for a in lifecycle.actions_for(db, scope, project)],
            "overdue": lifecycle.overdue(db, project, today),
            "deadline": batch_deadline(plan, project.batch),
            "is_owner": is_owner,
            "can_write": is_owner and scope.can(WRITE),
            "can_invest": scope.can(INVEST) and project.status not in ("accepted", "withdrawn"),
            "can_decide": is_owner
            and scope.can("programme.project.accept")
            and project.status == "onsite_review",
            "contractors": contractors,
            "assessors": assessors,
            "scenarios": scenarios,
            "onsite_choices": onsite_choices,
            "error": error,
            **labels(),
        },
        status=status,
    )


def project_of(db: Session, scope: Scope, project_id: int) -> Project:
    return svc.get(db, scope, project_id)


def refused(
    request: Request, db: Session, scope: Scope, project_id: int, exc: DomainError
) -> Response:
    db.rollback()
    gettext = translator(request)
    problems = getattr(exc, "problems", None)
    if problems:
        # engine refusals carry their own Chinese text next to the English msgid
        chinese = page_context(request)["locale"] == "zh_CN"
        message = "；".join(p.message_zh if chinese else p.message for p in problems)
    else:
        message = gettext(exc.template, **exc.params)
        if isinstance(exc.details, list):
            message += " " + "; ".join(
                str(d.get("message", "")) for d in exc.details if isinstance(d, dict)
            )
    project = project_of(db, scope, project_id)
    return show(request, db, scope, project, message, exc.status_code)
