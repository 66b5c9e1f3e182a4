"""Spot inspections (点巡检): checklists per machine type, rounds, and work orders they raise."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from loom.apps.equipment.service.maintenance_common import factory_today
from loom.testing.factory import Factory
from tests.apps.equipment.test_maintenance_api import API, PAGES, enterprise, errors_of, machine
from tests.apps.equipment.test_maintenance_pages import zh

ITEMS = ["Needle straight", "Oil level", "Thread path clean"]


def checklist(client: TestClient, machine_type: str = "lockstitch", **kw: Any) -> int:
    """Create the checklist of a machine type and return its id."""
    body = {"machine_type": machine_type, "name": "平车日点检", "items": ITEMS} | kw
    made = client.post(f"{API}/checklists", json=body)
    assert made.status_code == 201, made.text
    template_id: int = made.json()["id"]
    return template_id


def walk(client: TestClient, machine_id: int, *results: tuple[bool, str], **kw: Any) -> Any:
    """POST a round at a machine with one (ok, note) per item."""
    body = {
        "machine_id": machine_id,
        "day": factory_today().isoformat(),
        "inspector": "张三",
        "results": [{"ok": ok, "note": note} for ok, note in results],
    } | kw
    return client.post(f"{API}/rounds", json=body)


def test_a_round_records_every_item_and_counts_the_abnormal_ones(factory: Factory) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    checklist(client)
    made = walk(client, m, (True, ""), (False, "oil low"), (True, ""))
    assert made.status_code == 201, made.text
    got = made.json()
    assert got["abnormal"] == 1
    assert got["results"][1] == {"item": "Oil level", "ok": False, "note": "oil low"}
    # one round per machine and day
    again = walk(client, m, (True, ""), (True, ""), (True, ""))
    assert again.status_code == 409
    assert "M-01" in again.json()["error"]["message"]
    listed = client.get(f"{API}/rounds", params={"abnormal": True}).json()
    assert [r["id"] for r in listed["items"]] == [got["id"]]


def test_bad_rounds_name_each_problem(factory: Factory) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    no_list = walk(client, m, (True, ""))
    assert set(errors_of(no_list)) == {"machine_id"}
    checklist(client)
    tomorrow = (factory_today() + timedelta(days=1)).isoformat()
    bad = walk(client, m, (False, " "), (True, ""), day=tomorrow, inspector="", shift="night")
    # abnormal without a note, a missing item, tomorrow, nobody, a shift on a daily list
    assert set(errors_of(bad)) == {"results[0]", "results", "day", "inspector", "shift"}
    assert errors_of(bad)["results[0]"] == "results[0]: say what is abnormal"
    stranger = walk(client, 999_999, (True, ""), (True, ""), (True, ""))
    assert set(errors_of(stranger)) == {"machine_id"}


def test_per_shift_checklists_need_a_shift_and_allow_one_round_per_shift(
    factory: Factory,
) -> None:
    client = enterprise(factory)
    m = machine(client, "OL-1", "overlock")
    checklist(client, "overlock", frequency="shift", items=["Knife sharp"])
    assert set(errors_of(walk(client, m, (True, "")))) == {"shift"}
    assert walk(client, m, (True, ""), shift="day").status_code == 201
    assert walk(client, m, (True, ""), shift="night").status_code == 201
    assert client.get(f"{API}/counts").json()["rounds_missing"] == 0


def test_an_abnormal_item_raises_one_work_order(factory: Factory) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    checklist(client)
    round_id = walk(client, m, (True, ""), (False, "oil low"), (True, "")).json()["id"]
    ok_item = client.post(f"{API}/rounds/{round_id}/items/1/work-order")
    assert ok_item.status_code == 422
    raised = client.post(f"{API}/rounds/{round_id}/items/2/work-order", json={"priority": "urgent"})
    assert raised.status_code == 201, raised.text
    order = raised.json()
    assert (order["kind"], order["priority"], order["machine_id"]) == ("inspection", "urgent", m)
    assert order["fault"] == "Oil level: oil low"
    assert (order["round_id"], order["round_item"]) == (round_id, 1)
    twice = client.post(f"{API}/rounds/{round_id}/items/2/work-order")
    assert twice.status_code == 409
    assert client.post(f"{API}/rounds/{round_id}/items/9/work-order").status_code == 404
    # a round that raised an order stays; its checklist too
    assert client.delete(f"{API}/rounds/{round_id}").status_code == 409
    template_id = client.get(f"{API}/checklists").json()[0]["id"]
    assert client.delete(f"{API}/checklists/{template_id}").status_code == 409


def test_one_checklist_per_machine_type(factory: Factory) -> None:
    client = enterprise(factory)
    checklist(client)
    clash = client.post(
        f"{API}/checklists", json={"machine_type": "lockstitch", "name": "x", "items": ["a"]}
    )
    assert clash.status_code == 409
    bad = client.post(
        f"{API}/checklists",
        json={"machine_type": "loom", "name": "", "frequency": "weekly", "items": []},
    )
    assert set(errors_of(bad)) == {"machine_type", "name", "frequency", "items"}


def test_rounds_pages_show_todays_list_record_and_raise(factory: Factory) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    machine(client, "M-02")
    checklist(client)
    today = client.get(f"{PAGES}/inspections")
    assert today.text.count('data-testid="todo-row"') == 2
    assert 'data-testid="rounds-badge"' in today.text
    form = client.get(f"{PAGES}/inspections/new", params={"machine_id": m})
    assert form.text.count('data-testid="round-item"') == 3
    bad = client.post(
        f"{PAGES}/inspections/new",
        data={
            "machine_id": str(m),
            "day": factory_today().isoformat(),
            "inspector": "张三",
            "ok_0": "ok",
            "ok_1": "abnormal",
            "note_1": "",
            "ok_2": "ok",
        },
    )
    assert bad.status_code == 422
    assert 'data-testid="error-item-2"' in bad.text
    assert zh("say what is abnormal") in bad.text
    saved = client.post(
        f"{PAGES}/inspections/new",
        data={
            "machine_id": str(m),
            "day": factory_today().isoformat(),
            "inspector": "张三",
            "ok_0": "ok",
            "ok_1": "abnormal",
            "note_1": "漏油",
            "ok_2": "ok",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    detail = client.get(saved.headers["location"])
    assert 'data-testid="raise-2"' in detail.text
    assert 'data-testid="raise-1"' not in detail.text  # OK items raise nothing
    round_id = saved.headers["location"].rsplit("/", 1)[-1]
    raised = client.post(
        f"{PAGES}/inspections/{round_id}/items/2/order",
        data={"priority": "high"},
        follow_redirects=False,
    )
    assert raised.status_code == 303
    assert "/maintenance/orders/" in raised.headers["location"]
    listed = client.get(f"{PAGES}/inspections")
    assert listed.text.count('data-testid="todo-row"') == 2
    assert listed.text.count('data-testid="walk"') == 1  # only M-02 is left today
    assert zh("%(n)s abnormal", n=1) in listed.text
