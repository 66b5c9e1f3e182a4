"""The targets dashboard: each target of the bureau's plan against its actual value on a day.

A figure counts what stood on the as-of day. Once a target's deadline has passed, its status is
judged on the value as it stood on the deadline (the engine's rule), so a late success shows in
the figure but does not turn a missed target into a met one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.errors import NotFound, PermissionDenied, ValidationFailed
from loom.kernel.tenancy.models import OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.engine import (
    Metric,
    Plan,
    Target,
    TargetState,
    TargetStatus,
    rounded,
    target_status,
)
from loom.modules.programme.models import Enterprise, Product, Project, Transition
from loom.modules.programme.service.catalogue import (
    ALL_TENANTS,
    contractor_names,
    public_products,
)
from loom.modules.programme.service.plans import active_plan

#: the lifecycle actions whose dates the figures count
ACCEPT = "accept"
MUNICIPAL = "designate_municipal_sample"
#: the registry keeps no date for cloud use: its share is today's value, whatever the day
UNDATED = frozenset({"above_scale_cloud_share"})
#: the plan's 二级及以上
LEVEL_TWO = 2
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_on(raw: str | None, today: date | None = None) -> date:
    """Return the as-of day typed as YYYY-MM-DD (today when empty), or name the ``on`` field."""
    text = (raw or "").strip()
    if not text:
        return today or date.today()
    try:
        if not ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            "on: a date written YYYY-MM-DD, got %(value)s", field="on", params={"value": text}
        ) from None


@dataclass(frozen=True, slots=True)
class ProjectFact:
    """What the figures need of one of the bureau's projects."""

    id: int
    sector: str
    batch: str
    accepted_on: date | None
    municipal_on: date | None


@dataclass(frozen=True, slots=True)
class EnterpriseFact:
    """What the figures need of one registry enterprise."""

    id: int
    sector: str
    above: bool
    level: int | None
    level_on: date | None
    cloud: bool
    smart_factory_on: date | None


@dataclass(frozen=True, slots=True)
class Facts:
    """The bureau's rows the figures are counted from, read once per report."""

    projects: tuple[ProjectFact, ...]
    enterprises: tuple[EnterpriseFact, ...]
    products: Mapping[int, date]  # published product id -> the day it was created


@dataclass(frozen=True, slots=True)
class Basis:
    """The rows behind one target: the first day each counts, and a share's population."""

    kind: str  # project | enterprise | product ("" for a metric Loom cannot count)
    since: Mapping[int, date]
    population: tuple[int, ...] | None = None  # None: a count, not a share

    def counted(self, day: date) -> tuple[int, ...]:
        """Return the ids that count on ``day``."""
        return tuple(sorted(i for i, first in self.since.items() if first <= day))

    def value(self, day: date) -> Fraction | None:
        """Return the count, or the share (``None`` for a share of no enterprises), on ``day``."""
        counted = len(self.counted(day))
        if self.population is None:
            return None if not self.kind else Fraction(counted)
        return Fraction(counted, len(self.population)) if self.population else None


@dataclass(frozen=True, slots=True)
class Figure:
    """One target on the as-of day: its status and the rows behind its value."""

    target: Target
    metric: Metric | None
    status: TargetStatus
    basis: Basis
    on: date

    @property
    def actual(self) -> Fraction | None:
        """Return the value on the as-of day (exact; a share for percent targets)."""
        return self.basis.value(self.on)

    @property
    def deadline_passed(self) -> bool:
        """Return whether the status is judged on the value at the deadline."""
        return self.on > self.target.deadline

    @property
    def actual_at_deadline(self) -> Fraction | None:
        """Return the value on the deadline once it has passed (``None`` before)."""
        return self.basis.value(self.target.deadline) if self.deadline_passed else None

    @property
    def counted(self) -> tuple[int, ...]:
        """Return the ids behind the value on the as-of day."""
        return self.basis.counted(self.on)

    @property
    def late(self) -> tuple[int, ...]:
        """Return the ids that count on the as-of day but did not by the deadline."""
        if not self.deadline_passed:
            return ()
        in_time = set(self.basis.counted(self.target.deadline))
        return tuple(i for i in self.counted if i not in in_time)

    @property
    def current_only(self) -> bool:
        """Return whether the value is today's whatever the as-of day (no history is kept)."""
        return self.target.metric in UNDATED


@dataclass(frozen=True, slots=True)
class PilotCell:
    """Accepted pilots of one batch and sector on the as-of day, against the batch's quota."""

    batch: str
    sector: str
    accepted: int
    quota: int


@dataclass(frozen=True, slots=True)
class KpiReport:
    """Every target of the bureau's plan on one day, with the pilots by batch and sector."""

    bureau_org_id: int
    plan: Plan
    on: date
    figures: tuple[Figure, ...]
    pilots: tuple[PilotCell, ...]

    def figure(self, target_id: str) -> Figure:
        """Return the figure of ``target_id``; 404 if the plan has no such target."""
        for figure in self.figures:
            if figure.target.id == target_id:
                return figure
        raise NotFound("Target %(id)s not found", params={"id": target_id})

    def states(self) -> dict[str, int]:
        """Return how many targets are in each state, every state listed."""
        found = Counter(f.status.state for f in self.figures)
        return {str(state): found[state] for state in TargetState}


def shown(value: Fraction | None, unit: str) -> str:
    """Return a value for people: a count, or a percentage with one decimal."""
    if value is None:
        return "—"
    if unit == "percent":
        return f"{rounded(value * 100, 1)}%"
    return str(value.numerator) if value.denominator == 1 else str(rounded(value, 1))


def percent(value: Fraction | None) -> str | None:
    """Return a share as a percentage with one decimal ("40.0"), or ``None``."""
    return None if value is None else str(rounded(value * 100, 1))


def _facts(session: Session, bureau_org_id: int) -> Facts:
    firsts: dict[tuple[int, str], date] = {}
    steps = select(Transition.project_id, Transition.action, Transition.at).where(
        Transition.org_id == bureau_org_id, Transition.action.in_((ACCEPT, MUNICIPAL))
    )
    # transitions and products carry UTC times; a row counts from the UTC day the pages show
    for project_id, action, at in session.execute(steps):
        firsts[(project_id, action)] = min(firsts.get((project_id, action), at.date()), at.date())
    # accepted is final, so an accepted project's accept step is its acceptance
    rows = session.execute(
        select(Project.id, Project.sector, Project.batch).where(
            Project.org_id == bureau_org_id, Project.status == "accepted"
        )
    )
    projects = tuple(
        ProjectFact(pid, sector, batch, firsts.get((pid, ACCEPT)), firsts.get((pid, MUNICIPAL)))
        for pid, sector, batch in rows
    )
    registry = session.scalars(select(Enterprise).where(Enterprise.org_id == bureau_org_id))
    enterprises = tuple(
        EnterpriseFact(
            id=e.id,
            sector=e.sector,
            above=e.size == "above",
            level=e.digital_level,
            level_on=e.level_on,
            cloud=e.cloud,
            smart_factory_on=e.smart_factory_on,
        )
        for e in registry
    )
    # the catalogue is public by design: its one explicit all-tenants read
    published = public_products().with_only_columns(Product.id, Product.created_at)
    listed = session.execute(published, execution_options=ALL_TENANTS)
    products = {product_id: at.date() for product_id, at in listed}
    return Facts(projects, enterprises, products)


def _projects(facts: Facts, target: Target, which: str) -> Basis:
    since: dict[int, date] = {}
    for p in facts.projects:
        first = p.accepted_on if which == ACCEPT else p.municipal_on
        if first is None or p.accepted_on is None:
            continue
        if target.sector not in (None, p.sector) or target.batch not in (None, p.batch):
            continue
        since[p.id] = first
    return Basis("project", since)


def _population(facts: Facts, plan: Plan, target: Target) -> list[EnterpriseFact]:
    sectors = {s.id for s in plan.sectors} - {"other"}
    if target.sector is not None:
        sectors &= {target.sector}
    return [e for e in facts.enterprises if e.above and e.sector in sectors]


def basis_of(facts: Facts, plan: Plan, target: Target) -> Basis:
    """Return the rows behind ``target`` and the first day each of them counts."""
    start = plan.programme_start
    metric = target.metric
    if metric == "pilots_accepted":
        return _projects(facts, target, ACCEPT)
    if metric == "municipal_samples":
        return _projects(facts, target, MUNICIPAL)
    if metric == "new_smart_factories":
        named = {
            e.id: e.smart_factory_on
            for e in facts.enterprises
            if e.smart_factory_on is not None
            and e.smart_factory_on >= start
            and target.sector in (None, e.sector)
        }
        return Basis("enterprise", named)
    if metric == "products_launched":
        return Basis("product", {i: d for i, d in facts.products.items() if d >= start})
    population = _population(facts, plan, target)
    ids = tuple(e.id for e in population)
    if metric == "above_scale_level2_share":
        level2 = {
            e.id: e.level_on
            for e in population
            if e.level is not None and e.level >= LEVEL_TWO and e.level_on is not None
        }
        return Basis("enterprise", level2, ids)
    if metric == "above_scale_cloud_share":
        return Basis("enterprise", {e.id: date.min for e in population if e.cloud}, ids)
    return Basis("", {})


def _pilots(facts: Facts, plan: Plan, on: date) -> tuple[PilotCell, ...]:
    accepted = Counter(
        (p.batch, p.sector) for p in facts.projects if p.accepted_on and p.accepted_on <= on
    )
    quotas = {(b.id, s.id): b.quota(s.id) for b in plan.batches for s in plan.sectors}
    # the plan's places first, in its order; a batch or sector it does not name comes after
    keys = [k for k, quota in quotas.items() if quota or accepted[k]]
    keys += sorted(k for k in accepted if k not in quotas)
    return tuple(PilotCell(b, s, accepted[(b, s)], quotas.get((b, s), 0)) for b, s in keys)


@dataclass(slots=True)
class Row:
    """One project, enterprise or product behind a figure, for the drill-down page."""

    kind: str
    id: int
    name: str
    party: str  # a project's enterprise, a product's contractor, an enterprise's town
    sector: str
    batch: str
    level: int | None = None
    level_on: date | None = None
    cloud: bool | None = None
    since: date | None = None  # the day it started to count
    counted: bool = False
    late: bool = False  # counts on the as-of day, but not by the passed deadline


def rows_behind(session: Session, report: KpiReport, figure: Figure) -> list[Row]:
    """Return the rows behind a figure: those counted first (by day), then a share's others."""
    counted, late = set(figure.counted), set(figure.late)
    ids = sorted(set(figure.basis.population or ()) | counted)
    since = figure.basis.since
    rows: list[Row] = []
    bureau = report.bureau_org_id
    kind = figure.basis.kind
    if kind == "project" and ids:
        stmt = select(Project).where(Project.org_id == bureau, Project.id.in_(ids))
        projects = list(session.scalars(stmt))
        wanted = {p.enterprise_id for p in projects}
        names = session.execute(
            select(Enterprise.id, Enterprise.name).where(
                Enterprise.org_id == bureau, Enterprise.id.in_(wanted)
            )
        )
        enterprise_names: dict[int, str] = dict(names.all())
        rows = [
            Row(kind, p.id, p.title, enterprise_names.get(p.enterprise_id, ""), p.sector, p.batch)
            for p in projects
        ]
    elif kind == "enterprise" and ids:
        stmt_e = select(Enterprise).where(Enterprise.org_id == bureau, Enterprise.id.in_(ids))
        rows = [
            Row(kind, e.id, e.name, e.town, e.sector, "", e.digital_level, e.level_on, e.cloud)
            for e in session.scalars(stmt_e)
        ]
    elif kind == "product" and ids:
        stmt_p = public_products().where(Product.id.in_(ids))
        products = list(session.scalars(stmt_p, execution_options=ALL_TENANTS))
        owners = contractor_names(session, {p.org_id for p in products})
        rows = [Row(kind, p.id, p.name, owners.get(p.org_id, ""), "", "") for p in products]
    for row in rows:
        first = since.get(row.id)
        # an undated share (cloud) counts with no day to show
        row.since = None if first == date.min else first
        row.counted, row.late = row.id in counted, row.id in late
    return sorted(rows, key=lambda r: (not r.counted, r.since or date.max, r.id))


def report_for(session: Session, bureau_org_id: int, on: date) -> KpiReport:
    """Return every target of the bureau's active plan on ``on``."""
    plan = active_plan(session, bureau_org_id)
    facts = _facts(session, bureau_org_id)
    metrics = {m.id: m for m in plan.metrics}
    figures = []
    for target in plan.targets:
        basis = basis_of(facts, plan, target)
        judged = basis.value(min(on, target.deadline))
        status = target_status(target, judged, on, plan.programme_start)
        figures.append(Figure(target, metrics.get(target.metric), status, basis, on))
    return KpiReport(bureau_org_id, plan, on, tuple(figures), _pilots(facts, plan, on))


def kpi_report(session: Session, scope: Scope, on: date | None = None) -> KpiReport:
    """Return the scope's bureau's targets on ``on`` (default today); bureaus only."""
    if scope.org_kind != OrgKind.BUREAU:
        raise PermissionDenied("only a bureau reads the targets dashboard")
    return report_for(session, scope.org_id, on or date.today())
