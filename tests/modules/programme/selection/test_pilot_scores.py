"""Pilot sheets and scores: the plan's weights, exact means, the tie-break order, bad sheets."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from loom.modules.programme.models import PilotApplication
from loom.testing.factory import Factory
from tests.modules.programme.selection import (
    API,
    PRINCIPLES,
    apply,
    audit_actions,
    district,
    publish_plan,
    register,
    service_session,
    sheet,
)

# The sheets of three experts, scores in the order of PRINCIPLES:
#   leader_will, stable_operations, management_base, digital_base, replicable
SHEETS = {
    "专家甲": (80, 70, 60, 90, 50),
    "专家乙": (90, 80, 70, 60, 100),
    "专家丙": (70, 65, 75, 85, 56),
}


def test_three_experts_under_the_shipped_and_a_republished_plan(factory: Factory) -> None:
    d = district(factory)
    app_id = apply(d.bureau_client, register(factory, d.bureau, 1))["id"]
    for expert, scores in SHEETS.items():
        detail = sheet(d.bureau_client, app_id, expert, *scores)
    # The shipped plan weighs the five principles 20 each (Loom defaults), highest score 100:
    #   甲 (20x80 + 20x70 + 20x60 + 20x90 + 20x50) / 100 = 350 x 20 / 100 = 70
    #   乙 20 x (90 + 80 + 70 + 60 + 100) / 100 = 80
    #   丙 20 x (70 + 65 + 75 + 85 + 56) / 100 = 20 x 351 / 100 = 70.2
    #   mean (70 + 80 + 70.2) / 3 = 220.2 / 3 = 73.4
    assert detail["score"]["by_expert"] == {"专家甲": "70.00", "专家乙": "80.00", "专家丙": "70.20"}
    assert (detail["score"]["score"], detail["score"]["exact"]) == ("73.40", "367/5")
    assert [w["weight"] for w in detail["weights"]] == ["20"] * 5
    assert {w["origin"] for w in detail["weights"]} == {"loom_default"}

    # The bureau republishes its plan with the weights 30 / 20 / 20 / 20 / 10:
    #   甲 30x80 + 20x70 + 20x60 + 20x90 + 10x50 = 2400 + 1400 + 1200 + 1800 + 500 = 7300 -> 73
    #   乙 30x90 + 20x80 + 20x70 + 20x60 + 10x100 = 2700 + 1600 + 1400 + 1200 + 1000 = 7900 -> 79
    #   丙 30x70 + 20x65 + 20x75 + 20x85 + 10x56 = 2100 + 1300 + 1500 + 1700 + 560 = 7160 -> 71.6
    #   mean (73 + 79 + 71.6) / 3 = 223.6 / 3 = 74.5333… = 1118/15, shown 74.53
    publish_plan(
        factory, d.bureau, pilot={"leader_will": 30, "replicable": 10, "stable_operations": 20}
    )
    again = d.bureau_client.get(f"{API}/pilot-applications/{app_id}").json()
    assert again["score"]["by_expert"] == {"专家甲": "73.00", "专家乙": "79.00", "专家丙": "71.60"}
    assert (again["score"]["score"], again["score"]["exact"]) == ("74.53", "1118/15")
    assert again["score"]["experts"] == 3
    # each principle's mean raw score: (80+90+70)/3, (70+80+65)/3, (60+70+75)/3, (90+60+85)/3 …
    assert again["score"]["by_principle"] == {
        "leader_will": "80.00",
        "stable_operations": "71.67",
        "management_base": "68.33",
        "digital_base": "78.33",
        "replicable": "68.67",
    }
    assert [w["weight"] for w in again["weights"]] == ["30", "20", "20", "20", "10"]
    assert [s["weighted"] for s in again["sheets"]] == ["73.00", "79.00", "71.60"]
    ranked = d.bureau_client.get(f"{API}/pilot-ranking").json()
    assert ranked["sectors"]["apparel"][0]["score"]["score"] == "74.53"


def test_every_bad_field_of_a_sheet_is_named_and_nothing_is_stored(factory: Factory) -> None:
    d = district(factory)
    app_id = apply(d.bureau_client, register(factory, d.bureau, 1))["id"]
    refused = d.bureau_client.post(
        f"{API}/pilot-applications/{app_id}/sheets",
        json={
            "expert": "  ",
            "scores": {
                "leader_will": 101,
                "stable_operations": -1,
                "management_base": "很好",
                "digital_base": 80.5,
                "bogus": 5,
            },
        },
    )
    assert refused.status_code == 422
    fields = [d["field"] for d in refused.json()["error"]["details"]]
    # the name, then unknown keys, then each principle of the plan in its order (replicable is
    # missing)
    assert fields == [
        "expert",
        "scores.bogus",
        "scores.leader_will",
        "scores.stable_operations",
        "scores.management_base",
        "scores.digital_base",
        "scores.replicable",
    ]
    assert "scores.leader_will: a whole number from 0 to 100" in [
        d["message"] for d in refused.json()["error"]["details"]
    ]
    assert d.bureau_client.get(f"{API}/pilot-applications/{app_id}").json()["sheets"] == []
    # the bounds are allowed; digits typed in a form count as numbers
    ok = d.bureau_client.post(
        f"{API}/pilot-applications/{app_id}/sheets",
        json={
            "expert": "专家甲",
            "scores": dict(zip(PRINCIPLES, [0, 100, "55", 1, 99], strict=True)),
        },
    )
    assert ok.status_code == 200, ok.text
    # 20 x (0 + 100 + 55 + 1 + 99) / 100 = 51
    assert ok.json()["score"]["score"] == "51.00"


def test_a_sheet_is_replaced_by_expert_and_removed_with_audit(factory: Factory) -> None:
    d = district(factory)
    app_id = apply(d.bureau_client, register(factory, d.bureau, 1))["id"]
    sheet(d.bureau_client, app_id, "专家甲", 50, 50, 50, 50, 50)
    replaced = sheet(d.bureau_client, app_id, " 专家甲 ", 90, 90, 90, 90, 90)
    assert [(s["expert"], s["scores"]["leader_will"]) for s in replaced["sheets"]] == [
        ("专家甲", 90)
    ]
    assert replaced["score"]["score"] == "90.00"
    sheet_id = replaced["sheets"][0]["id"]
    url = f"{API}/pilot-applications/{app_id}/sheets/{sheet_id}"
    assert d.bureau_client.delete(url).status_code == 204
    assert d.bureau_client.delete(url).status_code == 404
    after = d.bureau_client.get(f"{API}/pilot-applications/{app_id}").json()
    assert (after["sheets"], after["score"]) == ([], None)
    assert audit_actions(factory, d.bureau, "pilot_application", app_id) == [
        "programme.pilot_application.submitted",
        "programme.pilot_score.entered",
        "programme.pilot_score.replaced",
        "programme.pilot_score.removed",
    ]


def test_ties_are_broken_by_digital_base_then_application_time_then_number(
    factory: Factory,
) -> None:
    d = district(factory)
    # equal weights (20 each): every sheet below but E's adds up to 400, a score of 80
    sheets = {
        "A": (80, 80, 80, 60, 100),  # digital_base 60
        "B": (80, 80, 80, 100, 60),  # digital_base 100
        "C": (60, 100, 80, 80, 80),  # digital_base 80, applied before D
        "D": (100, 60, 80, 80, 80),  # digital_base 80
        "E": (90, 90, 90, 90, 90),  # 90
    }
    ids = {}
    for n, (name, scores) in enumerate(sheets.items(), start=1):
        ids[name] = apply(d.bureau_client, register(factory, d.bureau, n, name=name))["id"]
        sheet(d.bureau_client, ids[name], "专家甲", *scores)
    nev = apply(d.bureau_client, register(factory, d.bureau, 9, sector="nev_parts"))["id"]
    sheet(d.bureau_client, nev, "专家甲", 10, 10, 10, 10, 10)

    def order() -> list[tuple[str, int, str | None]]:
        rows = d.bureau_client.get(f"{API}/pilot-ranking").json()["sectors"]["apparel"]
        return [(r["enterprise_name"], r["sector_position"], r["decided_by"]) for r in rows]

    assert order() == [
        ("E", 1, None),
        ("B", 2, "score"),
        ("C", 3, "digital_base"),
        ("D", 4, "applied_at"),
        ("A", 5, "digital_base"),
    ]
    # the NEV application is first of its own sector whatever its score
    nev_rows = d.bureau_client.get(f"{API}/pilot-ranking", params={"sector": "nev_parts"}).json()
    assert [
        (r["application_id"], r["sector_position"]) for r in nev_rows["sectors"]["nev_parts"]
    ] == [(nev, 1)]
    # C and D applied at the same instant: the lower application number goes first
    with service_session(factory, d.bureau) as (session, _scope):
        same = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
        session.execute(
            update(PilotApplication)
            .where(PilotApplication.id.in_([ids["C"], ids["D"]]))
            .values(applied_at=same)
        )
    assert order()[2:4] == [("C", 3, "digital_base"), ("D", 4, "id")]


def test_sheets_that_no_longer_fit_the_plan_drop_out_of_the_ranking(factory: Factory) -> None:
    d = district(factory)
    fits = apply(d.bureau_client, register(factory, d.bureau, 1))["id"]
    sheet(d.bureau_client, fits, "专家甲", 5, 50, 50, 50, 50)
    stale = apply(d.bureau_client, register(factory, d.bureau, 2))["id"]
    sheet(d.bureau_client, stale, "专家甲", 80, 80, 80, 80, 80)
    # the bureau republishes leader_will out of 10: an 80 no longer fits
    publish_plan(factory, d.bureau, max_score={"leader_will": 10})
    rows = d.bureau_client.get(f"{API}/pilot-ranking").json()["sectors"]["apparel"]
    # 20 x 5 / 10 + 20 x (50 + 50 + 50 + 50) / 100 = 10 + 40 = 50
    assert [(r["application_id"], r["position"], r["stale"]) for r in rows] == [
        (fits, 1, False),
        (stale, None, True),
    ]
    assert rows[0]["score"]["score"] == "50.00"
    detail = d.bureau_client.get(f"{API}/pilot-applications/{stale}").json()
    assert (detail["stale"], detail["score"]) == (True, None)
