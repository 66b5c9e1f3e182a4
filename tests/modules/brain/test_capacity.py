"""The capacity map, over free minutes that a stand-in scheduling app reports.

The scheduling app's own figure is tested in tests/apps/scheduling; here a provider returns
fixed free operator-minutes, (category, skill grade): minutes, per enterprise:

====  ========  =======  ==========================================  ==================
org   town      shares   week of 2026-03-09 (W1)                     W2 (2026-03-16)
====  ========  =======  ==========================================  ==================
C1    古林镇    daily    03-10: (shirt, 3) 600, (shirt, 5) 300       03-17: (shirt, 3) 100
C2    古林镇    weekly   03-09: (*, 2) 1 000 (a line of any category)
C3    古林镇    daily    03-11: (tee, 4) 500, (shirt, 4) 500 (one line sewing both)
C4    高桥镇    daily    03-12: (shirt, 1) 200
C5    高桥镇    (never)  03-10: (shirt, 3) 9 999
====  ========  =======  ==========================================  ==================

Shirt capacity counts shirt and * minutes: C1 1 000 (900 + 100), C2 1 000, C3 500 (its tee
minutes are the same minutes), C4 200: 2 700 in all, 2 600 of them in W1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from loom import __version__
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.spec import AppSpec, BrainMetric, MetricSample
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.engine.kanon import ALL, TOTAL
from loom.modules.brain.models import BrainRead
from loom.modules.brain.service.capacity import CapacityMap, capacity_map
from loom.modules.programme.models.registry import Enterprise
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.brain.district import share

W1, W2 = date(2026, 3, 9), date(2026, 3, 16)
FREE: dict[str, list[tuple[int, str, int, float]]] = {
    "C1": [(10, "shirt", 3, 600), (10, "shirt", 5, 300), (17, "shirt", 3, 100)],
    "C2": [(9, "*", 2, 1000)],
    "C3": [(11, "tee", 4, 500), (11, "shirt", 4, 500)],
    "C4": [(12, "shirt", 1, 200)],
    "C5": [(10, "shirt", 3, 9999)],
}
TOWNS = {"C1": "古林镇", "C2": "古林镇", "C3": "古林镇", "C4": "高桥镇", "C5": "高桥镇"}


def _seed(factory: Factory) -> tuple[dict[str, AppSpec], Scope, dict[str, int]]:
    bureau = factory.org("bureau", OrgKind.BUREAU, name="经信局")
    factory.user("bea", (bureau, Role.MEMBER))
    orgs = {name: factory.org(name.lower(), OrgKind.ENTERPRISE, name=name) for name in FREE}
    by_id = {org.id: name for name, org in orgs.items()}

    def provider(session: object, scope: Scope, start: date, end: date) -> Sequence[MetricSample]:
        return [
            MetricSample(date(2026, 3, day), minutes, dims=(("category", c), ("skill", str(s))))
            for day, c, s, minutes in FREE[by_id[scope.org_id]]
            if start <= date(2026, 3, day) <= end
        ]

    metric = BrainMetric("scheduling.free_minutes", "capacity", "Free", "min", provider)
    spec = AppSpec(slug="scheduling", name="Stand-in", version=__version__, brain_metrics=(metric,))
    with session_scope(factory.runtime.session_factory) as s:
        for n, (name, town) in enumerate(TOWNS.items(), start=1):
            s.add(
                Enterprise(
                    org_id=bureau.id,
                    name=name,
                    credit_code=f"91330203MA2H{n:06d}",
                    sector="apparel",
                    size="above",
                    town=town,
                    enterprise_org_id=orgs[name].id,
                )
            )
    for name, granularity in (("C1", "daily"), ("C2", "weekly"), ("C3", "daily"), ("C4", "daily")):
        share(factory, orgs[name], "capacity", granularity)
    reader = system_scope(bureau.id, OrgKind.BUREAU, "test")
    return {"scheduling": spec}, reader, {n: o.id for n, o in orgs.items()}


def _map(
    factory: Factory, category: str = "", skill: int = 1
) -> tuple[CapacityMap, dict[str, int]]:
    apps, reader, ids = _seed(factory)
    with session_scope(factory.runtime.session_factory) as s:
        return capacity_map(s, reader, apps, date(2026, 3, 11), 2, category, skill), ids


@both_backends
def test_the_chosen_category_counts_its_own_and_any_category_minutes(factory: Factory) -> None:
    found, ids = _map(factory)
    assert found.weeks == [W1, W2]
    assert found.categories == ["shirt", "tee", "*"]
    assert found.category == "shirt"  # the first one when none is asked for
    listed = [(e.name, e.town, e.weeks.get(W1, 0), e.weeks.get(W2, 0)) for e in found.enterprises]
    assert listed == [
        ("C1", "古林镇", 900, 100),
        ("C2", "古林镇", 1000, 0),
        ("C3", "古林镇", 500, 0),
        ("C4", "高桥镇", 200, 0),
    ]
    with session_scope(factory.runtime.session_factory) as s:
        read = {r.org_id for r in s.scalars(select(BrainRead))}
    assert ids["C5"] not in read
    assert read == {ids[n] for n in ("C1", "C2", "C3", "C4")}


def test_town_sums_of_few_enterprises_are_hidden(factory: Factory) -> None:
    found, _ids = _map(factory)
    town = found.by_town
    # 高桥镇 is C4 alone; 古林镇's W2 is C1 alone, so its W1 (2 400) and total (2 500) would
    # reveal it or 高桥镇 by subtraction and are hidden too; the W1 district figure (2 600)
    # minus the total would reveal C1's W2 as well. Only the district's total stands.
    for key in (
        ("古林镇", W1),
        ("古林镇", W2),
        ("古林镇", TOTAL),
        ("高桥镇", W1),
        ("高桥镇", TOTAL),
    ):
        assert town.is_suppressed(*key), key
    assert town.shown(ALL, W1) is None
    assert town.shown(ALL, W2) is None
    total = town.shown(ALL, TOTAL)
    assert total is not None
    assert total.numerator == 2700


def test_categories_are_never_added_together(factory: Factory) -> None:
    found, _ids = _map(factory)
    table = found.by_category
    # shirt: C1, C3, C4 in W1 (600 + 300 + 500 + 200 = 1 600) and C1 alone in W2: W1 goes
    # with W2, the row's total (1 700, three enterprises) stays
    shirt = table.shown("shirt", TOTAL)
    assert shirt is not None
    assert shirt.numerator == 1700
    assert table.is_suppressed("shirt", W1)
    assert table.is_suppressed("tee", W1)  # C3 alone
    assert table.is_suppressed("*", W1)  # C2 alone
    assert table.shown(ALL, TOTAL) is None  # a sum over categories would count C3 twice


def test_a_higher_skill_grade_narrows_the_minutes(factory: Factory) -> None:
    found, _ids = _map(factory, "shirt", 3)
    # grade 3 or more: C1's 600 + 300 (+ 100 in W2) and C3's 500; C2 (grade 2) and C4 (1) drop
    assert [(e.name, e.total) for e in found.enterprises] == [("C1", 1000), ("C3", 500)]
    assert found.by_town.shown(ALL, TOTAL) is None  # two enterprises
