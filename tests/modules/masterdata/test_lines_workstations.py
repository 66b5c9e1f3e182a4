"""Production lines and their workstations over the API: CRUD, checks, search, deletion."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert

from loom.kernel.db.base import Base
from loom.testing.factory import OrgRef
from loom.testing.plugin import both_backends
from tests.modules.masterdata.helpers import API, bad_fields, create_style
from tests.modules.masterdata.helpers_resources import (
    create_line,
    create_machine,
    create_operator,
    create_station,
    line_body,
    station_body,
)


def test_a_line_round_trips(admin: TestClient) -> None:
    line = create_line(admin, " L-9 ", name=" 裁剪车间 ", kind="cutting", shift_minutes=600)
    assert line["code"] == "L-9"  # surrounding blanks are dropped
    assert line["name"] == "裁剪车间"
    assert (line["kind"], line["shift_minutes"], line["active"]) == ("cutting", 600, True)
    assert admin.get(f"{API}/lines/{line['id']}").json() == line

    body = line_body("L-9", kind="finishing", shift_minutes=0, active=False)
    changed = admin.put(f"{API}/lines/{line['id']}", json=body)
    assert changed.status_code == 200
    got = changed.json()
    assert (got["kind"], got["shift_minutes"], got["active"]) == ("finishing", 0, False)

    assert admin.delete(f"{API}/lines/{line['id']}").status_code == 204
    assert admin.get(f"{API}/lines/{line['id']}").status_code == 404


def test_line_validation_names_every_bad_field(admin: TestClient) -> None:
    body = line_body(code=" ", name="", kind="knitting", shift_minutes=1441)
    assert bad_fields(admin.post(f"{API}/lines", json=body)) == {
        "code",
        "name",
        "kind",
        "shift_minutes",
    }
    assert bad_fields(admin.post(f"{API}/lines", json=line_body(shift_minutes=-1))) == {
        "shift_minutes"
    }
    # beyond what any column holds: named, never a database error
    assert bad_fields(admin.post(f"{API}/lines", json=line_body(shift_minutes=2**63))) == {
        "shift_minutes"
    }
    assert bad_fields(admin.post(f"{API}/lines", json=line_body(code="x" * 41))) == {"code"}
    assert bad_fields(admin.post(f"{API}/lines", json=line_body(name="x" * 201))) == {"name"}
    # a body of the wrong shape is refused by field too, never a 500
    assert "shift_minutes" in bad_fields(
        admin.post(f"{API}/lines", json=line_body(shift_minutes="long"))
    )
    assert admin.get(f"{API}/lines").json()["total"] == 0
    # the bounds themselves are allowed: a whole day of 1440 minutes
    assert create_line(admin, shift_minutes=1440)["shift_minutes"] == 1440


def test_a_line_code_is_unique_per_enterprise(admin: TestClient) -> None:
    first = create_line(admin, "L1")
    taken = admin.post(f"{API}/lines", json=line_body("L1"))
    assert taken.status_code == 409
    assert taken.json()["error"]["details"][0]["field"] == "code"
    other = create_line(admin, "L2")
    assert admin.put(f"{API}/lines/{other['id']}", json=line_body("L1")).status_code == 409
    assert admin.put(f"{API}/lines/{first['id']}", json=line_body("L1")).status_code == 200


def test_lines_are_searched_filtered_and_paged(admin: TestClient) -> None:
    for n in range(5):
        create_line(admin, f"L{n}", name=f"{'裁剪' if n % 2 else '缝制'}{n}", kind="sewing")
    create_line(admin, "C9", name="Cutting room", kind="cutting", active=False)
    page = admin.get(f"{API}/lines", params={"limit": 2, "offset": 2}).json()
    # ordered by code: C9, L0, L1, L2, L3, L4
    assert [line["code"] for line in page["items"]] == ["L1", "L2"]
    assert page["total"] == 6
    assert page["next_offset"] == 4
    found = admin.get(f"{API}/lines", params={"q": "裁剪"}).json()
    assert [line["code"] for line in found["items"]] == ["L1", "L3"]  # odd n are 裁剪
    by_kind = admin.get(f"{API}/lines", params={"kind": "cutting"}).json()
    assert [line["code"] for line in by_kind["items"]] == ["C9"]
    inactive = admin.get(f"{API}/lines", params={"active": "false"}).json()
    assert [line["code"] for line in inactive["items"]] == ["C9"]
    assert bad_fields(admin.get(f"{API}/lines", params={"kind": "x"})) == {"kind"}


def test_a_used_line_cannot_be_deleted(admin: TestClient) -> None:
    line = create_line(admin)
    create_station(admin, line["id"], "WS-1")
    create_station(admin, line["id"], "WS-2")
    create_operator(admin, line_id=line["id"])
    create_machine(admin, line_id=line["id"])
    refused = admin.delete(f"{API}/lines/{line['id']}")
    assert refused.status_code == 409
    # two stations, one operator, one machine were put on it above
    assert refused.json()["error"]["message"] == (
        "line L1 is still used by 1 operator(s), 2 workstation(s) and 1 machine(s)"
    )
    assert admin.get(f"{API}/lines/{line['id']}").status_code == 200


@both_backends
def test_a_line_of_a_production_order_cannot_be_deleted(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    table = Base.metadata.tables.get("shopfloor_order")
    assert table is not None, "the shop-floor module ships with Loom and maps shopfloor_order"
    line, style = create_line(admin), create_style(admin)
    with loom_app.state.loom.engine.begin() as conn:
        conn.execute(
            insert(table).values(
                org_id=factory_org.id,
                number="PO-1",
                customer="",
                style_id=style["id"],
                line_id=line["id"],
                due_date=date(2026, 12, 1),
                quantities={"白": {"M": 10}},
                total_qty=10,
                status="open",
                note="",
                created_at=datetime(2026, 11, 1, tzinfo=UTC),
                updated_at=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )
    refused = admin.delete(f"{API}/lines/{line['id']}")
    assert refused.status_code == 409
    assert refused.json()["error"]["message"] == "line L1 is still used by other records"
    assert admin.get(f"{API}/lines/{line['id']}").status_code == 200


def test_workstations_round_trip_under_their_line(admin: TestClient) -> None:
    line = create_line(admin)
    ws = create_station(admin, line["id"], " WS-02 ", seq=2, machine_type="overlock")
    assert (ws["code"], ws["seq"], ws["machine_type"]) == ("WS-02", 2, "overlock")
    assert ws["device_code"] is None  # blank means no scanner
    first = create_station(admin, line["id"], "WS-01", seq=1, device_code=" SCN-7 ")
    assert first["device_code"] == "SCN-7"
    listed = admin.get(f"{API}/lines/{line['id']}/workstations").json()
    assert [s["code"] for s in listed] == ["WS-01", "WS-02"]  # by seq
    url = f"{API}/lines/{line['id']}/workstations/{ws['id']}"
    assert admin.get(url).json() == ws

    changed = admin.put(url, json=station_body("WS-02", seq=3, device_code="SCN-8"))
    assert changed.status_code == 200
    assert (changed.json()["seq"], changed.json()["device_code"]) == (3, "SCN-8")
    cleared = admin.put(url, json=station_body("WS-02", seq=3, device_code=""))
    assert cleared.json()["device_code"] is None

    assert admin.delete(url).status_code == 204
    assert admin.get(url).status_code == 404


def test_workstation_validation_names_every_bad_field(admin: TestClient) -> None:
    line = create_line(admin)
    url = f"{API}/lines/{line['id']}/workstations"
    body = station_body(code="", seq=0, machine_type="laser", device_code="d" * 65)
    assert bad_fields(admin.post(url, json=body)) == {"code", "seq", "machine_type", "device_code"}
    assert bad_fields(admin.post(url, json=station_body(seq=10_000))) == {"seq"}
    assert bad_fields(admin.post(url, json=station_body(code="c" * 41))) == {"code"}
    assert admin.get(url).json() == []


def test_station_codes_are_unique_per_line_and_devices_per_enterprise(
    admin: TestClient,
) -> None:
    one, two = create_line(admin, "L1"), create_line(admin, "L2")
    ws = create_station(admin, one["id"], "WS-1", device_code="SCN-1")
    dup = admin.post(f"{API}/lines/{one['id']}/workstations", json=station_body("WS-1"))
    assert dup.status_code == 409
    assert dup.json()["error"]["details"][0]["field"] == "code"
    # the same code on another line is another workstation
    create_station(admin, two["id"], "WS-1")
    device = admin.post(
        f"{API}/lines/{two['id']}/workstations", json=station_body("WS-2", device_code="SCN-1")
    )
    assert device.status_code == 409
    assert device.json()["error"]["details"][0]["field"] == "device_code"
    assert "WS-1" in device.json()["error"]["message"]  # names where the scanner is
    # many stations without a scanner are fine (NULL, not "", in the unique key)
    create_station(admin, one["id"], "WS-2")
    create_station(admin, one["id"], "WS-3")
    # a station keeps its own device on update
    keep = station_body("WS-1", device_code="SCN-1", seq=5)
    assert (
        admin.put(f"{API}/lines/{one['id']}/workstations/{ws['id']}", json=keep).status_code == 200
    )


def test_a_workstation_is_reached_only_through_its_own_line(admin: TestClient) -> None:
    one, two = create_line(admin, "L1"), create_line(admin, "L2")
    ws = create_station(admin, one["id"])
    wrong = f"{API}/lines/{two['id']}/workstations/{ws['id']}"
    assert admin.get(wrong).status_code == 404
    assert admin.put(wrong, json=station_body()).status_code == 404
    assert admin.delete(wrong).status_code == 404
    assert admin.get(f"{API}/lines/{one['id']}/workstations/{ws['id']}").status_code == 200


def test_a_workstation_with_a_machine_cannot_be_deleted(admin: TestClient) -> None:
    line = create_line(admin)
    ws = create_station(admin, line["id"], "WS-5")
    create_machine(admin, line_id=line["id"], workstation_id=ws["id"])
    refused = admin.delete(f"{API}/lines/{line['id']}/workstations/{ws['id']}")
    assert refused.status_code == 409
    assert (
        refused.json()["error"]["message"] == "workstation WS-5 still has 1 machine(s) placed at it"
    )


@both_backends
def test_ids_beyond_any_row_are_refused_by_field(admin: TestClient) -> None:
    big = 2**40  # larger than an INTEGER column holds: named, never a database error
    for url, field in (
        (f"{API}/lines/{big}", "line_id"),
        (f"{API}/lines/{big}/workstations", "line_id"),
        (f"{API}/lines/1/workstations/{big}", "workstation_id"),
        (f"{API}/operators/{big}", "operator_id"),
        (f"{API}/operators/{big}/skills", "operator_id"),
        (f"{API}/machines/{big}", "machine_id"),
        (f"{API}/operators?line_id={big}", "line_id"),
    ):
        assert bad_fields(admin.get(url)) == {field}, url
    assert admin.get(f"{API}/lines/2147483647").status_code == 404
