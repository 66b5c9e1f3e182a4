"""Showcase cases (典型案例): the bureau writes up accepted projects and marks them for promotion.

A case is a project row (``Showcase``) carrying the project's parties, so the enterprise, its
contractor and assessor read their own case; nobody reads another's. Only the bureau that
owns the project writes it up or flags it, and every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import (
    Enterprise,
    InvestmentLine,
    OnsiteResult,
    Project,
    Showcase,
    Transition,
)
from loom.modules.programme.service.onsite import latest_evaluation
from loom.modules.programme.service.projects import child, get, owned

MAX_FIGURES = 8
TEXT_LIMITS = {"title": 200, "problem": 2000, "solution": 2000, "results": 2000}
#: what a case needs before it can be shown as a showcase
REQUIRED = ("problem", "solution", "results")
FIGURE_KEYS = ("label", "before", "after", "unit")


@dataclass(frozen=True, slots=True)
class WriteUp:
    """The bureau's text of a case; ``figures`` are {label, before, after, unit} as typed."""

    title: str = ""
    problem: str = ""
    solution: str = ""
    results: str = ""
    figures: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Figure:
    """A before/after figure of a case, with its change."""

    label: str
    before: Decimal
    after: Decimal
    unit: str = ""

    @property
    def change(self) -> Decimal:
        """Return after less before."""
        return self.after - self.before

    @property
    def change_percent(self) -> Decimal | None:
        """Return the change as a percentage of before (one decimal), ``None`` from zero."""
        if self.before == 0:
            return None
        return (self.change * 100 / abs(self.before)).quantize(Decimal("0.1"))


@dataclass(frozen=True, slots=True)
class Case:
    """A case as pages and the API show it: the write-up and what the records say."""

    project: Project
    showcase: Showcase | None
    enterprise: str
    contractor: str
    before: OnsiteResult | None
    after: OnsiteResult | None
    investment_fen: int
    accepted_on: date | None
    io_ratio: Decimal | None
    figures: tuple[Figure, ...]

    @property
    def featured(self) -> bool:
        """Return whether the bureau shows this case as a showcase."""
        return self.showcase is not None and self.showcase.featured

    @property
    def title(self) -> str:
        """Return the case's title, the project's when the write-up names none."""
        return (self.showcase.title if self.showcase else "") or self.project.title


def _figures(raw: list[dict[str, Any]]) -> tuple[Figure, ...]:
    return tuple(
        Figure(str(f["label"]), Decimal(str(f["before"])), Decimal(str(f["after"])), f["unit"])
        for f in raw
    )


def _number(text: str, name: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or len(text.strip()) > 20:
        raise ValidationFailed(
            "%(field)s: a number such as 82.5", field=name, params={"field": name}
        )
    return value


def clean_figures(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Return the typed figures checked and normalised; blank rows are dropped."""
    cleaned: list[dict[str, str]] = []
    for index, row in enumerate(rows):
        unknown = set(row) - set(FIGURE_KEYS)
        if unknown:
            raise ValidationFailed(
                "figures[%(index)s]: unknown keys %(keys)s",
                field=f"figures[{index}]",
                params={"index": index, "keys": ", ".join(sorted(unknown))},
            )
        values = {key: str(row.get(key) or "").strip() for key in FIGURE_KEYS}
        if not any(values.values()):
            continue
        name = f"figures[{index}]"
        if not values["label"] or len(values["label"]) > 60:
            raise ValidationFailed(
                "%(field)s.label: a name of 1 to 60 characters",
                field=f"{name}.label",
                params={"field": name},
            )
        if len(values["unit"]) > 20:
            raise ValidationFailed(
                "%(field)s.unit: at most 20 characters",
                field=f"{name}.unit",
                params={"field": name},
            )
        before = _number(values["before"], f"{name}.before")
        after = _number(values["after"], f"{name}.after")
        cleaned.append({**values, "before": str(before), "after": str(after)})
    if len(cleaned) > MAX_FIGURES:
        raise ValidationFailed(
            "figures: at most %(count)s figures", field="figures", params={"count": MAX_FIGURES}
        )
    return cleaned


def _texts(write_up: WriteUp) -> dict[str, str]:
    texts = {}
    for name, limit in TEXT_LIMITS.items():
        value = getattr(write_up, name).strip()
        if len(value) > limit:
            raise ValidationFailed(
                "%(field)s: at most %(limit)s characters",
                field=name,
                params={"field": name, "limit": limit},
            )
        texts[name] = value
    return texts


def snapshot(row: Showcase) -> dict[str, Any]:
    """Return the audited view of a case."""
    return {
        "featured": row.featured,
        "featured_on": row.featured_on,
        "title": row.title,
        "problem": row.problem,
        "solution": row.solution,
        "results": row.results,
        "figures": list(row.figures),
    }


def _row(session: Session, project: Project) -> Showcase | None:
    return session.scalars(
        select(Showcase).where(Showcase.project_id == project.id, Showcase.org_id == project.org_id)
    ).first()


def _accepted(project: Project) -> None:
    if project.status != "accepted":
        raise Conflict(
            "status: only an accepted project can be a showcase case (it is %(status)s)",
            field="status",
            params={"status": project.status},
        )


def save(session: Session, scope: Scope, project_id: int, write_up: WriteUp) -> Showcase:
    """Write or rewrite the case of an accepted project (the bureau that owns it only)."""
    project = owned(session, scope, project_id)
    _accepted(project)
    texts = _texts(write_up)
    figures = clean_figures(write_up.figures)
    row = _row(session, project)
    before = snapshot(row) if row is not None else None
    if row is None:
        row = child(project, Showcase, featured=False)
        session.add(row)
    for name, value in texts.items():
        setattr(row, name, value)
    row.figures = figures
    row.updated_by = scope.actor.label
    session.flush()
    action = "programme.showcase.updated" if before else "programme.showcase.created"
    record_scoped(session, scope, action, "project", project.id, before=before, after=snapshot(row))
    return row


def set_featured(
    session: Session, scope: Scope, project_id: int, featured: bool, today: date | None = None
) -> Showcase:
    """Mark an accepted project's case as a showcase, or take the mark off (bureau only)."""
    project = owned(session, scope, project_id)
    row = _row(session, project)
    if featured:
        _accepted(project)
        missing = [name for name in REQUIRED if row is None or not getattr(row, name).strip()]
        if missing:
            raise Conflict(
                "write-up: fill in %(fields)s before showing the case",
                field=missing[0],
                params={"fields": ", ".join(missing)},
            )
    if row is None:
        raise NotFound("Showcase case %(id)s not found", params={"id": project_id})
    if row.featured == featured:
        return row
    before = snapshot(row)
    row.featured = featured
    row.featured_on = (today or date.today()) if featured else None
    row.updated_by = scope.actor.label
    session.flush()
    action = "programme.showcase.featured" if featured else "programme.showcase.unfeatured"
    record_scoped(session, scope, action, "project", project.id, before=before, after=snapshot(row))
    return row


def _names(session: Session, project: Project) -> tuple[str, str]:
    # the registry row is visible to the bureau and the enterprise; others see the org's name
    entry = session.scalars(
        select(Enterprise).where(Enterprise.id == project.enterprise_id)
    ).first()
    ids = {i for i in (project.enterprise_org_id, project.contractor_org_id) if i is not None}
    orgs = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )
    enterprise = entry.name if entry else orgs.get(project.enterprise_org_id or 0, "")
    return enterprise, orgs.get(project.contractor_org_id or 0, "")


def _case(session: Session, project: Project, row: Showcase | None) -> Case:
    results = {
        r.phase: r
        for r in session.scalars(select(OnsiteResult).where(OnsiteResult.project_id == project.id))
    }
    invested = session.scalars(
        select(InvestmentLine.amount_fen).where(InvestmentLine.project_id == project.id)
    )
    accepted_at = session.scalars(
        select(Transition.at)
        .where(Transition.project_id == project.id, Transition.action == "accept")
        .order_by(Transition.at.desc())
    ).first()
    evaluation = latest_evaluation(session, project)
    enterprise, contractor = _names(session, project)
    return Case(
        project=project,
        showcase=row,
        enterprise=enterprise,
        contractor=contractor,
        before=results.get("before"),
        after=results.get("after"),
        investment_fen=sum(invested),
        accepted_on=accepted_at.date() if accepted_at else None,
        io_ratio=evaluation.io_ratio if evaluation and evaluation.decision == "pass" else None,
        figures=_figures(row.figures) if row else (),
    )


def case(session: Session, scope: Scope, project_id: int) -> Case:
    """Return a case: the bureau sees every accepted project's; a party only a showcase."""
    project = get(session, scope, project_id)
    row = _row(session, project)
    is_owner = project.org_id == scope.org_id
    if (is_owner and project.status != "accepted" and row is None) or (
        not is_owner and (row is None or not row.featured)
    ):
        raise NotFound("Showcase case %(id)s not found", params={"id": project_id})
    return _case(session, project, row)


@dataclass(frozen=True, slots=True)
class Gallery:
    """The cases a viewer may see, and for the bureau the accepted projects not yet written up."""

    cases: list[Case]
    drafts: list[Case]
    candidates: list[Project]


def gallery(session: Session, scope: Scope) -> Gallery:
    """Return the showcases the scope sees; the bureau also gets its drafts and candidates."""
    visible = select(Showcase).where(Showcase.visible_to(scope.org_id))
    rows = list(session.scalars(visible.order_by(Showcase.featured_on, Showcase.id)))
    wanted = {r.project_id for r in rows}
    projects = {
        p.id: p
        for p in session.scalars(
            select(Project).where(Project.visible_to(scope.org_id), Project.id.in_(wanted))
        )
    }
    cases, drafts = [], []
    for row in rows:
        project = projects.get(row.project_id)
        if project is None:
            continue
        is_owner = row.org_id == scope.org_id
        if row.featured:
            cases.append(_case(session, project, row))
        elif is_owner:
            drafts.append(_case(session, project, row))
    candidates: list[Project] = []
    written = {r.project_id for r in rows if r.org_id == scope.org_id}
    owned_accepted = select(Project).where(
        Project.org_id == scope.org_id, Project.status == "accepted"
    )
    for project in session.scalars(owned_accepted.order_by(Project.id)):
        if project.id not in written:
            candidates.append(project)
    return Gallery(cases, drafts, candidates)
