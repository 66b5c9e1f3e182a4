"""Subsidies: awards approved through the ledger's rules and caps, and payments by each funder."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Project
from loom.modules.programme.service.projects import investment_total
from loom.modules.subsidy.service import ledger
from loom.modules.subsidy.service.awards import approve
from loom.modules.subsidy.service.claims import ClaimIn

#: honour of a project and the one-off award it brings
HONOUR_AWARDS = (
    ("municipal_sample", "municipal-sample-award", "市级样本一次性奖励"),
    ("benchmark", "benchmark-award", "首批标杆企业奖励"),
)


def seed_awards(session: Session, office: Scope, today: date) -> tuple[int, int]:
    """Approve the accepted pilots' awards and pay them: batch 1 in full, batch 2 in part.

    Return how many awards were approved and how many payments recorded.
    """
    accepted = session.scalars(
        select(Project)
        .where(Project.org_id == office.org_id, Project.status == "accepted")
        .order_by(Project.id)
    ).all()
    awards = payments = 0
    for project in accepted:
        invested = investment_total(session, project)
        claims = [
            (
                ClaimIn(rule="pilot-project", project_id=project.id, investment_fen=invested),
                "试点项目补助",
            )
        ]
        claims += [
            (ClaimIn(rule=rule, project_id=project.id), note)
            for honour, rule, note in HONOUR_AWARDS
            if honour in project.honours
        ]
        for claim, note in claims:
            award = approve(session, office, claim, note=f"演示：{note}")
            awards += 1
            paid_on = date(2025, 3, 20) if project.batch == "batch-1" else date(2026, 3, 20)
            for n, (funder, share) in enumerate(sorted(award.split.items())):
                # batch 2 is still being paid: the district has paid, the others not all yet
                if project.batch == "batch-2" and funder != "district" and project.id % 2:
                    continue
                when = min(paid_on + timedelta(days=10 * n), today)
                ref = f"HS-BZ-{project.id:03d}-{funder}"
                ledger.record_payment(
                    session,
                    office,
                    award.id,
                    funder=funder,
                    amount_fen=share,
                    paid_on=when,
                    reference=ref,
                )
                payments += 1
    return awards, payments
