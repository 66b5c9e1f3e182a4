"""Demo awards: the pilot subsidy of every accepted demo project, and a municipal-sample award."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.tenancy.models import Organisation
from loom.modules.programme.models import Project
from loom.modules.programme.service.projects import investment_total
from loom.modules.subsidy.models import Award
from loom.modules.subsidy.service.awards import approve
from loom.modules.subsidy.service.claims import ClaimIn


def seed_subsidies(session: Session, bureau: Organisation) -> None:
    """Approve the demo's awards once, through the ledger's own rules and caps."""
    if session.scalars(select(Award.id).where(Award.org_id == bureau.id)).first():
        return
    office = system_scope(bureau.id, bureau.kind, "demo-seed:subsidy")
    accepted = session.scalars(
        select(Project)
        .where(Project.org_id == bureau.id, Project.status == "accepted")
        .order_by(Project.id)
    ).all()
    for project in accepted:
        invested = investment_total(session, project)
        approve(
            session,
            office,
            ClaimIn(rule="pilot-project", project_id=project.id, investment_fen=invested),
            note="演示：试点项目补助",
        )
        if "municipal_sample" in project.honours:
            approve(
                session,
                office,
                ClaimIn(rule="municipal-sample-award", project_id=project.id),
                note="演示：市级样本一次性奖励",
            )
