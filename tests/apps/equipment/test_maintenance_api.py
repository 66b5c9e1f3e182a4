"""Maintenance over the JSON API: plans and what is due, work orders and their status flow.

The helpers at the top are shared by the other maintenance, inspection and evidence tests.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from loom.apps.equipment.service.maintenance_common import factory_today
from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory

API = "/api/v1/equipment/maintenance"
PAGES = "/apps/equipment/maintenance"
MASTERDATA = "/api/v1/masterdata"


def enterprise(factory: Factory, tag: str = "") -> TestClient:
    """Return the admin of a new garment factory."""
    org = factory.org(f"eq-factory{tag}", OrgKind.ENTERPRISE, name="Equipment Co")
    factory.user(f"mia{tag}", (org, Role.ADMIN))
    return factory.client(f"mia{tag}")


def machine(client: TestClient, code: str, machine_type: str = "lockstitch", **kw: Any) -> int:
    """Add a machine to the ledger and return its id."""
    made = client.post(
        f"{MASTERDATA}/machines", json={"code": code, "machine_type": machine_type, **kw}
    )
    assert made.status_code == 201, made.text
    machine_id: int = made.json()["id"]
    return machine_id


def plan(client: TestClient, code: str = "PM-01", **kw: Any) -> dict[str, Any]:
    """Create a plan (every lockstitch, every 30 days from today unless told) and return it."""
    body = {
        "code": code,
        "name": "Oil and clean",
        "machine_type": "lockstitch",
        "interval_days": 30,
        "starts_on": factory_today().isoformat(),
        "checklist": ["Oil the hook", "Clean the feed dog"],
    } | kw
    made = client.post(f"{API}/plans", json=body)
    assert made.status_code == 201, made.text
    created: dict[str, Any] = made.json()
    return created


def breakdown(client: TestClient, machine_id: int, fault: str = "Skipped stitches") -> int:
    """Report a breakdown and return the work order's id."""
    made = client.post(
        f"{API}/work-orders", json={"machine_id": machine_id, "fault": fault, "priority": "urgent"}
    )
    assert made.status_code == 201, made.text
    order_id: int = made.json()["id"]
    return order_id


def errors_of(response: Any) -> dict[str, str]:
    """Return the fields a 422 names, with their messages."""
    assert response.status_code == 422, response.text
    return {d["field"]: d["message"] for d in response.json()["error"]["details"]}


def test_plan_is_due_on_its_first_day_at_every_machine_of_its_type(factory: Factory) -> None:
    client = enterprise(factory)
    a, b = machine(client, "M-01"), machine(client, "M-02")
    machine(client, "OL-01", "overlock")  # another type: not covered
    made = plan(client)
    due = client.get(f"{API}/due").json()
    assert [(d["machine_code"], d["status"]) for d in due] == [("M-01", "due"), ("M-02", "due")]
    assert {d["machine_id"] for d in due} == {a, b}
    assert due[0]["due_on"] == factory_today().isoformat()
    assert due[0]["days_left"] == 0
    assert client.get(f"{API}/counts").json()["due"] == 2
    # a plan that starts in 20 days is planned, not due (due = within a week)
    later = plan(client, "PM-02", starts_on=(factory_today() + timedelta(days=20)).isoformat())
    planned = client.get(f"{API}/due", params={"status": "planned"}).json()
    assert {d["plan_id"] for d in planned} == {later["id"]}
    assert made["checklist"] == ["Oil the hook", "Clean the feed dog"]


def test_overdue_plan_opens_a_high_priority_order_and_closing_moves_the_due_day(
    factory: Factory,
) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    start = factory_today() - timedelta(days=3)
    made = plan(client, starts_on=start.isoformat(), machine_type=None, machine_id=m)
    [item] = client.get(f"{API}/due").json()
    assert (item["status"], item["days_left"]) == ("overdue", -3)
    opened = client.post(f"{API}/plans/{made['id']}/machines/{m}/work-orders")
    assert opened.status_code == 201, opened.text
    order = opened.json()
    assert (order["kind"], order["priority"], order["status"]) == ("preventive", "high", "open")
    assert order["due_on"] == start.isoformat()
    assert [c["item"] for c in order["checklist"]] == ["Oil the hook", "Clean the feed dog"]
    assert order["number"] == f"WO-{factory_today():%Y%m%d}-001"
    # once an order is under way the pair leaves the badge, and a second one is refused
    assert client.get(f"{API}/counts").json() == {"due": 0, "live_orders": 1, "rounds_missing": 0}
    again = client.post(f"{API}/plans/{made['id']}/machines/{m}/work-orders")
    assert again.status_code == 409
    assert order["number"] in again.json()["error"]["message"]
    started = client.post(f"{API}/work-orders/{order['id']}/start", json={"assignee": "王师傅"})
    assert started.json()["status"] == "in_progress"
    closed = client.post(
        f"{API}/work-orders/{order['id']}/close",
        json={
            "downtime_minutes": 45,
            "resolution": "Oiled",
            "parts": [{"part": "Oil 100 ml", "qty": 1}],
            "done_items": [0],
        },
    )
    assert closed.status_code == 200, closed.text
    got = closed.json()
    assert got["status"] == "closed"
    assert got["downtime_minutes"] == 45
    assert got["parts"] == [{"part": "Oil 100 ml", "qty": 1}]
    assert [c["done"] for c in got["checklist"]] == [True, False]
    # served today: next due 30 days from today, so planned
    [item] = client.get(f"{API}/due").json()
    assert item["last_done"] == factory_today().isoformat()
    assert item["due_on"] == (factory_today() + timedelta(days=30)).isoformat()
    assert item["status"] == "planned"


def test_open_all_due_opens_one_order_per_due_pair_once(factory: Factory) -> None:
    client = enterprise(factory)
    machine(client, "M-01")
    machine(client, "M-02")
    plan(client)
    first = client.post(f"{API}/due/work-orders")
    assert first.status_code == 201
    assert sorted(o["number"][-3:] for o in first.json()) == ["001", "002"]
    assert client.post(f"{API}/due/work-orders").json() == []


def test_illegal_moves_are_refused_with_a_reason(factory: Factory) -> None:
    client = enterprise(factory)
    order_id = breakdown(client, machine(client, "M-01"))
    close_early = client.post(f"{API}/work-orders/{order_id}/close", json={"downtime_minutes": 5})
    assert close_early.status_code == 409
    assert close_early.json()["error"]["message"].endswith("must be started before it is closed")
    assert client.post(f"{API}/work-orders/{order_id}/start").status_code == 200
    twice = client.post(f"{API}/work-orders/{order_id}/start")
    assert twice.status_code == 409
    assert twice.json()["error"]["message"].endswith("was started already")
    in_use = client.delete(f"{API}/work-orders/{order_id}")
    assert in_use.status_code == 409
    done = client.post(f"{API}/work-orders/{order_id}/close", json={"downtime_minutes": 30})
    assert done.status_code == 200
    for path, body in (("start", None), ("cancel", {}), ("close", {"downtime_minutes": 1})):
        refused = client.post(f"{API}/work-orders/{order_id}/{path}", json=body)
        assert refused.status_code == 409, path
        assert "is closed: it cannot change any more" in refused.json()["error"]["message"]
    assert client.delete(f"{API}/work-orders/{order_id}").status_code == 409
    # a cancelled order can be deleted
    other = breakdown(client, machine(client, "M-02"))
    assert (
        client.post(f"{API}/work-orders/{other}/cancel", json={"reason": "dup"}).status_code == 200
    )
    assert client.delete(f"{API}/work-orders/{other}").status_code == 204
    assert client.get(f"{API}/work-orders/{other}").status_code == 404


def test_bad_input_names_every_field(factory: Factory) -> None:
    client = enterprise(factory)
    bad_plan = client.post(
        f"{API}/plans",
        json={
            "code": "",
            "name": "x" * 101,
            "starts_on": "2026-01-01",
            "machine_id": 999_999,
            "interval_days": 0,
            "checklist": ["a", "a"],
        },
    )
    assert set(errors_of(bad_plan)) == {
        "code",
        "name",
        "machine_id",
        "interval_days",
        "checklist[1]",
    }
    both = client.post(
        f"{API}/plans",
        json={
            "code": "P",
            "name": "N",
            "starts_on": "2026-01-01",
            "machine_type": "lockstitch",
            "interval_days": 5,
            "interval_hours": 5,
            "checklist": ["a"],
        },
    )
    assert set(errors_of(both)) == {"interval_hours"}
    m = machine(client, "M-01")
    bad_order = client.post(f"{API}/work-orders", json={"fault": " ", "priority": "asap"})
    assert set(errors_of(bad_order)) == {"fault", "priority", "machine_id"}
    order_id = breakdown(client, m)
    client.post(f"{API}/work-orders/{order_id}/start")
    bad_close = client.post(
        f"{API}/work-orders/{order_id}/close",
        json={"downtime_minutes": -5, "parts": [{"part": "", "qty": 0}], "done_items": [3]},
    )
    assert set(errors_of(bad_close)) == {"downtime_minutes", "parts[0]", "checklist"}
    assert client.get(f"{API}/work-orders/{order_id}").json()["status"] == "in_progress"
    wrong_type = client.post(f"{API}/work-orders", json={"machine_id": "x", "fault": "f"})
    assert wrong_type.status_code == 422


def test_plan_with_work_orders_cannot_be_deleted_but_a_fresh_one_can(factory: Factory) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    used = plan(client)
    client.post(f"{API}/plans/{used['id']}/machines/{m}/work-orders")
    refused = client.delete(f"{API}/plans/{used['id']}")
    assert refused.status_code == 409
    assert "deactivate it instead" in refused.json()["error"]["message"]
    fresh = plan(client, "PM-02")
    assert client.delete(f"{API}/plans/{fresh['id']}").status_code == 204
    listed = client.get(f"{API}/plans", params={"q": "PM-"}).json()
    assert [p["code"] for p in listed["items"]] == ["PM-01"]


def test_work_orders_list_live_ones_first_and_search(factory: Factory) -> None:
    client = enterprise(factory)
    m1, m2 = machine(client, "M-01"), machine(client, "OL-07", "overlock")
    closed = breakdown(client, m1, "Broken needle")
    client.post(f"{API}/work-orders/{closed}/start")
    client.post(f"{API}/work-orders/{closed}/close", json={"downtime_minutes": 10})
    live = breakdown(client, m2, "Loud motor")
    listed = client.get(f"{API}/work-orders").json()["items"]
    assert [o["id"] for o in listed] == [live, closed]
    by_machine = client.get(f"{API}/work-orders", params={"q": "OL-07"}).json()["items"]
    assert [o["id"] for o in by_machine] == [live]
    only_live = client.get(f"{API}/work-orders", params={"status": "live"}).json()
    assert only_live["total"] == 1
    assert client.get(f"{API}/work-orders", params={"status": "nope"}).status_code == 422
