"""N or X for each need of a sector, and the three published lists (问题, 需求, 应用场景).

"The sector's pilots" are the bureau's registry enterprises with a pilot application of that
sector in status ``selected``: selection is what makes an enterprise a pilot, so submitted,
refused and withdrawn applications do not count, and one selected twice counts once. A need
reported by an enterprise that is not such a pilot is listed but not counted (the engine's note
says so). Published lists are snapshots: later edits of the survey never change them. Reading
and comparing the published versions is ``needs_list_versions``'s, re-exported here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.engine import NeedKind, Plan, Problem, classify_needs, rounded
from loom.modules.programme.models import ListVersion, Need, PilotApplication
from loom.modules.programme.service.needs import check_sector, enterprise_names, programme_plan
from loom.modules.programme.service.needs_list_versions import (
    KINDS,
    Change,
    ListDiff,
    ListRepository,
    compare,
    diff,
    entries,
    get_version,
    latest,
    previous,
    versions,
)
from loom.modules.programme.service.needs_scenarios import linked_products, scenarios

__all__ = [
    "KINDS",
    "Change",
    "ClassifiedNeed",
    "ListDiff",
    "ListRepository",
    "SectorNeeds",
    "classify",
    "compare",
    "current_lists",
    "diff",
    "entries",
    "get_version",
    "latest",
    "percent",
    "previous",
    "publish",
    "sector_pilots",
    "versions",
]


@dataclass(frozen=True)
class ClassifiedNeed:
    """One need of a sector: N or X, with the share and the pilots behind it."""

    need_key: str
    title: str
    kind: NeedKind
    pilots: int
    sector_pilots: int
    share: Fraction | None
    stages: tuple[str, ...]
    scenario_codes: tuple[str, ...]
    #: (registry id, name) of the sector's pilots that reported it
    enterprises: tuple[tuple[int, str], ...]
    notes: tuple[Problem, ...]


@dataclass(frozen=True)
class SectorNeeds:
    """The classification of every need of one sector."""

    sector: str
    threshold: Fraction
    pilots: dict[int, str]
    needs: tuple[ClassifiedNeed, ...]

    @property
    def n_count(self) -> int:
        """Return how many needs are common (N)."""
        return sum(1 for need in self.needs if need.kind == NeedKind.N)

    @property
    def x_count(self) -> int:
        """Return how many needs are individual (X)."""
        return len(self.needs) - self.n_count


def percent(value: Fraction) -> str:
    """Return a share as a percentage with at most one decimal: ``50``, ``33.3``."""
    return format(rounded(value * 100, 1), "f").removesuffix(".0")


def sector_pilots(session: Session, scope: Scope, sector: str) -> dict[int, str]:
    """Return the sector's pilots (selected applications) by registry id, with their names."""
    ids = session.scalars(
        select(PilotApplication.enterprise_id).where(
            PilotApplication.org_id == scope.org_id,
            PilotApplication.sector == sector,
            PilotApplication.status == "selected",
        )
    )
    return enterprise_names(session, scope, ids)


def _sector_needs(session: Session, scope: Scope, sector: str) -> list[Need]:
    stmt = select(Need).where(Need.org_id == scope.org_id, Need.sector == sector)
    return list(session.scalars(stmt.order_by(Need.id)))


def _stage_order(plan: Plan, stages: set[str]) -> tuple[str, ...]:
    order = {stage.id: n for n, stage in enumerate(plan.business_stages)}
    return tuple(sorted(stages, key=lambda s: (order.get(s, len(order)), s)))


def classify(session: Session, scope: Scope, sector: str) -> SectorNeeds:
    """Classify every need of the sector as N or X against the plan's share threshold."""
    plan = programme_plan(session, scope)
    check_sector(plan, sector)
    pilots = sector_pilots(session, scope, sector)
    rows = _sector_needs(session, scope, sector)
    by_key: dict[str, list[Need]] = defaultdict(list)
    for row in rows:
        by_key[row.need_key].append(row)
    reporters = {key: {r.enterprise_id for r in found} for key, found in by_key.items()}
    result = classify_needs(reporters, set(pilots), plan.n_share_threshold)
    found = []
    for key, verdict in result.items():
        mine = by_key[key]
        # titles may be worded differently by each pilot: the most used one, the earliest on ties
        title = Counter(r.need_title for r in mine).most_common(1)[0][0]
        behind = sorted((e, pilots[e]) for e in reporters[key] if e in pilots)
        found.append(
            ClassifiedNeed(
                need_key=key,
                title=title,
                kind=verdict.kind,
                pilots=verdict.pilots,
                sector_pilots=verdict.sector_pilots,
                share=verdict.share,
                stages=_stage_order(plan, {r.stage for r in mine}),
                scenario_codes=tuple(sorted({r.scenario_code for r in mine if r.scenario_code})),
                enterprises=tuple(sorted(behind, key=lambda p: (p[1], p[0]))),
                notes=verdict.notes,
            )
        )
    found.sort(key=lambda n: (n.kind != NeedKind.N, -(n.share or 0), n.need_key))
    return SectorNeeds(sector, Fraction(plan.n_share_threshold), pilots, tuple(found))


def _problem_items(session: Session, scope: Scope, plan: Plan, sector: str) -> list[dict[str, Any]]:
    rows = _sector_needs(session, scope, sector)
    names = enterprise_names(session, scope, {r.enterprise_id for r in rows})
    groups: dict[str, dict[str, Any]] = {
        stage.id: {"stage": stage.id, "title": stage.title, "problems": []}
        for stage in plan.business_stages
    }
    for row in sorted(rows, key=lambda r: (names.get(r.enterprise_id, ""), r.need_key)):
        # a stage the plan no longer has keeps its problems, under its id
        group = groups.setdefault(
            row.stage, {"stage": row.stage, "title": row.stage, "problems": []}
        )
        group["problems"].append(
            {
                "key": f"{row.enterprise_id}:{row.need_key}",
                "enterprise_id": row.enterprise_id,
                "enterprise": names.get(row.enterprise_id, ""),
                "need_key": row.need_key,
                "problem": row.problem,
            }
        )
    return list(groups.values())


def _need_items(classified: SectorNeeds) -> list[dict[str, Any]]:
    return [
        {
            "key": n.need_key,
            "title": n.title,
            "kind": n.kind.value,
            "pilots": n.pilots,
            "sector_pilots": n.sector_pilots,
            "share": None if n.share is None else str(rounded(n.share, 4)),
            "threshold": str(rounded(classified.threshold, 4)),
            "stages": list(n.stages),
            "scenarios": list(n.scenario_codes),
            "enterprises": [name for _id, name in n.enterprises],
        }
        for n in classified.needs
    ]


def _scenario_items(session: Session, scope: Scope, sector: str) -> list[dict[str, Any]]:
    rows = scenarios(session, scope, sector)
    products = linked_products(session, [r.code for r in rows])
    return [
        {
            "key": r.code,
            "code": r.code,
            "title": r.title,
            "stage": r.stage,
            "scenes": dict(sorted(r.scenes.items())),
            "description": r.description,
            "products": [{"id": p.id, "name": p.name} for p in products.get(r.code, [])],
        }
        for r in rows
    ]


def current_lists(session: Session, scope: Scope, sector: str) -> dict[str, list[dict[str, Any]]]:
    """Return the three lists of the sector as they stand now (what publishing would keep)."""
    plan = programme_plan(session, scope)
    check_sector(plan, sector)
    return {
        "problems": _problem_items(session, scope, plan, sector),
        "needs": _need_items(classify(session, scope, sector)),
        "scenarios": _scenario_items(session, scope, sector),
    }


def publish(session: Session, scope: Scope, sector: str) -> list[ListVersion]:
    """Publish the next version of each of the sector's three lists."""
    lists = current_lists(session, scope, sector)
    if not lists["needs"] and not lists["scenarios"]:
        raise ValidationFailed(
            "sector: nothing to publish yet; record survey needs or scenarios first",
            field="sector",
        )
    made = []
    for kind in KINDS:
        latest = session.scalar(
            select(func.max(ListVersion.version)).where(
                ListVersion.org_id == scope.org_id,
                ListVersion.sector == sector,
                ListVersion.kind == kind,
            )
        )
        row = ListVersion(
            org_id=scope.org_id,
            sector=sector,
            kind=kind,
            version=(latest or 0) + 1,
            items=lists[kind],
            published_by=scope.actor.label,
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError as exc:
            # two publications at once: the unique version number refuses the second
            raise Conflict(
                "the lists were published at the same moment; reload and try again"
            ) from exc
        record_scoped(
            session,
            scope,
            "programme.list.published",
            "list",
            row.id,
            after={"sector": sector, "kind": kind, "version": row.version, "items": len(row.items)},
        )
        made.append(row)
    return made
