"""Industry indices: consented figures summed by sector, sub-sector or town, week by week.

Every figure goes through ``collect`` (consent, coarsening, the read log) and then through the
k-anonymity table, so the page, the Excel export and the API show the same cells and hide the
same ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.errors import ValidationFailed
from loom.kernel.plugins.spec import AppSpec, BrainMetric
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.engine.indices import Shared, level_table, weekly_table, weeks_between
from loom.modules.brain.engine.kanon import K_MIN, Table
from loom.modules.brain.engine.series import week_of
from loom.modules.brain.service.collect import OrgSeries, find_metric, read_shared, sharing
from loom.modules.brain.service.sample_cache import FIGURES
from loom.modules.programme.models.registry import Enterprise
from loom.modules.programme.registry.fields import SECTORS, towns

#: the figures the index page offers, in its order
INDEX_METRICS = (
    "shopfloor.output_pieces",
    "scheduling.utilisation",
    "shopfloor.on_time",
    "quality.dhu",
    "energy.per_piece",
)
#: figures of plans rather than of what happened: their pages open on the weeks ahead
PLANNED_METRICS = frozenset({"scheduling.utilisation"})
LEVEL_METRIC = "assessment.level"
GROUPINGS = ("all", "sector", "sub_sector", "town")
#: the one group of the "all" grouping, and of enterprises the registry does not list
DISTRICT = "*"
UNLISTED = ""
#: why the brain read, as the enterprise's read log shows it (English msgids)
INDEX_PURPOSES = {
    "all": "Industry index of the district",
    "sector": "Industry index by sector",
    "sub_sector": "Industry index by sub-sector",
    "town": "Industry index by town",
}
LEVEL_PURPOSES = {
    "all": "Digital-level distribution of the district",
    "sector": "Digital-level distribution by sector",
    "sub_sector": "Digital-level distribution by sub-sector",
    "town": "Digital-level distribution by town",
}
#: a typo guard: a year of weeks at most
MAX_WEEKS = 53
#: the digital level as it stood on a day: the latest assessment since this day counts
LEVELS_SINCE = date(2000, 1, 1)


@dataclass(frozen=True)
class IndexTable:
    """A metric's table of groups × weeks, ready to show, export or serve."""

    metric: BrainMetric
    grouping: str
    start: date
    end: date
    weeks: list[date]
    table: Table


@dataclass(frozen=True)
class LevelTable:
    """How many consenting enterprises hold each digital level, by group."""

    grouping: str
    end: date
    table: Table


def check_grouping(grouping: str) -> None:
    """Refuse an unknown grouping, naming the field."""
    if grouping not in GROUPINGS:
        raise ValidationFailed(
            "by: one of %(choices)s", field="by", params={"choices": ", ".join(GROUPINGS)}
        )


def check_span(start: date, end: date) -> tuple[date, date]:
    """Return the span stretched to whole ISO weeks; refuse a reversed or too long one."""
    if end < start:
        raise ValidationFailed("to: the span ends before it starts", field="to")
    first, last = week_of(start), week_of(end) + timedelta(days=6)
    if (last - first).days // 7 + 1 > MAX_WEEKS:
        raise ValidationFailed(
            "to: at most %(n)s weeks at once", field="to", params={"n": MAX_WEEKS}
        )
    return first, last


def classify(session: Session, org_ids: Iterable[int], grouping: str) -> dict[int, str]:
    """Return each enterprise's group: its registry sector, sub-sector or town.

    Where an enterprise sits is the bureau's registry knowledge, not the enterprise's
    operational data, so it is read across registries (the oldest entry wins).
    """
    wanted = sorted(set(org_ids))
    if grouping == "all":
        return dict.fromkeys(wanted, DISTRICT)
    found = dict.fromkeys(wanted, UNLISTED)
    if not wanted:
        return found
    column = {
        "sector": Enterprise.sector,
        "sub_sector": Enterprise.sub_sector,
        "town": Enterprise.town,
    }[grouping]
    stmt = (
        select(Enterprise.enterprise_org_id, column)
        .where(Enterprise.enterprise_org_id.in_(wanted))
        .order_by(Enterprise.id.desc())
        .execution_options(loom_all_tenants=True)
    )
    for org_id, value in session.execute(stmt):
        if org_id is not None:
            found[org_id] = str(value or "").strip()
    return found


def group_order(grouping: str) -> dict[str, int]:
    """Return the natural order of a grouping's groups (sectors as the plan lists them …)."""
    if grouping == "sector":
        names = list(SECTORS)
    elif grouping == "town":
        names = list(towns())
    else:
        names = []
    return {name: index for index, name in enumerate(names)}


def ordered_groups(found: dict[int, str], grouping: str) -> list[str]:
    """Return the groups present, in the grouping's natural order, unlisted last."""
    rank = group_order(grouping)
    names = set(found.values())
    # the unlisted enterprises come last: a row of their own keeps the margins honest
    return sorted(names, key=lambda n: (n == UNLISTED, rank.get(n, len(rank)), n))


def _read(
    session: Session,
    reader: Scope,
    apps: dict[str, AppSpec],
    metric_name: str,
    start: date,
    end: date,
    grouping: str,
    purpose: str,
) -> tuple[list[OrgSeries], dict[int, str]]:
    """Return what the sharing enterprises shared (samples up to a minute old) and their groups."""
    shared = sharing(session, apps, metric_name)
    # classified before the reads, right after the other cross-tenant reads: one role switch
    groups = classify(session, [org.id for org, _ in shared.orgs], grouping)
    series = read_shared(session, reader, shared, start, end, purpose=purpose, reuse=True)
    return series, groups


def _sources(series: Iterable[OrgSeries], groups: dict[int, str]) -> tuple[object, ...]:
    """Return what names a table's inputs: each enterprise, its group and its samples' read."""
    return tuple((s.org_id, groups[s.org_id], s.generation) for s in series)


def index_table(
    session: Session,
    reader: Scope,
    apps: dict[str, AppSpec],
    metric_name: str,
    start: date,
    end: date,
    grouping: str = "all",
    *,
    k: int = K_MIN,
) -> IndexTable:
    """Return one metric's consented figures by group and week, with small cells hidden."""
    if metric_name not in INDEX_METRICS:
        raise ValidationFailed(
            "metric: one of %(choices)s",
            field="metric",
            params={"choices": ", ".join(INDEX_METRICS)},
        )
    check_grouping(grouping)
    first, last = check_span(start, end)
    series, found = _read(
        session, reader, apps, metric_name, first, last, grouping, INDEX_PURPOSES[grouping]
    )
    metric = find_metric(apps, metric_name)[1]
    weeks = weeks_between(first, last)

    def make() -> Table:
        shared = [Shared(s.org_id, found[s.org_id], s.samples) for s in series]
        return weekly_table(shared, ordered_groups(found, grouping), weeks, k)

    # the same kept samples and groups make the same table: built once, shown many times
    key = ("index", metric_name, first, last, grouping, k, _sources(series, found))
    return IndexTable(metric, grouping, first, last, weeks, FIGURES.get_or_make(key, make))


def level_distribution(
    session: Session,
    reader: Scope,
    apps: dict[str, AppSpec],
    end: date,
    grouping: str = "all",
    *,
    k: int = K_MIN,
) -> LevelTable:
    """Return how many consenting enterprises hold each latest level on ``end``, by group."""
    check_grouping(grouping)
    series, found = _read(
        session, reader, apps, LEVEL_METRIC, LEVELS_SINCE, end, grouping, LEVEL_PURPOSES[grouping]
    )
    shared = [Shared(s.org_id, found[s.org_id], s.samples) for s in series]
    return LevelTable(grouping, end, level_table(shared, ordered_groups(found, grouping), k))
