"""JSON API of the programme console: transformation projects."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut
from loom.modules.programme.models import Project
from loom.modules.programme.pages.common import DB
from loom.modules.programme.schemas.projects import (
    DecisionIn,
    InvestmentIn,
    InvestmentOut,
    OnsiteIn,
    OnsiteOut,
    ProjectCreate,
    ProjectDetail,
    ProjectOut,
    ProjectPatch,
    TransitionIn,
    TransitionOut,
)
from loom.modules.programme.service import lifecycle
from loom.modules.programme.service import projects as svc
from loom.modules.programme.service.onsite import Evaluation, onsite_results, record_onsite
from loom.modules.programme.service.plans import active_plan, batch_deadline

router = APIRouter()
READ = "programme.project.read"


def _out(db: Session, project: Project) -> ProjectOut:
    out = ProjectOut.model_validate(project)
    out.overdue = lifecycle.overdue(db, project, date.today())
    return out


def _detail(db: Session, scope: Scope, project: Project) -> ProjectDetail:
    lines = svc.investment_lines(db, project)
    results = onsite_results(db, project)
    base = _out(db, project).model_dump()
    return ProjectDetail(
        **base,
        investment=[InvestmentOut.model_validate(line) for line in lines],
        investment_total_fen=sum(line.amount_fen for line in lines),
        onsite=[OnsiteOut.model_validate(r) for r in results.values()],
        history=[TransitionOut.model_validate(t) for t in lifecycle.history(db, project)],
        actions=[a.value for a in lifecycle.actions_for(db, scope, project)],
        deadline=batch_deadline(active_plan(db, project.org_id), project.batch),
    )


@router.get("/projects", response_model=PageOut[ProjectOut])
def list_projects(
    status: str = Query("", max_length=30),
    sector: str = Query("", max_length=30),
    batch: str = Query("", max_length=30),
    q: str = Query("", max_length=100),
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Any:
    """List projects the organisation owns or takes part in."""
    page = svc.ProjectRepository(db, scope).listing(
        status=status, sector=sector, batch=batch, q=q, offset=offset, limit=limit
    )
    return {
        "items": [_out(db, p) for p in page.items],
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
        "next_offset": page.offset + len(page.items) if page.has_next else None,
    }


@router.post("/projects", response_model=ProjectDetail, status_code=201)
def create_project(
    body: ProjectCreate, scope: Scope = require("programme.project.write"), db: Session = DB
) -> Any:
    """Open the project of a selected pilot."""
    project = svc.create(db, scope, application_id=body.application_id, title=body.title)
    return _detail(db, scope, project)


@router.get("/projects/{project_id}", response_model=ProjectDetail)
def get_project(project_id: int, scope: Scope = require(READ), db: Session = DB) -> Any:
    """Return a project with its investment, on-site results, history and next steps."""
    return _detail(db, scope, svc.get(db, scope, project_id))


@router.patch("/projects/{project_id}", response_model=ProjectDetail)
def patch_project(
    project_id: int,
    body: ProjectPatch,
    scope: Scope = require("programme.project.write"),
    db: Session = DB,
) -> Any:
    """Change a project's parties, contract or scenarios."""
    project = svc.update(db, scope, project_id, svc.ProjectChanges(**body.model_dump()))
    return _detail(db, scope, project)


@router.post("/projects/{project_id}/transitions", response_model=ProjectDetail)
def transition(
    project_id: int, body: TransitionIn, scope: Scope = require(READ), db: Session = DB
) -> Any:
    """Take a lifecycle step; the step's own permission and rules are checked by the service."""
    project = lifecycle.transition(db, scope, project_id, body.action, reason=body.reason)
    return _detail(db, scope, project)


@router.post("/projects/{project_id}/investment", response_model=InvestmentOut, status_code=201)
def add_investment(
    project_id: int,
    body: InvestmentIn,
    scope: Scope = require("programme.project.invest"),
    db: Session = DB,
) -> Any:
    """Add an investment line."""
    return svc.add_investment(
        db,
        scope,
        project_id,
        category=body.category,
        description=body.description,
        amount_fen=body.amount_fen,
        product_id=body.product_id,
    )


@router.delete("/projects/{project_id}/investment/{line_id}", status_code=204)
def delete_investment(
    project_id: int,
    line_id: int,
    scope: Scope = require("programme.project.invest"),
    db: Session = DB,
) -> None:
    """Delete an investment line of an open project."""
    svc.remove_investment(db, scope, project_id, line_id)


@router.post("/projects/{project_id}/onsite", response_model=OnsiteOut, status_code=201)
def record(
    project_id: int,
    body: OnsiteIn,
    scope: Scope = require("programme.onsite.record"),
    db: Session = DB,
) -> Any:
    """Record a submitted on-site assessment on the project (its assessor)."""
    return record_onsite(db, scope, project_id, body.assessment_id)


@router.post("/projects/{project_id}/decision", response_model=ProjectDetail)
def decide(
    project_id: int,
    body: DecisionIn,
    scope: Scope = require("programme.project.accept"),
    db: Session = DB,
) -> Any:
    """Record the expert evaluation and accept or require rectification."""
    project = lifecycle.decide(db, scope, project_id, Evaluation(**body.model_dump()))
    return _detail(db, scope, project)
