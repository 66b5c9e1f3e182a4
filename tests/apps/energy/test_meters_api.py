"""Meters over the API: fields checked and named, attachments, the reading mode, audit."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.db.session import session_scope
from loom.testing.factory import Factory
from tests.apps.energy.helpers import API, Plant, add_meter, bad_fields, meter_body, read


def test_a_meter_is_created_read_listed_and_searched(admin: TestClient, plant: Plant) -> None:
    meter = add_meter(admin)
    assert meter["unit"] == "kWh"
    assert meter["multiplier"] == "40"
    add_meter(admin, code="W-01", name="自来水表", kind="water", multiplier="1")
    assert admin.get(f"{API}/meters/{meter['id']}").json() == meter
    assert admin.get(f"{API}/meters").json()["total"] == 2
    found = admin.get(f"{API}/meters", params={"q": "自来水"}).json()
    assert [m["code"] for m in found["items"]] == ["W-01"]
    by_kind = admin.get(f"{API}/meters", params={"kind": "electricity"}).json()
    assert [m["code"] for m in by_kind["items"]] == ["E-MAIN"]


def test_every_bad_field_is_named(admin: TestClient, plant: Plant) -> None:
    body = meter_body(code="", name="", kind="coal", attached_to="line", multiplier="0")
    assert bad_fields(admin.post(f"{API}/meters", json=body)) == {
        "code",
        "name",
        "kind",
        "line_id",
        "multiplier",
    }
    machine = meter_body(attached_to="machine", machine_id=999_999, rollover_at="12.34567")
    assert bad_fields(admin.post(f"{API}/meters", json=machine)) == {"machine_id", "rollover_at"}
    period = meter_body(mode="period", multiplier="2", rollover_at="1000")
    assert bad_fields(admin.post(f"{API}/meters", json=period)) == {"multiplier", "rollover_at"}


def test_a_taken_code_is_a_conflict(admin: TestClient) -> None:
    add_meter(admin)
    again = admin.post(f"{API}/meters", json=meter_body())
    assert again.status_code == 409
    assert again.json()["error"]["details"][0]["field"] == "code"


def test_a_machine_meter_counts_for_the_machines_line(admin: TestClient, plant: Plant) -> None:
    meter = add_meter(
        admin, code="E-M01", attached_to="machine", machine_id=plant.machine_id, main=False
    )
    assert meter["line_id"] == plant.line_id
    assert meter["machine_id"] == plant.machine_id
    listed = admin.get(f"{API}/meters", params={"line_id": plant.line_id}).json()
    assert [m["code"] for m in listed["items"]] == ["E-M01"]


def test_the_reading_mode_is_fixed_once_read(admin: TestClient) -> None:
    meter = add_meter(admin)
    url = f"{API}/meters/{meter['id']}"
    assert admin.put(url, json=meter_body(mode="period", multiplier="1")).status_code == 200
    assert admin.put(url, json=meter_body()).status_code == 200
    assert read(admin, meter["id"], "2025-03-02T00:00", "1000").status_code == 201
    assert bad_fields(admin.put(url, json=meter_body(mode="period", multiplier="1"))) == {"mode"}


def test_changes_are_audited(factory: Factory, admin: TestClient) -> None:
    meter = add_meter(admin)
    url = f"{API}/meters/{meter['id']}"
    admin.put(url, json=meter_body(name="总电表（新）"))
    assert admin.delete(url).status_code == 204
    assert admin.get(url).status_code == 404
    with session_scope(factory.runtime.session_factory) as s:
        actions = list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.target_type == "meter")
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["energy.meter.created", "energy.meter.updated", "energy.meter.deleted"]
