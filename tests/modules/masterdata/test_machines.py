"""The machine ledger over the API: CRUD, placement on lines and workstations, search."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.modules.masterdata.helpers import API, bad_fields
from tests.modules.masterdata.helpers_resources import (
    create_line,
    create_machine,
    create_station,
    machine_body,
)


def test_a_machine_round_trips(admin: TestClient) -> None:
    line = create_line(admin)
    ws = create_station(admin, line["id"])
    m = create_machine(admin, " M-9 ", brand=" Jack ", line_id=line["id"], workstation_id=ws["id"])
    assert (m["code"], m["brand"], m["model"], m["serial"]) == ("M-9", "Jack", "DDL-9000C", "SN123")
    assert (m["line_id"], m["workstation_id"]) == (line["id"], ws["id"])
    assert (m["purchased_on"], m["active"]) == ("2023-05-20", True)
    assert admin.get(f"{API}/machines/{m['id']}").json() == m

    body = machine_body("M-9", machine_type="overlock", purchased_on=None, active=False)
    changed = admin.put(f"{API}/machines/{m['id']}", json=body)
    assert changed.status_code == 200
    got = changed.json()
    assert (got["machine_type"], got["line_id"], got["workstation_id"]) == ("overlock", None, None)
    assert (got["purchased_on"], got["active"]) == (None, False)

    assert admin.delete(f"{API}/machines/{m['id']}").status_code == 204
    assert admin.get(f"{API}/machines/{m['id']}").status_code == 404


def test_machine_validation_names_every_bad_field(admin: TestClient) -> None:
    body = machine_body(
        code="",
        machine_type="laser",
        brand="b" * 101,
        model="m" * 101,
        serial="s" * 101,
        line_id=999_998,
        workstation_id=999_999,
    )
    assert bad_fields(admin.post(f"{API}/machines", json=body)) == {
        "code",
        "machine_type",
        "brand",
        "model",
        "serial",
        "line_id",
        "workstation_id",
    }
    assert "purchased_on" in bad_fields(
        admin.post(f"{API}/machines", json=machine_body(purchased_on="someday"))
    )
    assert admin.get(f"{API}/machines").json()["total"] == 0


def test_a_workstation_must_be_on_the_machine_s_line(admin: TestClient) -> None:
    one, two = create_line(admin, "L1"), create_line(admin, "L2")
    ws = create_station(admin, one["id"])
    wrong = machine_body(line_id=two["id"], workstation_id=ws["id"])
    refused = admin.post(f"{API}/machines", json=wrong)
    assert bad_fields(refused) == {"workstation_id"}
    assert refused.json()["error"]["details"][0]["message"] == (
        "workstation_id: the workstation is on another line"
    )
    # a workstation alone places the machine on the workstation's line
    placed = create_machine(admin, workstation_id=ws["id"])
    assert placed["line_id"] == one["id"]


def test_an_asset_code_is_unique_per_enterprise(admin: TestClient) -> None:
    first = create_machine(admin, "M1")
    taken = admin.post(f"{API}/machines", json=machine_body("M1"))
    assert taken.status_code == 409
    assert taken.json()["error"]["details"][0]["field"] == "code"
    other = create_machine(admin, "M2")
    assert admin.put(f"{API}/machines/{other['id']}", json=machine_body("M1")).status_code == 409
    assert admin.put(f"{API}/machines/{first['id']}", json=machine_body("M1")).status_code == 200


def test_machines_are_searched_and_filtered(admin: TestClient) -> None:
    line = create_line(admin)
    create_machine(admin, "M3", brand="Juki", serial="J-77", line_id=line["id"])
    create_machine(admin, "M1", brand="Jack", machine_type="overlock")
    create_machine(admin, "M2", brand="Brother", model="S-7300A", machine_type="overlock")
    create_machine(admin, "M4", brand="Juki", active=False)

    def codes(**params: str | int | bool) -> list[str]:
        return [m["code"] for m in admin.get(f"{API}/machines", params=params).json()["items"]]

    assert codes() == ["M1", "M2", "M3", "M4"]
    assert codes(q="juki") == ["M3", "M4"]  # brand, case-insensitive
    assert codes(q="7300") == ["M2"]  # model
    assert codes(q="J-77") == ["M3"]  # serial
    assert codes(machine_type="overlock") == ["M1", "M2"]
    assert codes(line_id=line["id"]) == ["M3"]
    assert codes(active=False) == ["M4"]
    page = admin.get(f"{API}/machines", params={"limit": 3}).json()
    assert (page["total"], page["next_offset"]) == (4, 3)
    assert bad_fields(admin.get(f"{API}/machines", params={"machine_type": "x"})) == {
        "machine_type"
    }
