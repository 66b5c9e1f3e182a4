"""Transformation projects: creation, contract and scenarios, parties, investment lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import (
    Acceptance,
    Enterprise,
    InvestmentLine,
    OnsiteResult,
    PilotApplication,
    Project,
    Showcase,
    Transition,
)
from loom.modules.programme.models.projects import PROJECT_PARTIES

C = TypeVar("C")

INVESTMENT_CATEGORIES = ("hardware", "software", "services", "cloud")
#: rows that copy the project's parties, so each party sees them (see models.projects)
CHILD_MODELS: tuple[type[Any], ...] = (
    InvestmentLine,
    Transition,
    OnsiteResult,
    Acceptance,
    Showcase,
)


class ProjectRepository(TenantRepository[Project]):
    """Projects the scope's organisation owns (bureau) or takes part in."""

    model = Project

    def listing(
        self,
        *,
        status: str = "",
        sector: str = "",
        batch: str = "",
        q: str = "",
        offset: int = 0,
        limit: int = 50,
    ) -> Page[Project]:
        """Return projects by batch and title, filtered by status, sector and title text."""
        stmt = self.select()
        if status:
            stmt = stmt.where(Project.status == status)
        if sector:
            stmt = stmt.where(Project.sector == sector)
        if batch:
            stmt = stmt.where(Project.batch == batch)
        if q.strip():
            stmt = stmt.where(Project.title.ilike(f"%{q.strip()}%"))
        stmt = stmt.order_by(Project.batch, Project.id)
        return self.page(stmt, offset=offset, limit=limit)


def snapshot(p: Project) -> dict[str, Any]:
    """Return the audited view of a project."""
    return {
        "title": p.title,
        "status": p.status,
        "honours": list(p.honours),
        "batch": p.batch,
        "sector": p.sector,
        "contractor_org_id": p.contractor_org_id,
        "assessor_org_id": p.assessor_org_id,
        "contract_no": p.contract_no,
        "contract_signed_on": p.contract_signed_on,
        "contract_amount_fen": p.contract_amount_fen,
        "n_scenarios": list(p.n_scenarios),
        "x_scenarios": list(p.x_scenarios),
    }


def get(session: Session, scope: Scope, project_id: int) -> Project:
    """Return a project the scope's organisation owns or takes part in (404 otherwise)."""
    return ProjectRepository(session, scope).get(project_id)


def owned(session: Session, scope: Scope, project_id: int) -> Project:
    """Return a project the scope's organisation (the bureau) owns; parties get 404."""
    project = get(session, scope, project_id)
    if project.org_id != scope.org_id:
        raise NotFound("Project %(id)s not found", params={"id": project_id})
    return project


def _organisation(session: Session, org_id: int, kind: OrgKind, field: str) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None or org.kind != kind or not org.is_active:
        raise ValidationFailed(
            "%(field)s: no active %(kind)s organisation %(id)s",
            field=field,
            params={"field": field, "kind": kind.value, "id": org_id},
        )
    return org


def create(session: Session, scope: Scope, *, application_id: int, title: str = "") -> Project:
    """Open the project of a selected pilot (one per pilot), in the pilot's batch."""
    application = session.scalars(
        select(PilotApplication).where(
            PilotApplication.id == application_id, PilotApplication.org_id == scope.org_id
        )
    ).first()
    if application is None:
        raise NotFound("Pilot application %(id)s not found", params={"id": application_id})
    if application.status != "selected" or application.batch is None:
        raise ValidationFailed(
            "application: only a selected pilot gets a project (status is %(status)s)",
            field="application",
            params={"status": application.status},
        )
    enterprise = session.get(Enterprise, application.enterprise_id)
    assert enterprise is not None  # the composite foreign key guarantees it
    taken = session.scalars(
        select(Project.id).where(
            Project.org_id == scope.org_id, Project.enterprise_id == enterprise.id
        )
    ).first()
    if taken is not None:
        raise Conflict(
            "application: %(name)s already has project %(id)s",
            field="application",
            params={"name": enterprise.name, "id": taken},
        )
    project = Project(
        org_id=scope.org_id,
        enterprise_id=enterprise.id,
        enterprise_org_id=enterprise.enterprise_org_id,
        title=(title.strip() or f"{enterprise.name} 数字化改造")[:200],
        sector=application.sector,
        batch=application.batch,
        status="applied",
        honours=[],
        n_scenarios=[],
        x_scenarios=[],
    )
    session.add(project)
    session.flush()
    record_scoped(
        session, scope, "programme.project.created", "project", project.id, after=snapshot(project)
    )
    return project


@dataclass(frozen=True)
class ProjectChanges:
    """Editable fields of a project; ``None`` leaves a field as it is."""

    title: str | None = None
    contractor_org_id: int | None = None
    assessor_org_id: int | None = None
    contract_no: str | None = None
    contract_signed_on: date | None = None
    contract_amount_fen: int | None = None
    n_scenarios: list[str] | None = None
    x_scenarios: list[str] | None = None


def update(session: Session, scope: Scope, project_id: int, changes: ProjectChanges) -> Project:
    """Change a project's parties, contract or scenarios (bureau only)."""
    project = owned(session, scope, project_id)
    if project.status in ("accepted", "withdrawn"):
        raise Conflict(
            "status: a project that is %(status)s can no longer be edited",
            field="status",
            params={"status": project.status},
        )
    before = snapshot(project)
    if changes.title is not None:
        if not changes.title.strip():
            raise ValidationFailed("title: must not be empty", field="title")
        project.title = changes.title.strip()[:200]
    if changes.contractor_org_id is not None:
        _organisation(session, changes.contractor_org_id, OrgKind.CONTRACTOR, "contractor")
        project.contractor_org_id = changes.contractor_org_id
    if changes.assessor_org_id is not None:
        _organisation(session, changes.assessor_org_id, OrgKind.ASSESSOR, "assessor")
        project.assessor_org_id = changes.assessor_org_id
    if changes.contract_no is not None:
        project.contract_no = changes.contract_no.strip()[:80]
    if changes.contract_signed_on is not None:
        project.contract_signed_on = changes.contract_signed_on
    if changes.contract_amount_fen is not None:
        if changes.contract_amount_fen < 0:
            raise ValidationFailed("contract_amount: must not be negative", field="contract_amount")
        project.contract_amount_fen = changes.contract_amount_fen
    for field in ("n_scenarios", "x_scenarios"):
        codes = getattr(changes, field)
        if codes is not None:
            setattr(project, field, sorted({c.strip() for c in codes if c.strip()}))
    sync_parties(session, project)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.project.updated",
        "project",
        project.id,
        before=before,
        after=snapshot(project),
    )
    return project


def sync_parties(session: Session, project: Project) -> None:
    """Copy the project's parties onto its child rows, so a new party sees them too."""
    for model in CHILD_MODELS:
        rows = session.scalars(
            select(model).where(model.project_id == project.id, model.org_id == project.org_id)
        ).all()
        for row in rows:
            for name in PROJECT_PARTIES:
                setattr(row, name, getattr(project, name))


def child(project: Project, model: type[C], **values: Any) -> C:
    """Return a new child row of ``project`` carrying its owner and parties."""
    parties = {name: getattr(project, name) for name in PROJECT_PARTIES}
    return model(org_id=project.org_id, project_id=project.id, **parties, **values)  # type: ignore[call-arg]


def add_investment(
    session: Session,
    scope: Scope,
    project_id: int,
    *,
    category: str,
    description: str,
    amount_fen: int,
    product_id: int | None = None,
    evidence: tuple[str, str, int] | None = None,
) -> InvestmentLine:
    """Add an investment line (with its evidence file's name, SHA-256 and size)."""
    project = get(session, scope, project_id)
    if project.status in ("accepted", "withdrawn"):
        raise Conflict(
            "status: investment of a %(status)s project is closed",
            field="status",
            params={"status": project.status},
        )
    if category not in INVESTMENT_CATEGORIES:
        raise ValidationFailed(
            "category: one of %(choices)s",
            field="category",
            params={"choices": ", ".join(INVESTMENT_CATEGORIES)},
        )
    if not description.strip():
        raise ValidationFailed("description: must not be empty", field="description")
    if amount_fen <= 0:
        raise ValidationFailed("amount: must be more than zero", field="amount")
    name, digest, size = evidence or ("", "", 0)
    line = child(
        project,
        InvestmentLine,
        category=category,
        description=description.strip()[:500],
        amount_fen=amount_fen,
        product_id=product_id,
        evidence_name=name,
        evidence_sha256=digest,
        evidence_size=size,
        created_by=scope.actor.label,
    )
    session.add(line)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.investment.created",
        "project",
        project.id,
        after={"line": line.id, "category": category, "amount_fen": amount_fen, "file": name},
    )
    return line


def investment_lines(session: Session, project: Project) -> list[InvestmentLine]:
    """Return the project's investment lines in entry order."""
    return list(
        session.scalars(
            select(InvestmentLine)
            .where(InvestmentLine.project_id == project.id)
            .order_by(InvestmentLine.id)
        )
    )


def investment_total(session: Session, project: Project) -> int:
    """Return the project's total investment in fen."""
    return sum(line.amount_fen for line in investment_lines(session, project))


def remove_investment(session: Session, scope: Scope, project_id: int, line_id: int) -> None:
    """Delete an investment line of an open project."""
    project = get(session, scope, project_id)
    line = session.scalars(
        select(InvestmentLine).where(
            InvestmentLine.id == line_id, InvestmentLine.project_id == project.id
        )
    ).first()
    if line is None:
        raise NotFound("Investment line %(id)s not found", params={"id": line_id})
    if project.status in ("accepted", "withdrawn"):
        raise Conflict("status: investment of a closed project cannot change", field="status")
    session.delete(line)
    session.flush()
    record_scoped(
        session,
        scope,
        "programme.investment.deleted",
        "project",
        project.id,
        before={"line": line_id, "amount_fen": line.amount_fen, "file": line.evidence_name},
    )
