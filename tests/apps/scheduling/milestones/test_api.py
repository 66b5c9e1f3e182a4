"""The milestone API: template, timeline, recorded stages, forecasts and the alert board."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from loom.testing.plugin import both_backends
from tests.apps.scheduling.milestones.helpers import TA, days, new_order, record, stages, today
from tests.apps.scheduling.plans.conftest import run_plan, seed_factory
from tests.modules.shopfloor.helpers_orders import bad_fields


def test_the_template_starts_with_the_defaults_and_can_be_replaced(admin: TestClient) -> None:
    got = admin.get(f"{TA}/template")
    assert got.json() == {
        "fabric": -21,
        "cutting": -14,
        "sewing_start": -12,
        "sewing_finish": -5,
        "finishing": -3,
        "shipping": 0,
    }
    changed = got.json() | {"fabric": -30, "shipping": 2}
    saved = admin.put(f"{TA}/template", json=changed)
    assert saved.status_code == 200, saved.text
    assert admin.get(f"{TA}/template").json() == changed
    # an order due 2099-12-31 now needs fabric on 12-01 (−30) and ships 2100-01-02 (+2)
    order = new_order(admin, date(2099, 12, 31))
    got_stages = stages(admin, order["id"])
    assert got_stages["fabric"]["target_date"] == "2099-12-01"
    assert got_stages["shipping"]["target_date"] == "2100-01-02"


def test_a_bad_template_names_every_bad_stage(admin: TestClient) -> None:
    body = {
        "fabric": -21,
        "cutting": -25,  # before fabric
        "sewing_start": -12,
        "sewing_finish": -5,
        "finishing": -400,  # out of range
        "shipping": 0,
    }
    refused = admin.put(f"{TA}/template", json=body)
    assert bad_fields(refused) == {"cutting", "finishing"}
    assert bad_fields(admin.put(f"{TA}/template", json={"fabric": "soon"})) >= {
        "fabric",
        "shipping",
    }
    assert admin.get(f"{TA}/template").json()["cutting"] == -14  # nothing was stored


@both_backends
def test_an_order_s_timeline_from_its_due_date(admin: TestClient) -> None:
    order = new_order(admin, date(2099, 12, 31))
    got = admin.get(f"{TA}/orders/{order['id']}").json()
    assert (got["order_number"], got["due_date"]) == ("PO-001", "2099-12-31")
    targets = [(s["stage"], s["target_date"]) for s in got["stages"]]
    # the defaults: −21, −14, −12, −5, −3, 0 days
    assert targets == [
        ("fabric", "2099-12-10"),
        ("cutting", "2099-12-17"),
        ("sewing_start", "2099-12-19"),
        ("sewing_finish", "2099-12-26"),
        ("finishing", "2099-12-28"),
        ("shipping", "2099-12-31"),
    ]
    assert {s["forecast_date"] for s in got["stages"]} == {None}  # no adopted plan


def test_the_alert_boundary_is_today(admin: TestClient) -> None:
    # due in 14 days: cutting (−14) is due today, fabric (−21) was due 7 days ago
    order = new_order(admin, days(14))
    got = stages(admin, order["id"])
    assert got["cutting"]["target_date"] == today().isoformat()
    assert (got["cutting"]["status"], got["cutting"]["alert"]) == ("on_track", False)
    assert (got["fabric"]["status"], got["fabric"]["days_late"]) == ("overdue", 7)
    assert got["fabric"]["severity"] == "major"
    # due in 13 days: cutting was due yesterday, one day late
    other = new_order(admin, days(13), "PO-002")
    late = stages(admin, other["id"])["cutting"]
    assert (late["status"], late["days_late"], late["severity"]) == ("overdue", 1, "minor")


def test_recording_an_actual_closes_the_alert(admin: TestClient) -> None:
    order = new_order(admin, days(14))
    yesterday = (today() - timedelta(days=1)).isoformat()
    done = record(admin, order["id"], "fabric", actual_date=yesterday, note="到厂")
    assert done.status_code == 200, done.text
    body = done.json()
    # fabric was due 7 days ago and came yesterday: done 6 days late, no longer an alert
    assert (body["status"], body["days_late"], body["alert"]) == ("done_late", 6, False)
    assert (body["actual_date"], body["actual_source"], body["note"]) == (yesterday, "user", "到厂")
    assert body["forecast_date"] == yesterday  # a stage done is forecast on its actual day
    cleared = record(admin, order["id"], "fabric", actual_date=None)
    assert (cleared.json()["status"], cleared.json()["actual_source"]) == ("overdue", "")


def test_a_hand_set_target_stays_when_the_due_date_moves(admin: TestClient) -> None:
    order = new_order(admin, date(2099, 12, 31))
    moved = record(admin, order["id"], "cutting", target_date="2099-12-20")
    assert moved.status_code == 200, moved.text
    assert (moved.json()["target_date"], moved.json()["template_date"]) == (
        "2099-12-20",
        "2099-12-17",
    )
    assert moved.json()["target_set"] is True
    style_id = order["style_id"]
    body = {**_order_body(order), "style_id": style_id, "due_date": "2100-01-10"}
    assert admin.put(f"/api/v1/shopfloor/orders/{order['id']}", json=body).status_code == 200
    got = stages(admin, order["id"])
    # cutting keeps its own 12-20; fabric follows the due date: 2100-01-10 − 21 = 12-20
    assert got["cutting"]["target_date"] == "2099-12-20"
    assert got["fabric"]["target_date"] == "2099-12-20"
    back = record(admin, order["id"], "cutting", target_date=None)
    # back to the template: 2100-01-10 − 14 = 2099-12-27
    assert back.json()["target_date"] == "2099-12-27"


def _order_body(order: dict[str, Any]) -> dict[str, Any]:
    keys = ("number", "customer", "style_id", "line_id", "quantities", "status", "note")
    return {k: order[k] for k in keys}


def test_bad_stage_input_names_the_fields(admin: TestClient) -> None:
    order = new_order(admin, date(2099, 12, 31))
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused = record(
        admin, order["id"], "cutting", actual_date=tomorrow, target_date="2101-06-01", note="x"
    )
    assert bad_fields(refused) == {"actual_date", "target_date"}
    assert bad_fields(record(admin, order["id"], "cutting", actual_date="31/12/2026")) == {
        "actual_date"
    }
    assert bad_fields(record(admin, order["id"], "cutting", note="长" * 201)) == {"note"}
    assert bad_fields(record(admin, order["id"], "dyeing", note="")) == {"stage"}
    assert bad_fields(admin.get(TA, params={"status": "late"})) == {"status"}
    assert admin.put(f"{TA}/orders/999999/cutting", json={}).status_code == 404


def test_the_adopted_plan_drives_the_forecast(admin: TestClient) -> None:
    # The plans tests' worked example (tests/apps/scheduling/plans/conftest.py): from Monday
    # 2026-12-07, line L1 sews PO-B on Monday, then PO-A (960 pieces at 480 a day) on Tuesday
    # 12-08 and Wednesday 12-09; PO-A is due 12-08.
    seed = seed_factory(admin)
    plan = run_plan(admin)
    assert admin.post(f"/api/v1/scheduling/plans/{plan['id']}/adopt").status_code == 200
    got = stages(admin, seed.orders["A"])
    # targets from the default offsets: fabric 12-08 - 21 = 11-17, cutting - 14 = 11-24, sewing
    # start - 12 = 11-26, sewing finish - 5 = 12-03, finishing - 3 = 12-05, shipping 12-08.
    # Sewing runs 12-08..12-09, so fabric and cutting move by 12-08 - 11-26 = +12 days and
    # finishing and shipping by 12-09 - 12-03 = +6 days.
    assert {k: v["forecast_date"] for k, v in got.items()} == {
        "fabric": "2026-11-29",
        "cutting": "2026-12-06",
        "sewing_start": "2026-12-08",
        "sewing_finish": "2026-12-09",
        "finishing": "2026-12-11",
        "shipping": "2026-12-14",
    }
    # shipping is forecast 6 days after its target: at least 6 days late, whatever today is
    assert got["shipping"]["days_late"] >= 6
    assert got["shipping"]["status"] in {"at_risk", "overdue"}


def test_the_real_plans_service_answers_without_an_adopted_plan(admin: TestClient) -> None:
    order = new_order(admin, date(2099, 12, 31))
    assert {s["forecast_date"] for s in stages(admin, order["id"]).values()} == {None}


def test_the_board_lists_alerts_first_and_filters(admin: TestClient) -> None:
    calm = new_order(admin, days(60), "PO-CALM", customer="Zeta")
    late = new_order(admin, days(10), "PO-LATE", customer="Acme")
    # PO-LATE: fabric due 11 days ago (critical), cutting 4 days ago (major),
    # sewing start 2 days ago (minor); PO-CALM has nothing due yet
    page = admin.get(TA).json()
    assert page["total"] == 12
    first = [(i["order_number"], i["stage"], i["days_late"]) for i in page["items"][:3]]
    assert first == [
        ("PO-LATE", "fabric", 11),
        ("PO-LATE", "cutting", 4),
        ("PO-LATE", "sewing_start", 2),
    ]
    assert [i["severity"] for i in page["items"][:3]] == ["critical", "major", "minor"]
    assert page["items"][3]["alert"] is False
    alerts = admin.get(TA, params={"status": "alerts"}).json()
    assert alerts["total"] == 3
    assert admin.get(f"{TA}/alerts").json() == {
        "open_alerts": 3,
        "by_severity": {"critical": 1, "major": 1, "minor": 1},
    }
    assert admin.get(TA, params={"stage": "fabric"}).json()["total"] == 2
    only = admin.get(TA, params={"order_id": calm["id"]}).json()
    assert {i["order_number"] for i in only["items"]} == {"PO-CALM"}
    searched = admin.get(TA, params={"q": "acme", "status": "overdue"}).json()
    assert [i["stage"] for i in searched["items"]] == ["fabric", "cutting", "sewing_start"]
    paged = admin.get(TA, params={"limit": 5, "offset": 10}).json()
    assert (len(paged["items"]), paged["next_offset"]) == (2, None)
    assert admin.get(TA, params={"limit": 5}).json()["next_offset"] == 5
    assert late["id"] != calm["id"]


def test_cancelled_orders_leave_the_board(admin: TestClient) -> None:
    order = new_order(admin, days(10))
    assert admin.get(f"{TA}/alerts").json()["open_alerts"] == 3
    body = {**_order_body(order), "due_date": order["due_date"], "status": "cancelled"}
    assert admin.put(f"/api/v1/shopfloor/orders/{order['id']}", json=body).status_code == 200
    assert admin.get(f"{TA}/alerts").json()["open_alerts"] == 0
    assert admin.get(TA).json()["total"] == 0
