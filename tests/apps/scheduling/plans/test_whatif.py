"""What-if scenarios on the adopted worked example: rush order, overtime, a lost line."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.apps.scheduling.plans.conftest import SCHEDULING, Seed, created, run_plan


def _adopted(client: TestClient) -> dict[str, Any]:
    plan = run_plan(client)
    assert client.post(f"{SCHEDULING}/plans/{plan['id']}/adopt").status_code == 200
    return plan


def _moved(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["order_code"]: m for m in result["diff"]["moved"]}


def test_a_rush_order_costs_late_days(admin: TestClient, seeded: Seed) -> None:
    base = _adopted(admin)
    body = {"style_id": seeded.style_id, "quantity": 480, "due": "2026-12-07", "weight": 5}
    result = created(
        admin, f"{SCHEDULING}/whatif/rush", body | {"category": "woven", "time_limit": 2}
    )
    plan = result["plan"]
    assert plan["kind"] == "whatif"
    assert plan["base_plan_id"] == base["id"]
    assert plan["status"] == "draft"
    assert plan["scenario"]["kind"] == "rush"
    # L1 (woven, 480 pieces a day) holds R (480, due Mon, w5), B (480, Mon, w2), A (960, Tue, w1):
    # R, B, A: R Mon on time; B Tue, 1 day × 2 = 2; A Wed–Thu, 2 days × 1 = 2 → 4, 3 late days
    # B, R, A costs 0 + 1 × 5 + 2 = 7 and R, A, B costs 0 + 1 + 3 × 2 = 7: R, B, A is best
    assert (plan["weighted_tardiness"], plan["late_days"]) == (4, 3)
    diff = result["diff"]
    # against the adopted plan (weighted tardiness 1, 1 late day)
    assert (diff["weighted_tardiness_change"], diff["late_days_change"]) == (3, 2)
    moved = _moved(result)
    assert set(moved) == {"RUSH-ST", "PO-A", "PO-B"}
    assert moved["RUSH-ST"]["line_before"] is None
    assert moved["RUSH-ST"]["start_after"] == "2026-12-07"
    assert (moved["PO-B"]["start_before"], moved["PO-B"]["start_after"]) == (
        "2026-12-07",
        "2026-12-08",
    )
    assert (moved["PO-A"]["finish_before"], moved["PO-A"]["finish_after"]) == (
        "2026-12-09",
        "2026-12-10",
    )
    # the hypothetical order has no production order behind it
    detail = admin.get(f"{SCHEDULING}/plans/{plan['id']}").json()
    rush = next(a for a in detail["allocations"] if a["order_code"] == "RUSH-ST")
    assert rush["order_id"] is None
    assert rush["order_ref"] < 0
    # the adopted plan is untouched until the scenario is adopted
    assert admin.get(f"{SCHEDULING}/plans/current").json()["id"] == base["id"]


def test_overtime_brings_a_late_order_in(admin: TestClient, seeded: Seed) -> None:
    _adopted(admin)
    body = {
        "line_id": seeded.l1,
        "date_from": "2026-12-07",
        "date_to": "2026-12-08",
        "minutes": 240,
        "time_limit": 2,
    }
    result = created(admin, f"{SCHEDULING}/whatif/overtime", body)
    # L1 works 480 + 240 = 720 minutes Mon and Tue: B takes 480 of Monday, A gets the other 240
    # and Tuesday's 720 → 960 pieces by Tuesday, its due date: nothing is late any more
    assert (result["plan"]["weighted_tardiness"], result["plan"]["late_days"]) == (0, 0)
    assert (result["diff"]["weighted_tardiness_change"], result["diff"]["late_days_change"]) == (
        -1,
        -1,
    )
    assert result["plan"]["scenario"]["days"] == ["2026-12-07", "2026-12-08"]
    a = _moved(result)["PO-A"]
    assert (a["start_after"], a["finish_after"], a["tardy_after"]) == (
        "2026-12-07",
        "2026-12-08",
        0,
    )


def test_losing_a_line_leaves_its_orders_unplanned(admin: TestClient, seeded: Seed) -> None:
    _adopted(admin)
    body = {"line_id": seeded.l2, "from_date": "2026-12-07", "time_limit": 2}
    result = created(admin, f"{SCHEDULING}/whatif/lose-line", body)
    # only L2 sews knit: C has nowhere to go; L1's plan is unchanged
    assert result["plan"]["unplanned"] == [seeded.orders["C"]]
    assert result["diff"]["unplanned_change"] == 1
    c = _moved(result)["PO-C"]
    assert (c["line_before"], c["line_after"], c["finish_after"]) == (seeded.l2, None, None)
    assert set(_moved(result)) == {"PO-C"}


def test_adopting_a_scenario_makes_it_current(admin: TestClient, seeded: Seed) -> None:
    base = _adopted(admin)
    body = {
        "line_id": seeded.l1,
        "date_from": "2026-12-07",
        "date_to": "2026-12-08",
        "minutes": 240,
    }
    result = created(admin, f"{SCHEDULING}/whatif/overtime", body | {"time_limit": 2})
    scenario = result["plan"]["id"]
    assert admin.post(f"{SCHEDULING}/plans/{scenario}/adopt").status_code == 200
    assert admin.get(f"{SCHEDULING}/plans/current").json()["id"] == scenario
    assert admin.get(f"{SCHEDULING}/plans/{base['id']}").json()["status"] == "superseded"
    # the diff stays readable after adoption
    assert admin.get(f"{SCHEDULING}/plans/{scenario}/diff").json()["late_days_change"] == -1


def test_discarding_a_scenario(admin: TestClient, seeded: Seed) -> None:
    _adopted(admin)
    body = {"line_id": seeded.l2, "from_date": "2026-12-07", "time_limit": 2}
    scenario = created(admin, f"{SCHEDULING}/whatif/lose-line", body)["plan"]["id"]
    assert admin.delete(f"{SCHEDULING}/plans/{scenario}").status_code == 204
    assert admin.get(f"{SCHEDULING}/plans/{scenario}").status_code == 404


def test_a_what_if_needs_an_adopted_plan(admin: TestClient, seeded: Seed) -> None:
    body = {"line_id": seeded.l2, "from_date": "2026-12-07", "time_limit": 2}
    response = admin.post(f"{SCHEDULING}/whatif/lose-line", json=body)
    assert response.status_code == 409


def _fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {d["field"] for d in response.json()["error"]["details"]}


def test_bad_what_if_input_names_the_field(admin: TestClient, seeded: Seed) -> None:
    _adopted(admin)
    rush = {"style_id": seeded.style_id, "quantity": 0, "due": "2026-12-01", "weight": 9}
    assert _fields(admin.post(f"{SCHEDULING}/whatif/rush", json=rush)) == {
        "quantity",
        "due",
        "weight",
    }
    overtime = {
        "line_id": seeded.l1,
        "date_from": "2026-12-08",
        "date_to": "2026-12-07",
        "minutes": 60,
    }
    assert _fields(admin.post(f"{SCHEDULING}/whatif/overtime", json=overtime)) == {"date_to"}
    overtime |= {"date_to": "2026-12-08", "minutes": 0}
    assert _fields(admin.post(f"{SCHEDULING}/whatif/overtime", json=overtime)) == {"minutes"}
    # Sunday 12-13 is a rest day of L1: no working day in the range
    sunday = {
        "line_id": seeded.l1,
        "date_from": "2026-12-13",
        "date_to": "2026-12-13",
        "minutes": 60,
    }
    assert _fields(admin.post(f"{SCHEDULING}/whatif/overtime", json=sunday)) == {"date_from"}
    far = sunday | {"date_from": "9999-12-30", "date_to": "9999-12-31"}
    assert _fields(admin.post(f"{SCHEDULING}/whatif/overtime", json=far)) == {"date_to"}
    lose = {"line_id": seeded.l1, "from_date": "2026-12-01"}
    assert _fields(admin.post(f"{SCHEDULING}/whatif/lose-line", json=lose)) == {"from_date"}
    assert _fields(admin.post(f"{SCHEDULING}/whatif/lose-line", json={"line_id": "x"})) == {
        "line_id",
        "from_date",
    }
    assert (
        admin.post(
            f"{SCHEDULING}/whatif/lose-line", json={"line_id": 999999, "from_date": "2026-12-08"}
        ).status_code
        == 404
    )
