"""Pages of the programme console: transformation projects from application to acceptance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, NotFound, ValidationFailed
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import page_context, render
from loom.modules.assessment.models import Assessment
from loom.modules.programme.models import InvestmentLine, PilotApplication, Project, Scenario
from loom.modules.programme.pages.common import (
    ACTION_LABELS,
    BASE,
    CATEGORY_LABELS,
    DB,
    HONOUR_LABELS,
    PAGE_SIZE,
    SECTOR_LABELS,
    STATUS_LABELS,
    cny,
    fen_of,
    org_names,
    translator,
)
from loom.modules.programme.service import lifecycle
from loom.modules.programme.service import projects as svc
from loom.modules.programme.service.evidence import MAX_BYTES, store, stored_path
from loom.modules.programme.service.onsite import (
    Evaluation,
    latest_evaluation,
    onsite_results,
    record_onsite,
)
from loom.modules.programme.service.plans import active_plan, batch_deadline

router = APIRouter()
READ = "programme.project.read"
WRITE = "programme.project.write"
INVEST = "programme.project.invest"
ONSITE = "programme.onsite.record"


def _labels() -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "action_labels": ACTION_LABELS,
        "honour_labels": HONOUR_LABELS,
        "category_labels": CATEGORY_LABELS,
        "sector_labels": SECTOR_LABELS,
        "cny": cny,
    }


@router.get("/projects")
def project_list(
    request: Request,
    status: str = Query("", max_length=30),
    sector: str = Query("", max_length=30),
    batch: str = Query("", max_length=30),
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the projects the organisation owns or takes part in, with overdue flags."""
    page = svc.ProjectRepository(db, scope).listing(
        status=status, sector=sector, batch=batch, q=q, offset=offset, limit=PAGE_SIZE
    )
    today = date.today()
    overdue = {p.id for p in page.items if lifecycle.overdue(db, p, today)}
    names = org_names(
        db, [p.enterprise_org_id for p in page.items] + [p.contractor_org_id for p in page.items]
    )
    candidates: list[PilotApplication] = []
    if scope.can(WRITE) and scope.org_kind == OrgKind.BUREAU:
        taken = select(Project.enterprise_id).where(Project.org_id == scope.org_id)
        candidates = list(
            db.scalars(
                select(PilotApplication)
                .where(
                    PilotApplication.org_id == scope.org_id,
                    PilotApplication.status == "selected",
                    PilotApplication.enterprise_id.not_in(taken),
                )
                .order_by(PilotApplication.id)
            )
        )
    plan = active_plan(db, scope.org_id) if scope.org_kind == OrgKind.BUREAU else None
    return render(
        request,
        "programme/projects_list.html",
        {
            "tab": "projects",
            "page": page,
            "overdue": overdue,
            "names": names,
            "status": status,
            "sector": sector,
            "batch": batch,
            "q": q,
            "candidates": candidates,
            "batches": [b.id for b in plan.batches] if plan else [],
            "can_write": scope.can(WRITE),
            **_labels(),
        },
    )


@router.post("/projects")
def project_create(
    request: Request,
    application_id: int = Form(...),
    title: str = Form("", max_length=200),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Open the project of a selected pilot."""
    project = svc.create(db, scope, application_id=application_id, title=title)
    return RedirectResponse(f"{BASE}/projects/{project.id}", status_code=303)


def _detail(
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
            **_labels(),
        },
        status=status,
    )


def _project(db: Session, scope: Scope, project_id: int) -> Project:
    return svc.get(db, scope, project_id)


def _fail(
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
    project = _project(db, scope, project_id)
    return _detail(request, db, scope, project, message, exc.status_code)


@router.get("/projects/{project_id:int}")
def project_detail(
    request: Request, project_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show a project: parties, contract, plan, investment, on-site results, steps."""
    return _detail(request, db, scope, _project(db, scope, project_id))


@router.post("/projects/{project_id:int}/edit")
def project_edit(
    request: Request,
    project_id: int,
    title: str = Form("", max_length=200),
    contractor: str = Form(""),
    assessor: str = Form(""),
    contract_no: str = Form("", max_length=80),
    contract_signed_on: str = Form(""),
    contract_amount: str = Form(""),
    n_scenarios: list[str] = Form([]),
    x_scenarios: list[str] = Form([]),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Change a project's parties, contract and scenarios."""
    try:
        signed = None
        if contract_signed_on.strip():
            try:
                signed = date.fromisoformat(contract_signed_on.strip())
            except ValueError:
                raise ValidationFailed(
                    "contract_signed_on: a date like 2024-05-31", field="contract_signed_on"
                ) from None
        changes = svc.ProjectChanges(
            title=title or None,
            contractor_org_id=int(contractor) if contractor.isdigit() else None,
            assessor_org_id=int(assessor) if assessor.isdigit() else None,
            contract_no=contract_no,
            contract_signed_on=signed,
            contract_amount_fen=fen_of(contract_amount, "contract_amount")
            if contract_amount.strip()
            else None,
            n_scenarios=n_scenarios,
            x_scenarios=x_scenarios,
        )
        svc.update(db, scope, project_id, changes)
    except DomainError as exc:
        return _fail(request, db, scope, project_id, exc)
    return RedirectResponse(f"{BASE}/projects/{project_id}", status_code=303)


@router.post("/projects/{project_id:int}/investment")
async def investment_add(
    request: Request,
    project_id: int,
    category: str = Form(...),
    description: str = Form("", max_length=500),
    amount: str = Form(""),
    evidence: UploadFile | None = File(None),
    scope: Scope = require(INVEST),
    db: Session = DB,
) -> Response:
    """Add an investment line with an optional evidence file."""
    try:
        stored = None
        if evidence is not None and evidence.filename:
            data = await evidence.read(MAX_BYTES + 1)
            project = _project(db, scope, project_id)
            stored = store(
                runtime_of(request).settings.data_dir,
                project.org_id,
                evidence.filename,
                evidence.content_type or "",
                data,
            )
        svc.add_investment(
            db,
            scope,
            project_id,
            category=category,
            description=description,
            amount_fen=fen_of(amount, "amount"),
            evidence=stored,
        )
    except DomainError as exc:
        return _fail(request, db, scope, project_id, exc)
    return RedirectResponse(f"{BASE}/projects/{project_id}#investment", status_code=303)


@router.post("/projects/{project_id:int}/investment/{line_id:int}/delete")
def investment_delete(
    request: Request,
    project_id: int,
    line_id: int,
    scope: Scope = require(INVEST),
    db: Session = DB,
) -> Response:
    """Delete an investment line (the page asks for confirmation first)."""
    try:
        svc.remove_investment(db, scope, project_id, line_id)
    except DomainError as exc:
        return _fail(request, db, scope, project_id, exc)
    return RedirectResponse(f"{BASE}/projects/{project_id}#investment", status_code=303)


@router.get("/projects/{project_id:int}/investment/{line_id:int}/evidence")
def investment_evidence(
    request: Request,
    project_id: int,
    line_id: int,
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Download an investment line's evidence file."""
    project = _project(db, scope, project_id)
    line = db.scalars(
        select(InvestmentLine).where(
            InvestmentLine.id == line_id, InvestmentLine.project_id == project.id
        )
    ).first()
    if line is None or not line.evidence_sha256:
        raise NotFound("Evidence not found")
    path = stored_path(runtime_of(request).settings.data_dir, project.org_id, line.evidence_sha256)
    if not path.is_file():
        raise NotFound("Evidence not found")
    return FileResponse(path, filename=line.evidence_name)


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
        return _fail(request, db, scope, project_id, exc)
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
        return _fail(request, db, scope, project_id, exc)
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
        return _fail(request, db, scope, project_id, exc)
    return RedirectResponse(f"{BASE}/projects/{project_id}", status_code=303)
