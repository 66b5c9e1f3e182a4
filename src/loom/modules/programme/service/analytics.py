"""Programme analytics for the bureau, over its own records: projects, on-site results, awards.

Levels come from the on-site assessments recorded on each project (phase ``before`` and
``after``); the registry keeps only the latest level, not its history, so it cannot give a
before. Subsidy is every approved (not cancelled) award of the subsidy ledger to the pilot
enterprise, under any rule, with the payments recorded on those awards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.errors import PermissionDenied, ValidationFailed
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise, OnsiteResult, Project, Scenario
from loom.modules.programme.service.analytics_figures import (
    Distribution,
    Effect,
    LevelGroup,
    Pilot,
    by_contractor,
    by_scenario,
    distribution,
    level_groups,
    total_effect,
)
from loom.modules.programme.service.plans import active_plan
from loom.modules.subsidy.models import Award, Payment

#: a withdrawn project is no longer a pilot of the programme
EXCLUDED = ("withdrawn",)


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrow the analytics to one batch and/or one sector ("" for all)."""

    batch: str = ""
    sector: str = ""


@dataclass(frozen=True, slots=True)
class AnalyticsReport:
    """Everything the analytics page, its export and the API show."""

    filters: Filters
    pilots: tuple[Pilot, ...]
    distribution: Distribution
    groups: list[LevelGroup]
    contractors: list[Effect]
    scenarios: list[Effect]
    total: Effect
    contractor_names: dict[str, str] = field(default_factory=dict)
    scenario_titles: dict[str, str] = field(default_factory=dict)
    batches: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    batch_titles: dict[str, str] = field(default_factory=dict)


def _subsidy(session: Session, bureau: int) -> tuple[dict[int, int], dict[int, int]]:
    """Return awarded and paid fen per registry enterprise, from approved awards."""
    awarded: dict[int, int] = defaultdict(int)
    paid: dict[int, int] = defaultdict(int)
    owner: dict[int, int] = {}
    awards = session.execute(
        select(Award.id, Award.enterprise_id, Award.amount_fen).where(
            Award.org_id == bureau,
            Award.status == "approved",
            Award.beneficiary_kind == "enterprise",
        )
    )
    for award_id, enterprise_id, amount in awards:
        if enterprise_id is None:  # the schema forbids it for an enterprise's award
            continue
        owner[award_id] = enterprise_id
        awarded[enterprise_id] += amount
    payments = session.execute(
        select(Payment.award_id, Payment.amount_fen).where(Payment.org_id == bureau)
    )
    for award_id, amount in payments:
        if award_id in owner:
            paid[owner[award_id]] += amount
    return awarded, paid


def pilots_of(session: Session, bureau: int) -> list[Pilot]:
    """Return every pilot project of the bureau (not withdrawn) with its levels and subsidy."""
    projects = list(
        session.scalars(
            select(Project)
            .where(Project.org_id == bureau, Project.status.not_in(EXCLUDED))
            .order_by(Project.batch, Project.id)
        )
    )
    names = dict(
        session.execute(
            select(Enterprise.id, Enterprise.name).where(Enterprise.org_id == bureau)
        ).all()
    )
    results = {
        (r.project_id, r.phase): r
        for r in session.scalars(select(OnsiteResult).where(OnsiteResult.org_id == bureau))
    }
    awarded, paid = _subsidy(session, bureau)
    pilots = []
    for p in projects:
        before, after = results.get((p.id, "before")), results.get((p.id, "after"))
        scenarios = tuple(("N", c) for c in p.n_scenarios) + tuple(("X", c) for c in p.x_scenarios)
        pilots.append(
            Pilot(
                project_id=p.id,
                title=p.title,
                enterprise=names.get(p.enterprise_id, ""),
                sector=p.sector,
                batch=p.batch,
                status=p.status,
                contractor_org_id=p.contractor_org_id,
                scenarios=scenarios,
                before=before.level if before else None,
                after=after.level if after else None,
                before_score=before.score if before else None,
                after_score=after.score if after else None,
                awarded_fen=awarded.get(p.enterprise_id, 0),
                paid_fen=paid.get(p.enterprise_id, 0),
            )
        )
    return pilots


def _choices(
    session: Session, bureau: int, pilots: Sequence[Pilot]
) -> tuple[list[str], list[str], dict[str, str]]:
    plan = active_plan(session, bureau)
    titles = {b.id: b.title for b in plan.batches}
    batches = [b.id for b in plan.batches]
    batches += sorted({p.batch for p in pilots} - set(batches))
    sectors = [s.id for s in plan.sectors]
    sectors += sorted({p.sector for p in pilots} - set(sectors))
    return batches, sectors, titles


def _check(filters: Filters, batches: list[str], sectors: list[str]) -> None:
    for name, value, known in (
        ("batch", filters.batch, batches),
        ("sector", filters.sector, sectors),
    ):
        if value and value not in known:
            raise ValidationFailed(
                "%(field)s: unknown value %(value)s, one of %(choices)s",
                field=name,
                params={"field": name, "value": value, "choices": ", ".join(known)},
            )


def report_for(session: Session, bureau: int, filters: Filters) -> AnalyticsReport:
    """Return the analytics of ``bureau``'s pilots narrowed by ``filters``."""
    everyone = pilots_of(session, bureau)
    batches, sectors, batch_titles = _choices(session, bureau, everyone)
    _check(filters, batches, sectors)
    pilots = [
        p for p in everyone if filters.batch in ("", p.batch) and filters.sector in ("", p.sector)
    ]
    contractor_ids = {p.contractor_org_id for p in pilots if p.contractor_org_id}
    contractor_names = {
        str(org_id): name
        for org_id, name in session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(contractor_ids))
        )
    }
    titles = dict(
        session.execute(
            select(Scenario.code, Scenario.title).where(Scenario.org_id == bureau)
        ).all()
    )
    return AnalyticsReport(
        filters=filters,
        pilots=tuple(pilots),
        distribution=distribution(pilots),
        groups=level_groups(pilots),
        contractors=by_contractor(pilots),
        scenarios=by_scenario(pilots),
        total=total_effect(pilots),
        contractor_names=contractor_names,
        scenario_titles=titles,
        batches=tuple(batches),
        sectors=tuple(sectors),
        batch_titles=batch_titles,
    )


def analytics_report(session: Session, scope: Scope, filters: Filters) -> AnalyticsReport:
    """Return the scope's bureau's analytics; bureaus only (others have no programme)."""
    if scope.org_kind != OrgKind.BUREAU:
        raise PermissionDenied("only a bureau reads the programme analytics")
    return report_for(session, scope.org_id, filters)
