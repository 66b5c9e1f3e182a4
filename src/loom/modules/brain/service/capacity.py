"""The capacity map: free sewing operator-minutes per week by category, skill, town, enterprise.

Free minutes come from each sharing enterprise's own plan and calendars (the scheduling app's
``scheduling.free_minutes``). A line's minutes are offered under every category it sews, or
under ``*`` when it sews any: the capacity for a category is its own minutes plus the ``*``
minutes, and categories are never added together. District, category, skill and town figures
are sums over enterprises and hide what fewer than three enterprises make; the list of
enterprises shows each one's own figures, which it shares with the bureau by consenting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from loom.kernel.errors import ValidationFailed
from loom.kernel.plugins.spec import AppSpec, MetricSample
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.engine.indices import weeks_between
from loom.modules.brain.engine.kanon import K_MIN, Contribution, Table, build
from loom.modules.brain.engine.series import week_of
from loom.modules.brain.service.collect import OrgSeries, read_shared, sharing
from loom.modules.brain.service.indices import classify, ordered_groups
from loom.modules.brain.service.sample_cache import FIGURES

FREE_METRIC = "scheduling.free_minutes"
ANY_CATEGORY = "*"
SKILLS = (1, 2, 3, 4, 5)
MAX_WEEKS = 26
PURPOSE = "Capacity map"


@dataclass(frozen=True)
class EnterpriseCapacity:
    """One enterprise's free minutes per week for the chosen category and skill."""

    org_id: int
    name: str
    town: str
    weeks: dict[date, float]

    @property
    def total(self) -> float:
        """Return the free minutes of every week together."""
        return sum(self.weeks.values())


@dataclass(frozen=True)
class CapacityMap:
    """Free capacity of the chosen weeks, category and lowest skill grade."""

    start: date
    weeks: list[date]
    category: str
    min_skill: int
    categories: list[str]
    by_category: Table
    by_skill: Table
    by_town: Table
    enterprises: list[EnterpriseCapacity]


def _dims(sample: MetricSample) -> tuple[str, int]:
    found = dict(sample.dims)
    skill = found.get("skill", "1")
    return found.get("category", ANY_CATEGORY), int(skill) if skill.isdigit() else 1


def fits(category: str, wanted: str) -> bool:
    """Return whether minutes offered under ``category`` can sew ``wanted``."""
    return category in (wanted, ANY_CATEGORY)


def check_request(weeks: int, min_skill: int) -> None:
    """Refuse a number of weeks or a skill grade out of range, naming the field."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationFailed(
            "weeks: a whole number from 1 to %(n)s", field="weeks", params={"n": MAX_WEEKS}
        )
    if min_skill not in SKILLS:
        raise ValidationFailed("skill: a grade from 1 to 5", field="skill")


def _in_weeks(
    series: Sequence[OrgSeries], known: set[date]
) -> list[tuple[int, date, str, int, float]]:
    found = []
    for item in series:
        for sample in item.samples:
            week = week_of(sample.day)
            if week in known and sample.numerator > 0:
                category, skill = _dims(sample)
                found.append((item.org_id, week, category, skill, sample.numerator))
    return found


def capacity_map(
    session: Session,
    reader: Scope,
    apps: dict[str, AppSpec],
    start: date,
    weeks: int = 4,
    category: str = "",
    min_skill: int = 1,
    *,
    k: int = K_MIN,
) -> CapacityMap:
    """Return the free capacity of ``weeks`` weeks from ``start``'s week on."""
    check_request(weeks, min_skill)
    first = week_of(start)
    last = first + timedelta(weeks=weeks, days=-1)
    shared = sharing(session, apps, FREE_METRIC)
    # classified before the reads, right after the other cross-tenant reads: one role switch
    towns = classify(session, [org.id for org, _ in shared.orgs], "town")
    series = read_shared(session, reader, shared, first, last, purpose=PURPOSE, reuse=True)
    # the same kept samples, towns and names make the same map: built once, shown many times
    sources = tuple((s.org_id, towns[s.org_id], s.name, s.generation) for s in series)
    key = ("capacity", first, last, category, min_skill, k, sources)
    return FIGURES.get_or_make(
        key, lambda: _build_map(series, towns, first, last, category, min_skill, k)
    )


def _build_map(
    series: Sequence[OrgSeries],
    towns: dict[int, str],
    first: date,
    last: date,
    category: str,
    min_skill: int,
    k: int,
) -> CapacityMap:
    mondays = weeks_between(first, last)
    rows = _in_weeks(series, set(mondays))
    categories = sorted({r[2] for r in rows}, key=lambda c: (c == ANY_CATEGORY, c))
    chosen = category if category in categories else next(iter(categories), ANY_CATEGORY)
    by_category = build(
        [Contribution(o, c, w, m) for o, w, c, s, m in rows if s >= min_skill],
        categories,
        mondays,
        k,
        column_totals=False,
    )
    mine = [r for r in rows if fits(r[2], chosen)]
    by_skill = build(
        [Contribution(o, s, w, m) for o, w, _c, s, m in mine], list(SKILLS), mondays, k
    )
    wanted = [r for r in mine if r[3] >= min_skill]
    by_town = build(
        [Contribution(o, towns[o], w, m) for o, w, _c, _s, m in wanted],
        ordered_groups(towns, "town"),
        mondays,
        k,
    )
    return CapacityMap(
        first,
        mondays,
        chosen,
        min_skill,
        categories,
        by_category,
        by_skill,
        by_town,
        _enterprises(wanted, towns, {s.org_id: s.name for s in series}),
    )


def _enterprises(
    rows: list[tuple[int, date, str, int, float]], towns: dict[int, str], names: dict[int, str]
) -> list[EnterpriseCapacity]:
    sums: defaultdict[int, defaultdict[date, float]] = defaultdict(lambda: defaultdict(float))
    for org_id, week, _category, _skill, minutes in rows:
        sums[org_id][week] += minutes
    found = [
        EnterpriseCapacity(org_id, names.get(org_id, ""), towns.get(org_id, ""), dict(weeks))
        for org_id, weeks in sums.items()
    ]
    return sorted(found, key=lambda e: (-e.total, e.name))
