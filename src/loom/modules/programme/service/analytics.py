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
from typing import Any

from sqlalchemy import Integer, bindparam, func, select
from sqlalchemy.orm import Session, aliased

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


def _subsidy_stmt() -> Any:
    """Return each approved award to an enterprise with the sum of its payments (``bureau``)."""
    bureau = bindparam("bureau", type_=Integer)
    payments = (
        select(Payment.award_id, func.sum(Payment.amount_fen).label("fen"))
        .where(Payment.org_id == bureau)
        .group_by(Payment.award_id)
        .subquery()
    )
    return (
        select(Award.enterprise_id, Award.amount_fen, payments.c.fen)
        .outerjoin(payments, payments.c.award_id == Award.id)
        .where(
            Award.org_id == bureau,
            Award.status == "approved",
            Award.beneficiary_kind == "enterprise",
        )
    )


def _subsidy(session: Session, bureau: int) -> tuple[dict[int, int], dict[int, int]]:
    """Return awarded and paid fen per registry enterprise, from approved awards."""
    awarded: dict[int, int] = defaultdict(int)
    paid: dict[int, int] = defaultdict(int)
    for enterprise_id, amount, fen in session.execute(_SUBSIDY, {"bureau": bureau}).all():
        if enterprise_id is None:  # the schema forbids it for an enterprise's award
            continue
        awarded[enterprise_id] += amount
        if fen is not None:
            paid[enterprise_id] += int(fen)
    return awarded, paid


def _pilots_stmt() -> Any:
    """Return the pilots of ``bureau`` with their enterprises, on-site levels and contractors.

    Columns only (a project row also carries its JSON plan, not needed here), built once. The
    names and levels are correlated lookups by key, one row each: joins planned without table
    statistics rescanned the bureau's rows for every project.
    """
    bureau = bindparam("bureau", type_=Integer)

    def looked_up(column: Any, *where: Any) -> Any:
        return select(column).where(*where).correlate(Project).scalar_subquery()

    def result(phase: str, field: str) -> Any:
        row = aliased(OnsiteResult)
        # the result's key (project, phase); its org is the project's (composite foreign key)
        key = (row.project_id == Project.id, row.phase == phase, row.org_id == Project.org_id)
        return looked_up(getattr(row, field), *key)

    enterprise, contractor = aliased(Enterprise), aliased(Organisation)
    # by primary key: the project's composite foreign key puts the entry in the project's org
    name_of = (enterprise.id == Project.enterprise_id,)
    return (
        select(
            Project.id,
            Project.title,
            looked_up(enterprise.name, *name_of),
            Project.sector,
            Project.batch,
            Project.status,
            Project.contractor_org_id,
            Project.n_scenarios,
            Project.x_scenarios,
            Project.enterprise_id,
            result("before", "level"),
            result("before", "score"),
            result("after", "level"),
            result("after", "score"),
            looked_up(contractor.name, contractor.id == Project.contractor_org_id),
        )
        .where(Project.org_id == bureau, Project.status.not_in(EXCLUDED))
        .order_by(Project.batch, Project.id)
    )


_SUBSIDY = _subsidy_stmt()
_PILOTS = _pilots_stmt()


def _pilots(session: Session, bureau: int) -> tuple[list[Pilot], dict[int, str]]:
    """Return the bureau's pilots (not withdrawn) and their contractors' names, by org id.

    One statement for the projects, their enterprises' names, both on-site results and the
    contractors' names (they were four), and one for the subsidy.
    """
    awarded, paid = _subsidy(session, bureau)
    pilots: list[Pilot] = []
    contractors: dict[int, str] = {}
    for (
        pid,
        title,
        enterprise,
        sector,
        batch,
        status,
        contractor_id,
        n,
        x,
        enterprise_id,
        before_level,
        before_score,
        after_level,
        after_score,
        contractor_name,
    ) in session.execute(_PILOTS, {"bureau": bureau}).all():
        if contractor_id and contractor_name is not None:
            contractors[contractor_id] = contractor_name
        pilots.append(
            Pilot(
                project_id=pid,
                title=title,
                enterprise=enterprise or "",
                sector=sector,
                batch=batch,
                status=status,
                contractor_org_id=contractor_id,
                scenarios=tuple(("N", c) for c in n) + tuple(("X", c) for c in x),
                before=before_level,
                after=after_level,
                before_score=before_score,
                after_score=after_score,
                awarded_fen=awarded.get(enterprise_id, 0),
                paid_fen=paid.get(enterprise_id, 0),
            )
        )
    return pilots, contractors


def pilots_of(session: Session, bureau: int) -> list[Pilot]:
    """Return every pilot project of the bureau (not withdrawn) with its levels and subsidy."""
    return _pilots(session, bureau)[0]


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
    everyone, contractors = _pilots(session, bureau)
    batches, sectors, batch_titles = _choices(session, bureau, everyone)
    _check(filters, batches, sectors)
    pilots = [
        p for p in everyone if filters.batch in ("", p.batch) and filters.sector in ("", p.sector)
    ]
    # the names of the contractors of the pilots shown, as a query of those ids gave them
    contractor_names = {
        str(p.contractor_org_id): contractors[p.contractor_org_id]
        for p in pilots
        if p.contractor_org_id in contractors
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
