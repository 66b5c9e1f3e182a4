"""The level distribution, who may see which figure, and bad requests named by field.

Levels (latest submitted assessment up to 2026-03-01, sharing "digital_level"):
L1 古林镇 level 2 (level 1 in 2025, raised to 2 in 2026-01); L2 古林镇 2; L3 高桥镇 2;
L4 高桥镇 3; L5 does not share (level 4). District: level 2 × 3, level 3 × 1 — the single
level-3 enterprise is hidden, and with it level 2, since four minus three would show it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.service.rulesets import get_ruleset
from loom.modules.programme.models.registry import Enterprise
from loom.testing.factory import Factory
from tests.modules.brain.district import METRIC, seed_district, share

API = "/api/v1/brain"
PAGES = "/apps/brain"
LEVELS = {
    "L1": ("古林镇", [(date(2025, 5, 1), 1), (date(2026, 1, 10), 2)], True),
    "L2": ("古林镇", [(date(2025, 9, 1), 2)], True),
    "L3": ("高桥镇", [(date(2025, 9, 1), 2)], True),
    "L4": ("高桥镇", [(date(2025, 11, 1), 3)], True),
    "L5": ("高桥镇", [(date(2025, 11, 1), 4)], False),
}


def _seed_levels(factory: Factory) -> None:
    bureau = factory.org("bureau", OrgKind.BUREAU, name="经信局")
    factory.user("bea", (bureau, Role.MEMBER))
    orgs = {name: factory.org(name.lower(), OrgKind.ENTERPRISE, name=name) for name in LEVELS}
    with session_scope(factory.runtime.session_factory) as s:
        ruleset = get_ruleset(s, None).id
        for n, (name, (town, levels, _shares)) in enumerate(LEVELS.items(), start=1):
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
            for day, level in levels:
                s.add(
                    Assessment(
                        org_id=orgs[name].id,
                        kind="self",
                        phase="before",
                        assessed_on=day,
                        status="submitted",
                        ruleset_id=ruleset,
                        level=level,
                        submitted_at=datetime(2026, 2, 1, tzinfo=UTC),
                    )
                )
    for name, (_town, _levels, shares) in LEVELS.items():
        if shares:
            share(factory, orgs[name], "digital_level", "weekly")


def test_the_district_distribution_hides_a_lone_level(factory: Factory) -> None:
    _seed_levels(factory)
    client = factory.client("bea")
    got = client.get(f"{API}/levels", params={"to": "2026-03-01"})
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["columns"] == ["0", "1", "2", "3", "4"]
    (district,) = body["rows"]
    cells = {c["column"]: c for c in district["cells"]}
    assert cells["3"]["suppressed"]
    assert cells["2"]["suppressed"]
    assert cells["2"]["value"] is None
    assert cells["4"]["value"] is None  # L5 does not share: nobody at level 4
    assert not cells["4"]["suppressed"]
    assert district["total"]["value"] == 4
    page = client.get(f"{PAGES}/levels", params={"to": "2026-03-01"})
    assert page.status_code == 200
    assert page.text.count('data-testid="suppressed"') == 2


def test_an_earlier_day_counts_the_levels_then(factory: Factory) -> None:
    _seed_levels(factory)
    got = factory.client("bea").get(f"{API}/levels", params={"to": "2025-12-31"})
    (district,) = got.json()["rows"]
    cells = {c["column"]: c for c in district["cells"]}
    # on 2025-12-31 L1 was still at level 1: levels 1, 2, 2, 3 — every level cell is small
    assert district["total"]["value"] == 4
    assert all(cells[k]["suppressed"] for k in ("1", "2", "3"))


def test_enterprises_see_indices_but_not_the_capacity_map(factory: Factory) -> None:
    district = seed_district(factory)
    factory.user("erin", (district.orgs["E1"], Role.VIEWER))
    erin = factory.client("erin")
    got = erin.get(f"{API}/indices/{METRIC}", params={"from": "2026-03-09", "to": "2026-03-22"})
    assert got.status_code == 200
    assert got.json()["rows"][0]["total"]["value"] == 1770
    assert erin.get(f"{API}/capacity").status_code == 403
    assert erin.get(f"{PAGES}/capacity").status_code == 403
    assert erin.get(f"{PAGES}/indices").status_code == 200
    bea = factory.client("bea")
    assert bea.get(f"{PAGES}/capacity").status_code == 200
    assert bea.get(f"{PAGES}/sharing").status_code == 403  # the bureau has no consent
    home = bea.get(f"{PAGES}/", follow_redirects=False)
    assert home.headers["location"].endswith("/apps/brain/indices")


def test_bad_requests_name_the_field(factory: Factory) -> None:
    seed_district(factory)
    bea = factory.client("bea")

    def field(response: object) -> str:
        assert response.status_code == 422, response.text  # type: ignore[attr-defined]
        detail: str = response.json()["error"]["details"][0]["field"]  # type: ignore[attr-defined]
        return detail

    assert field(bea.get(f"{API}/indices/salaries")) == "metric"
    assert field(bea.get(f"{API}/indices/{METRIC}", params={"by": "street"})) == "by"
    reversed_span = {"from": "2026-03-22", "to": "2026-03-09"}
    assert field(bea.get(f"{API}/indices/{METRIC}", params=reversed_span)) == "to"
    too_long = {"from": "2024-01-01", "to": "2026-03-09"}
    assert field(bea.get(f"{API}/indices/{METRIC}", params=too_long)) == "to"
    assert field(bea.get(f"{API}/indices/{METRIC}", params={"from": "soon"})) == "from"
    assert field(bea.get(f"{API}/capacity", params={"weeks": 0})) == "weeks"
    assert field(bea.get(f"{API}/levels", params={"by": "x"})) == "by"
    page = bea.get(
        f"{PAGES}/indices", params={"metric": METRIC, "from": "2026-03-22", "to": "2026-03-09"}
    )
    assert page.status_code == 422
    assert 'data-testid="error-to"' in page.text
    form = bea.get(f"{PAGES}/capacity", params={"weeks": "99"})
    assert form.status_code == 422
    assert 'data-testid="error-weeks"' in form.text


def test_a_page_reads_nothing_when_nothing_is_shared(factory: Factory) -> None:
    district = seed_district(factory)
    for org in district.orgs.values():
        share(factory, org, "output", "none")
    page = factory.client("bea").get(f"{PAGES}/indices", params={"metric": METRIC})
    assert page.status_code == 200
    assert 'data-testid="index-table"' not in page.text
    assert 'role="status"' in page.text  # the empty state
