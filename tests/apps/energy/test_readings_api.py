"""Readings by hand: neighbours checked, rollovers and replacements, periods, deletion, audit."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.db.session import session_scope
from loom.testing.factory import Factory
from tests.apps.energy.helpers import API, add_meter, bad_fields, read


def test_readings_are_listed_newest_first(admin: TestClient) -> None:
    meter = add_meter(admin)
    for at, value in (("2025-03-02T00:00", "1000"), ("2025-03-03T00:00", "1100")):
        assert read(admin, meter["id"], at, value).status_code == 201
    page = admin.get(f"{API}/meters/{meter['id']}/readings").json()
    assert [r["value"] for r in page["items"]] == ["1100", "1000"]
    # 2025-03-03 00:00 in China is 2 March 16:00 UTC
    assert page["items"][0]["at"].startswith("2025-03-02T16:00")
    assert page["items"][0]["multiplier"] == "40"
    assert page["items"][0]["source"] == "hand"


def test_a_drop_is_refused_unless_it_is_a_rollover_or_a_replacement(admin: TestClient) -> None:
    meter = add_meter(admin, rollover_at="1000000")
    read(admin, meter["id"], "2025-03-02T00:00", "999900")
    drop = read(admin, meter["id"], "2025-03-03T00:00", "50")
    assert bad_fields(drop) == {"value"}
    assert "rolled over" in drop.json()["error"]["details"][0]["message"]
    assert read(admin, meter["id"], "2025-03-03T00:00", "50", event="rollover").status_code == 201
    # replaced: the old dial ended at 80, the new one starts at 0
    no_final = read(admin, meter["id"], "2025-03-04T00:00", "0", event="replaced")
    assert bad_fields(no_final) == {"old_final"}
    replaced = read(admin, meter["id"], "2025-03-04T00:00", "0", event="replaced", old_final="80")
    assert replaced.status_code == 201
    # the register must not go past its maximum, nor a time be used twice
    assert bad_fields(read(admin, meter["id"], "2025-03-05T00:00", "1000000")) == {"value"}
    assert bad_fields(read(admin, meter["id"], "2025-03-04T00:00", "5")) == {"at"}


def test_a_rollover_needs_the_dials_maximum(admin: TestClient) -> None:
    meter = add_meter(admin)
    read(admin, meter["id"], "2025-03-02T00:00", "900")
    assert bad_fields(read(admin, meter["id"], "2025-03-03T00:00", "5", event="rollover")) == {
        "event"
    }


def test_a_reading_between_two_must_fit_between_them(admin: TestClient) -> None:
    meter = add_meter(admin)
    read(admin, meter["id"], "2025-03-02T00:00", "1000")
    read(admin, meter["id"], "2025-03-04T00:00", "1200")
    assert bad_fields(read(admin, meter["id"], "2025-03-03T00:00", "1300")) == {"value"}
    assert read(admin, meter["id"], "2025-03-03T00:00", "1100").status_code == 201


def test_bad_input_names_the_field(admin: TestClient) -> None:
    meter = add_meter(admin)
    url = f"{API}/meters/{meter['id']}/readings"
    assert bad_fields(admin.post(url, json={"value": "10"})) == {"at"}
    assert bad_fields(admin.post(url, json={"at": "2025-03-02T00:00"})) == {"value"}
    assert bad_fields(admin.post(url, json={"at": "2999-01-01T00:00", "value": "-1"})) == {
        "at",
        "value",
    }
    assert bad_fields(admin.post(url, json={"at": "yesterday", "value": "1"})) == {"at"}


def test_period_meters_take_non_overlapping_periods(admin: TestClient) -> None:
    meter = add_meter(admin, code="G-1", kind="natural_gas", mode="period", multiplier="1")
    url = f"{API}/meters/{meter['id']}/readings"
    body = {"period_start": "2025-01-01", "period_end": "2025-01-31", "value": "1000"}
    assert admin.post(url, json=body).status_code == 201
    overlap = {"period_start": "2025-01-20", "period_end": "2025-02-10", "value": "5"}
    assert bad_fields(admin.post(url, json=overlap)) == {"period_start"}
    backwards = {"period_start": "2025-02-10", "period_end": "2025-02-01", "value": "5"}
    assert bad_fields(admin.post(url, json=backwards)) == {"period_end"}


def test_a_rollover_with_later_readings_cannot_be_deleted(
    factory: Factory, admin: TestClient
) -> None:
    meter = add_meter(admin, rollover_at="1000")
    read(admin, meter["id"], "2025-03-02T00:00", "990")
    rolled = read(admin, meter["id"], "2025-03-03T00:00", "10", event="rollover").json()
    later = read(admin, meter["id"], "2025-03-04T00:00", "20").json()
    assert bad_fields(admin.delete(f"{API}/readings/{rolled['id']}")) == {"reading"}
    assert admin.delete(f"{API}/readings/{later['id']}").status_code == 204
    assert admin.delete(f"{API}/readings/{rolled['id']}").status_code == 204
    with session_scope(factory.runtime.session_factory) as s:
        actions = list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.target_type == "reading")
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["energy.reading.created"] * 3 + ["energy.reading.deleted"] * 2
