"""Pages of the programme console: transformation projects from application to acceptance."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, NotFound, ValidationFailed
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.programme.models import InvestmentLine, PilotApplication, Project
from loom.modules.programme.pages import projects_steps
from loom.modules.programme.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    fen_of,
    org_names,
)
from loom.modules.programme.pages.projects_view import (
    INVEST,
    READ,
    WRITE,
    labels,
    project_of,
    refused,
    show,
)
from loom.modules.programme.service import lifecycle
from loom.modules.programme.service import projects as svc
from loom.modules.programme.service.evidence import MAX_BYTES, store, stored_path
from loom.modules.programme.service.plans import active_plan

router = APIRouter()


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
    overdue = lifecycle.overdue_among(db, page.items, today)
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
            **labels(),
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


@router.get("/projects/{project_id:int}")
def project_detail(
    request: Request, project_id: int, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show a project: parties, contract, plan, investment, on-site results, steps."""
    return show(request, db, scope, project_of(db, scope, project_id))


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
        return refused(request, db, scope, project_id, exc)
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
            project = project_of(db, scope, project_id)
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
        return refused(request, db, scope, project_id, exc)
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
        return refused(request, db, scope, project_id, exc)
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
    project = project_of(db, scope, project_id)
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


router.include_router(projects_steps.router)
