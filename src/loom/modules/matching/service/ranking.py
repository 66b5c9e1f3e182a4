"""The brain ranks factories for a posted order, reading only what each factory shares.

Every figure comes through ``loom.modules.brain.service.collect.collect`` with a purpose that
names the posted order, so each factory finds the read in its own read log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.errors import Conflict
from loom.kernel.plugins.enablement import is_enabled
from loom.kernel.plugins.spec import AppSpec, MetricSample
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.service.collect import OrgSeries, collect
from loom.modules.brain.service.consent import sharing_orgs
from loom.modules.matching.engine.categories import same_category
from loom.modules.matching.engine.ranking import Facts, Need, Ranked, as_dict, rank
from loom.modules.matching.models import MatchOrder
from loom.modules.matching.service.orders import get, number, today

#: how far back category experience and the quality record look
HISTORY_DAYS = 180
#: how far back the latest digital level is looked for
LEVEL_DAYS = 3 * 365
#: the category of a line that sews any category (scheduling.free_minutes)
ANY_CATEGORY = "*"


def purpose_of(order: MatchOrder) -> str:
    """Return the purpose every ranking read names."""
    return f"order match-making: ranking factories for posted order {number(order.id)}"


def need_of(order: MatchOrder) -> Need:
    """Return the engine's view of a posted order."""
    return Need(order.category, order.quantity, order.sam_minutes, order.max_dhu_pct)


def _dim(sample: MetricSample, name: str) -> str:
    return dict(sample.dims).get(name, "")


def _by_org(series: Iterable[OrgSeries]) -> dict[int, list[MetricSample]]:
    return {s.org_id: s.samples for s in series}


def candidates(session: Session, scope: Scope, apps: dict[str, AppSpec]) -> dict[int, str]:
    """Return the enterprises other than the poster sharing capacity, with their names.

    An enterprise that switched match-making off could not answer an invitation: it is left out.
    """
    ids = set(sharing_orgs(session, "capacity")) - {scope.org_id}
    if not ids:
        return {}
    orgs = session.scalars(
        select(Organisation).where(Organisation.id.in_(ids), Organisation.is_active.is_(True))
    ).all()
    spec = apps.get("matching")
    return {org.id: org.name for org in orgs if spec is None or is_enabled(session, org, spec)}


def gather(
    session: Session,
    scope: Scope,
    apps: dict[str, AppSpec],
    order: MatchOrder,
    names: dict[int, str],
    on: date,
) -> list[Facts]:
    """Read the four factors of every candidate through the brain's audited door."""
    ids = sorted(names)
    purpose = purpose_of(order)
    since = on - timedelta(days=HISTORY_DAYS - 1)

    def read(metric: str, start: date, end: date) -> dict[int, list[MetricSample]]:
        if start > end:
            return {}
        return _by_org(
            collect(session, scope, apps, metric, start, end, purpose=purpose, org_ids=ids)
        )

    free = read("scheduling.free_minutes", on, order.due_date)
    pieces = read("shopfloor.category_pieces", since, on)
    dhu = read("quality.dhu", since, on)
    levels = read("assessment.level", on - timedelta(days=LEVEL_DAYS - 1), on)
    shares = {c: set(sharing_orgs(session, c)) for c in ("orders", "quality", "digital_level")}

    found: list[Facts] = []
    for org_id in ids:
        minutes = sum(
            s.numerator
            for s in free.get(org_id, [])
            if same_category(_dim(s, "category"), order.category)
            or _dim(s, "category") == ANY_CATEGORY
        )
        made: float | None = None
        if org_id in shares["orders"]:
            made = sum(
                s.numerator
                for s in pieces.get(org_id, [])
                if same_category(_dim(s, "category"), order.category)
            )
        checked = sum(s.denominator for s in dhu.get(org_id, []))
        defects = sum(s.numerator for s in dhu.get(org_id, []))
        latest = max(levels.get(org_id, []), key=lambda s: s.day, default=None)
        level = None
        if latest is not None and latest.denominator:
            level = latest.numerator / latest.denominator
        found.append(
            Facts(
                org_id=org_id,
                name=names[org_id],
                free_minutes=minutes,
                category_pieces=made,
                dhu_pct=100 * defects / checked if checked else None,
                level=level,
                quality_shared=org_id in shares["quality"],
                level_shared=org_id in shares["digital_level"],
            )
        )
    return found


def rank_order(
    session: Session,
    scope: Scope,
    apps: dict[str, AppSpec],
    order_id: int,
    *,
    on: date | None = None,
) -> list[Ranked]:
    """Rank the factories for an open posted order and keep the ranking with it (audited)."""
    order = get(session, scope, order_id)
    if order.status != "open":
        raise Conflict(
            "status: order %(number)s is %(status)s and is not ranked again",
            field="status",
            params={"number": number(order.id), "status": order.status},
        )
    day = on or today()
    names = candidates(session, scope, apps)
    ranked = rank(need_of(order), gather(session, scope, apps, order, names, day))
    order.ranking = [as_dict(r, place) for place, r in enumerate(ranked, start=1)]
    order.ranked_at = utcnow()
    session.flush()
    record_scoped(
        session,
        scope,
        "matching.order.ranked",
        "match_order",
        order.id,
        after={
            "on": day.isoformat(),
            "factories": [{"org_id": r.org_id, "score": r.score} for r in ranked],
        },
    )
    return ranked
