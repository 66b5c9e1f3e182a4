"""Analytics over the API, the page and the workbook, against the hand-worked figures of helpers."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.programme.analytics.helpers import API, PAGES, seed
from tests.modules.programme.targets.helpers import zh


def by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["kind"], r["key"]): r for r in rows}


@both_backends
def test_levels_and_subsidy_effect_by_hand(factory: Factory) -> None:
    s = seed(factory)
    response = s.client.get(f"{API}/analytics")
    assert response.status_code == 200, response.text
    body = response.json()
    p = s.projects
    # P6 is withdrawn: five pilots
    assert [row["project_id"] for row in body["pilots"]] == [
        p[k] for k in ("P1", "P2", "P3", "P4", "P5")
    ]
    d = body["distribution"]
    # measured P1–P4: before 1, 1, 2, 0; after 2, 3, 2, 2
    assert d["before"] == {"0": 1, "1": 2, "2": 1, "3": 0, "4": 0}
    assert d["after"] == {"0": 0, "1": 0, "2": 3, "3": 1, "4": 0}
    # P1 +1, P2 +2, P4 +2 gained, P3 stayed: 3 of 4
    assert (d["measured"], d["improved"], d["share_improved"], d["percent_improved"]) == (
        4,
        3,
        "3/4",
        "75.0",
    )
    a_id, b_id = str(s.contractors["A"].id), str(s.contractors["B"].id)
    c = by_key(body["contractors"])
    a = c[("contractor", a_id)]
    # A: +1 +2 +0 for 200k + 300k + 100k = 600k -> 0.5; paid 200k + 100k = 300k -> 1
    assert (a["name"], a["levels_gained"], a["awarded_fen"]) == ("hs 总包A", 3, 60_000_000)
    assert (a["per_100k_awarded"], a["per_100k_awarded_exact"]) == ("0.50", "1/2")
    assert (a["paid_fen"], a["per_100k_paid"]) == (30_000_000, "1.00")
    b = c[("contractor", b_id)]
    # B: P4 +2 for 400k (the cancelled 50k never counts) -> 0.5; P5 is not assessed after
    assert (b["projects"], b["measured"], b["levels_gained"]) == (2, 1, 2)
    assert (b["awarded_fen"], b["paid_fen"]) == (40_000_000, 40_000_000)
    assert b["unmeasured_awarded_fen"] == 15_000_000
    assert (b["per_100k_awarded"], b["per_100k_paid"]) == ("0.50", "0.50")
    total = body["total"]
    # 5 levels for 1,000k awarded (0.5) and 700k paid (5/7 = 0.714…)
    assert (total["levels_gained"], total["awarded_fen"], total["paid_fen"]) == (
        5,
        100_000_000,
        70_000_000,
    )
    assert (total["per_100k_paid"], total["per_100k_paid_exact"]) == ("0.71", "5/7")
    sc = by_key(body["scenarios"])
    # N SC-01: P1, P2, P4: +1 +2 +2 = 5 for 200k + 300k + 400k = 900k -> 5/9 = 0.56
    assert sc[("N", "SC-01")]["per_100k_awarded_exact"] == "5/9"
    assert (sc[("N", "SC-01")]["per_100k_awarded"], sc[("N", "SC-01")]["name"]) == (
        "0.56",
        "计划排产",
    )
    # X SC-09: P2, P3: +2 +0 for 300k + 100k -> 0.5
    assert sc[("X", "SC-09")]["per_100k_awarded"] == "0.50"
    # P5 has no scenario and no after level: no ratio, its 150k shown apart
    none = sc[("", "")]
    assert (none["projects"], none["measured"], none["per_100k_awarded"]) == (1, 0, None)
    assert none["unmeasured_awarded_fen"] == 15_000_000
    groups = {(g["batch"], g["sector"]): g for g in body["groups"]}
    b2 = groups[("batch-2", "")]
    # batch 2: P3 (2 -> 2), P4 (0 -> 2), P5 (not measured): 3 pilots, 2 measured, 1 improved
    assert (b2["pilots"], b2["measured"], b2["improved"], b2["share_improved"]) == (3, 2, 1, "1/2")
    assert (b2["mean_before"], b2["mean_after"]) == ("1", "2")
    assert groups[("", "")]["mean_after"] == "9/4"  # (2 + 3 + 2 + 2) / 4


@both_backends
def test_filters_narrow_everything_and_unknown_values_name_the_field(factory: Factory) -> None:
    s = seed(factory)
    body = s.client.get(f"{API}/analytics", params={"sector": "apparel"}).json()
    # P1, P2, P3 measured: before 1, 1, 2; after 2, 3, 2; P1 and P2 gained
    d = body["distribution"]
    assert (d["measured"], d["improved"], d["percent_improved"]) == (3, 2, "66.7")
    b = by_key(body["contractors"])[("contractor", str(s.contractors["B"].id))]
    assert (b["projects"], b["measured"], b["per_100k_awarded"]) == (1, 0, None)
    body = s.client.get(f"{API}/analytics", params={"batch": "batch-1"}).json()
    assert [r["project_id"] for r in body["pilots"]] == [s.projects["P1"], s.projects["P2"]]
    for name in ("batch", "sector"):
        bad = s.client.get(f"{API}/analytics", params={name: "nope"})
        assert bad.status_code == 422
        assert bad.json()["error"]["message"].startswith(f"{name}: unknown value nope")


@both_backends
def test_page_and_workbook_show_the_same_figures(factory: Factory) -> None:
    s = seed(factory)
    page = s.client.get(f"{PAGES}/analytics")
    assert page.status_code == 200
    html = page.text
    assert zh("Programme analytics") in html  # zh-CN is the default
    assert 'data-testid="improved">3 / 4<' in html
    assert "75.0%" in html
    assert html.count('data-testid="pilot-row"') == 5
    assert 'data-testid="per-awarded">0.50<' in html
    s.client.get("/lang/en")
    english = s.client.get(f"{PAGES}/analytics")
    assert "Levels per 100,000 CNY awarded" in english.text
    export = s.client.get(f"{PAGES}/analytics.xlsx")
    assert export.status_code == 200
    book = load_workbook(BytesIO(export.content))
    assert book.sheetnames == [
        "Levels before and after",
        "By batch and sector",
        "By contractor",
        "By scenario",
        "Pilot projects",
    ]
    levels = list(book["Levels before and after"].iter_rows(values_only=True))
    assert levels[1] == ("Not graded", 1, 0)
    assert levels[-1] == ("Gained at least one level", 3, "75.0%")
    contractors = {row[0]: row for row in book["By contractor"].iter_rows(values_only=True)}
    # name, projects, measured, levels, awarded, paid, per awarded, per paid, unmeasured
    assert contractors["hs 总包A"][1:8] == (3, 3, 3, 600000, 300000, 0.5, 1)
    assert contractors["Whole programme"][6:8] == (0.5, 0.71)
    assert len(list(book["Pilot projects"].iter_rows())) == 1 + 5


def test_an_empty_programme_shows_an_empty_state(factory: Factory) -> None:
    bureau = factory.org("empty-bureau", "bureau")
    factory.user("empty-clerk", (bureau, "manager"))
    client = factory.client("empty-clerk")
    page = client.get(f"{PAGES}/analytics")
    assert page.status_code == 200
    empty = (
        "No pilot projects yet: the analytics start once the bureau opens projects for its pilots."
    )
    assert zh(empty) in page.text
    body = client.get(f"{API}/analytics").json()
    assert body["pilots"] == []
    assert body["total"]["per_100k_awarded"] is None
    assert client.get(f"{PAGES}/analytics.xlsx").status_code == 200
