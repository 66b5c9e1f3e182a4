"""Dashboard figures over the API, checked against counts done by hand on the seeded programme.

Dates: the programme starts 2023-09-01 (phase 1); 2024-12-31 is day 487 of it and 2025-12-31 is
day 852, so on 2024-12-31 a 2025 target expects 487/852 of its value (55 pilots: 31.4).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.programme.targets.helpers import API, by_id, seed


def kpi(client: TestClient, on: str) -> dict[str, Any]:
    """Return the dashboard's figures as of ``on``."""
    response = client.get(f"{API}/kpi", params={"on": on})
    assert response.status_code == 200, response.text
    return dict(response.json())


@both_backends
def test_figures_on_the_first_batchs_deadline(factory: Factory) -> None:
    s = seed(factory)
    payload = kpi(s.client, "2024-12-31")
    t = by_id(payload)
    p, e, pr = s.projects, s.enterprises, s.products
    assert payload["on"] == "2024-12-31"
    assert payload["programme_start"] == "2023-09-01"
    # P1, P2, P3 (accepted 23:30 UTC on the deadline day) and P4; P5 comes in 2025
    assert t["batch-1-pilots"]["ids"] == sorted([p["P1"], p["P2"], p["P3"], p["P4"]])
    assert (t["batch-1-pilots"]["actual"], t["batch-1-pilots"]["status"]) == ("4", "at_risk")
    # the deadline day itself is still open: at risk, not missed, with nothing left
    assert t["batch-1-pilots"]["days_left"] == 0
    assert t["batch-1-pilots"]["expected_now"] == "24"
    assert t["batch-1-pilots-apparel"]["ids"] == sorted([p["P1"], p["P2"], p["P3"]])
    assert t["batch-1-pilots-home-appliances"]["ids"] == [p["P4"]]
    assert t["batch-1-pilots-home-appliances"]["status"] == "met"
    assert (t["municipal-samples-2024"]["ids"], t["municipal-samples-2024"]["status"]) == (
        [p["P1"]],
        "at_risk",
    )
    assert (t["all-pilots"]["actual"], t["all-pilots"]["status"]) == ("4", "at_risk")
    assert t["all-pilots"]["expected_now"] == "26785/852"  # 55 x 487/852
    assert t["all-pilots"]["shown_expected"] == "31.4"
    assert t["all-pilots-home-appliances"]["status"] == "met"
    assert (t["batch-2-pilots"]["actual"], t["all-pilots-nev-parts"]["actual"]) == ("0", "0")
    # E1 named 2024-06-01; E2 was named before the programme started; E6 only in 2025
    assert t["smart-factories"]["ids"] == [e["E1"]]
    # products A and B; "old" predates the programme, C is from 2025, "gone" is withdrawn
    assert t["products"]["ids"] == sorted([pr["A"], pr["B"]])
    # above-scale apparel E1–E5: E1 (2) and E2 (3) known by then; E5's level 2 is from 2025
    level2 = t["level2-share"]
    assert level2["population_ids"] == sorted(e[k] for k in ("E1", "E2", "E3", "E4", "E5"))
    assert level2["ids"] == sorted([e["E1"], e["E2"]])
    assert (level2["actual"], level2["percent"], level2["shown"]) == ("2/5", "40.0", "40.0%")
    assert (level2["count"], level2["population"]) == (2, 5)
    # 40% is below the pro-rata 90% x 487/852 = 51.4%
    assert (level2["status"], level2["shown_expected"]) == ("at_risk", "51.4%")
    cloud = t["cloud-share"]
    assert cloud["ids"] == sorted(e[k] for k in ("E1", "E2", "E3", "E4"))
    assert (cloud["actual"], cloud["shown"], cloud["status"]) == ("4/5", "80.0%", "on_track")
    assert cloud["current_only"] is True
    assert payload["states"] == {
        "met": 2,
        "on_track": 1,
        "at_risk": 11,
        "missed": 0,
        "no_data": 0,
    }


@both_backends
def test_the_day_after_the_deadline_judges_the_deadlines_value(factory: Factory) -> None:
    s = seed(factory)
    t = by_id(kpi(s.client, "2025-01-01"))
    for target_id, actual in (
        ("batch-1-pilots", "4"),
        ("batch-1-pilots-apparel", "3"),
        ("municipal-samples-2024", "1"),
    ):
        assert (t[target_id]["actual"], t[target_id]["status"]) == (actual, "missed"), target_id
        assert t[target_id]["judged_on"] == "2024-12-31"
        assert t[target_id]["actual_at_deadline"] == actual
        assert t[target_id]["days_left"] == -1
    assert t["batch-1-pilots-home-appliances"]["status"] == "met"
    assert t["all-pilots"]["judged_on"] == "2025-01-01"
    assert t["all-pilots"]["actual_at_deadline"] is None


def test_the_acceptance_day_counts_from_that_day(factory: Factory) -> None:
    s = seed(factory)
    t = by_id(kpi(s.client, "2024-12-30"))
    # P3 and P4 were accepted on the 31st
    assert t["batch-1-pilots"]["ids"] == sorted([s.projects["P1"], s.projects["P2"]])
    assert t["batch-1-pilots-home-appliances"]["status"] == "at_risk"


def test_a_late_acceptance_shows_but_does_not_make_the_target_met(factory: Factory) -> None:
    s = seed(factory)
    payload = kpi(s.client, "2025-06-30")
    t = by_id(payload)
    p, e = s.projects, s.enterprises
    batch1 = t["batch-1-pilots"]
    assert (batch1["actual"], batch1["actual_at_deadline"], batch1["status"]) == (
        "5",
        "4",
        "missed",
    )
    assert batch1["late_ids"] == [p["P5"]]
    assert t["all-pilots"]["actual"] == "5"
    assert t["all-pilots-apparel"]["actual"] == "4"
    assert t["all-pilots"]["late_ids"] == []
    # E5's level 2 of 2025-03-01 now counts: 3 of 5
    assert (t["level2-share"]["actual"], t["level2-share"]["shown"]) == ("3/5", "60.0%")
    assert t["smart-factories"]["ids"] == sorted([e["E1"], e["E6"]])
    assert t["products"]["actual"] == "3"
    cells = {(c["batch"], c["sector"]): (c["accepted"], c["quota"]) for c in payload["pilots"]}
    # places per batch and sector are the plan's (三); P5 raises batch 1 apparel to 4
    assert cells == {
        ("batch-1", "apparel"): (4, 23),
        ("batch-1", "home_appliances"): (1, 1),
        ("batch-2", "apparel"): (0, 25),
        ("batch-2", "nev_parts"): (0, 6),
    }


def test_before_the_programme_nothing_counts_and_nothing_is_expected(factory: Factory) -> None:
    s = seed(factory)
    t = by_id(kpi(s.client, "2023-08-31"))
    assert t["all-pilots"]["actual"] == "0"
    assert t["all-pilots"]["status"] == "on_track"
    # the cloud share has no history: today's value stands for every day
    assert t["cloud-share"]["actual"] == "4/5"


def test_the_default_day_is_today(factory: Factory) -> None:
    s = seed(factory)
    payload = s.client.get(f"{API}/kpi").json()
    assert payload["on"] == date.today().isoformat()


def test_a_bad_day_is_refused_naming_the_field(factory: Factory) -> None:
    s = seed(factory)
    for bad in ("2024-13-01", "yesterday", "20241231"):
        response = s.client.get(f"{API}/kpi", params={"on": bad})
        assert response.status_code == 422, bad
        assert response.json()["error"]["details"][0]["field"] == "on"
    too_long = s.client.get(f"{API}/kpi", params={"on": "2024-12-31T00:00"})
    assert too_long.status_code == 422
    assert too_long.json()["error"]["details"][0]["field"] == "on"


def test_an_empty_registry_has_no_share(factory: Factory) -> None:
    from loom.kernel.tenancy.models import OrgKind, Role

    bureau = factory.org("empty-bureau", OrgKind.BUREAU)
    factory.user("empty-clerk", (bureau, Role.MEMBER))
    t = by_id(kpi(factory.client("empty-clerk"), "2024-12-31"))
    assert (t["level2-share"]["actual"], t["level2-share"]["status"]) == (None, "no_data")
    assert t["level2-share"]["shown"] == "—"
    assert (t["all-pilots"]["actual"], t["all-pilots"]["ids"]) == ("0", [])
