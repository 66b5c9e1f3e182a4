"""The full demo district that ``loom demo`` seeds: the programme and six working factories.

One transaction, every row through its module's or app's service, deterministic for a given
day (seeded random numbers; the shop floor's history ends "now"). Steps that modules written
later add (the brain's consent settings) are run from ``LATER_STEPS`` at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.demo import (
    consent,
    factories,
    floorapps,
    money,
    needs,
    projects,
    registry,
    scans,
    selection,
)
from loom.demo.accounts import (
    DEMO_PASSWORD,
    DISTRICT_LOGINS,
    ORGANISATIONS,
    DemoLogin,
    bound,
    ensure_logins,
    ensure_organisations,
    scope_of,
)
from loom.demo.progress import Reporter, Silent
from loom.kernel.db.base import utcnow
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.modules.programme.models import Enterprise
from loom.modules.programme.service import plans
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.models import Bundle

BUREAU = "haishu-bureau"
DISTRICT_ORGANISATIONS = (
    *ORGANISATIONS,
    *((slug, name, OrgKind.CONTRACTOR) for slug, name, _s in selection.CONTRACTORS[1:]),
)
#: an organisation only the full district has: its presence means the district is seeded
MARKER = selection.CONTRACTORS[1][0]
#: progress units of the steps (about a tenth of a second each on a 2-core machine)
WEIGHTS = {"accounts": 20, "programme": 90, "money": 5, "floor": 25, "apps": 20}


@dataclass
class District:
    """What the seed made, for the steps after it and for the report."""

    orgs: dict[str, Organisation]
    firms: list[tuple[registry.Firm, Enterprise]]
    floors: dict[str, factories.Floor] = field(default_factory=dict)
    today: date = date.min
    now: datetime = datetime.min
    counts: dict[str, int] = field(default_factory=dict)


#: steps that modules add to the seed: each is called with the session and the seeded district
LaterStep = Callable[[Session, District], None]
LATER_STEPS: tuple[LaterStep, ...] = (consent.seed_consents,)


@dataclass(frozen=True)
class Outcome:
    """Whether the seed ran (False: the district was there already) and the logins."""

    seeded: bool
    logins: tuple[DemoLogin, ...]
    counts: dict[str, int]


def district_seeded(session: Session) -> bool:
    """Return whether the database already holds the demo district."""
    return session.scalar(select(Organisation.id).where(Organisation.slug == MARKER)) is not None


def _refuse_other_seed(session: Session) -> None:
    bureau = session.scalar(select(Organisation).where(Organisation.slug == BUREAU))
    if bureau is None:
        return
    entries = session.scalar(
        select(func.count()).select_from(Enterprise).where(Enterprise.org_id == bureau.id)
    )
    if entries:
        raise Conflict(
            "this database already holds a smaller demo registry; seed the district into a "
            "fresh database (remove the SQLite file or point LOOM_DATABASE_URL elsewhere)"
        )


def seed_district(
    session: Session,
    *,
    secret_key: str,
    password: str = DEMO_PASSWORD,
    now: datetime | None = None,
    progress: Reporter | None = None,
) -> Outcome:
    """Seed the district once; a second run finds it and changes nothing."""
    if district_seeded(session):
        return Outcome(False, DISTRICT_LOGINS, {})
    _refuse_other_seed(session)
    report = progress or Silent()
    moment = now or utcnow()
    today = moment.astimezone(LOCAL_TZ).date()
    report.advance(0, "organisations and logins")
    orgs = ensure_organisations(session, DISTRICT_ORGANISATIONS)
    ensure_logins(session, orgs, DISTRICT_LOGINS, password)
    report.advance(WEIGHTS["accounts"], "registry and pilots")
    district = _programme(session, orgs, today, report)
    district.now = moment
    for slug, prefix, line_count, staff, _garments in factories.FLOORS:
        _factory(session, district, slug, prefix, line_count, staff, secret_key, report)
    # later steps: what modules written after the district add to it (the brain's consent)
    for step in LATER_STEPS:
        step(session, district)
    session.flush()
    return Outcome(True, DISTRICT_LOGINS, district.counts)


def _programme(
    session: Session, orgs: dict[str, Organisation], today: date, report: Reporter
) -> District:
    bureau = orgs[BUREAU]
    office = scope_of(bureau, "bureau")
    plans.publish(session, office, note="演示：发布行动方案第1版")
    firms = registry.seed_registry(session, office, orgs)
    selection.seed_contractors(session, bureau, orgs)
    selection.seed_products(session, bureau, orgs)
    applications = selection.seed_pilots(session, office, firms)
    report.advance(WEIGHTS["programme"] / 3, "projects")
    district = District(orgs, firms, today=today)
    district.counts["projects"] = projects.seed_projects(session, office, orgs, firms, applications)
    report.advance(WEIGHTS["programme"] / 3, "N+X lists and subsidies")
    district.counts["needs"] = needs.seed_needs(session, office, firms)
    awards, payments = money.seed_awards(session, office, today)
    district.counts.update(awards=awards, payments=payments)
    report.advance(WEIGHTS["programme"] / 3 + WEIGHTS["money"])
    return district


def _factory(
    session: Session,
    district: District,
    slug: str,
    prefix: str,
    line_count: int,
    staff: int,
    secret_key: str,
    report: Reporter,
) -> None:
    org = district.orgs[slug]
    with bound(session, scope_of(org, "factory")) as scope:
        report.advance(0, f"{prefix} master data and orders")
        floor = factories.seed_master_data(session, scope, slug, prefix, line_count, staff)
        start = scans.history_start(district.today, factories.HISTORY_DAYS)
        factories.seed_orders(session, scope, floor, staff, start.date())
        district.floors[slug] = floor
        report.advance(WEIGHTS["floor"], f"{prefix} 90 days of scans")
        stored = scans.replay_history(
            session,
            scope,
            floor,
            staff,
            secret_key=secret_key,
            start=start,
            now=district.now,
            tick=lambda n: report.advance(n / 1000),
        )
        statuses = scans.settle_orders(session, scope)  # the spare cut orders wait: cutting
        report.advance(0, f"{prefix} quality, machines, energy")
        inspected = floorapps.seed_quality(session, scope, district.today, district.now)
        first = slug == factories.FLOORS[0][0]
        floorapps.seed_machines(session, org, scope, district.today, district.now, first)
        readings = floorapps.seed_energy(session, scope, floor, district.today)
        floorapps.seed_schedules(session, scope, floor, staff, district.today)
        report.advance(WEIGHTS["apps"])
    counts = district.counts
    bundles = session.scalar(
        select(func.count()).select_from(Bundle).where(Bundle.org_id == org.id)
    )
    for name, value in (
        ("bundles", bundles or 0),
        ("scans", stored),
        ("inspections", inspected),
        ("readings", readings),
        ("orders_done", statuses.get("done", 0)),
    ):
        counts[name] = counts.get(name, 0) + value


def scans_expected(line_count: int, staff: int) -> float:
    """Return about how many thousand scans a floor's history holds (for the progress bar)."""
    # measured on the seed: an operator scans about 15 bundles a day
    return line_count * staff * 15 * factories.HISTORY_DAYS / 1000


def total_units() -> float:
    """Return the progress units known before the shop floors size themselves."""
    fixed = WEIGHTS["accounts"] + WEIGHTS["programme"] + WEIGHTS["money"]
    floors = sum(
        WEIGHTS["floor"] + WEIGHTS["apps"] + scans_expected(lines, staff)
        for _slug, _prefix, lines, staff, _garments in factories.FLOORS
    )
    return fixed + floors
