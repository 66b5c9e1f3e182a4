"""Readings by file (good rows kept, bad rows named) and from devices (idempotent by id)."""

from __future__ import annotations

import io

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import select

from loom.apps.energy.service.ingest import handle_meter_records
from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.testing.factory import Factory, OrgRef
from tests.apps.energy.helpers import API, add_meter


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: TestClient, name: str, data: bytes) -> dict[str, object]:
    got = client.post(f"{API}/readings/upload", files={"file": (name, data)})
    assert got.status_code == 200, got.text
    body: dict[str, object] = got.json()
    return body


def test_an_excel_file_keeps_good_rows_and_names_each_bad_one(admin: TestClient) -> None:
    meter = add_meter(admin)
    gas = add_meter(admin, code="G-1", kind="natural_gas", mode="period", multiplier="1")
    rows: list[list[object]] = [
        ["表号", "抄表时间", "读数", "事件", "起始日期", "截止日期"],
        ["E-MAIN", "2025-03-02 00:00", 1000, None, None, None],  # row 2: good
        ["E-MAIN", "2025-03-03 00:00", 900, None, None, None],  # row 3: a drop
        ["E-9", "2025-03-03 00:00", 5, None, None, None],  # row 4: unknown meter
        ["E-MAIN", "2025-03-04 00:00", "abc", None, None, None],  # row 5: not a number
        ["E-MAIN", "2025-03-04 00:00", 1100, "爆表", None, None],  # row 6: unknown event
        [None, None, None, None, None, None],  # blank rows are skipped
        ["E-MAIN", "2025-03-05 00:00", 1200, None, None, None],  # row 8: good
        ["G-1", None, 300, None, "2025-01-01", "2025-01-31"],  # row 9: good period
    ]
    result = _upload(admin, "readings.xlsx", _xlsx(rows))
    assert result["accepted"] == 3
    assert [(p["row"], p["field"]) for p in result["rejected"]] == [  # type: ignore[union-attr]
        (3, "value"),
        (4, "meter"),
        (5, "value"),
        (6, "event"),
    ]
    page = admin.get(f"{API}/meters/{meter['id']}/readings").json()
    assert [r["value"] for r in page["items"]] == ["1200", "1000"]
    assert page["items"][0]["source"] == "file"
    assert admin.get(f"{API}/meters/{gas['id']}/readings").json()["total"] == 1


def test_a_csv_file_in_english_headings_and_gb18030(admin: TestClient) -> None:
    add_meter(admin)
    text = "meter,read at,value,note\nE-MAIN,2025-03-02 08:00,10,早班\nE-MAIN,2025-03-03,x,\n"
    result = _upload(admin, "readings.csv", text.encode("gb18030"))
    assert result["accepted"] == 1
    assert result["rejected"] == [
        {"row": 3, "field": "value", "message": "a number is expected here"}
    ]


def test_a_file_that_is_no_table_is_refused_naming_the_file(admin: TestClient) -> None:
    bad = admin.post(f"{API}/readings/upload", files={"file": ("x.xlsx", b"not a workbook")})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "file"
    headless = _xlsx([["foo", "bar"], [1, 2]])
    missing = admin.post(f"{API}/readings/upload", files={"file": ("x.xlsx", headless)})
    assert missing.status_code == 422
    assert "表号" in missing.json()["error"]["message"]


def test_device_records_are_stored_once_by_id(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    meter = add_meter(admin, rollover_at="1000")
    add_meter(admin, code="G-1", kind="natural_gas", mode="period", multiplier="1")
    records: list[object] = [
        {"id": "r1", "meter": "E-MAIN", "ts": "2025-03-02T00:00:00+08:00", "value": 990},
        {"id": "r2", "meter": "E-MAIN", "ts": "2025-03-02T01:00:00+08:00", "value": 995.5},
        # the dial rolled over: with its maximum known the device's drop is a rollover
        {"id": "r3", "meter": "E-MAIN", "ts": "2025-03-02T02:00:00+08:00", "value": 3},
        {"id": "r4", "meter": "E-9", "ts": "2025-03-02T02:00:00+08:00", "value": 3},
        {"id": "r5", "meter": "E-MAIN", "ts": "2025-03-02T03:00:00", "value": 4},
        {"id": "r6", "meter": "G-1", "ts": "2025-03-02T03:00:00+08:00", "value": 4},
        {"meter": "E-MAIN", "ts": "2025-03-02T03:00:00+08:00", "value": 4},
        "garbage",
        {"id": "r2", "meter": "E-MAIN", "ts": "2025-03-02T01:00:00+08:00", "value": 995.5},
    ]
    scope = system_scope(factory_org.id, OrgKind.ENTERPRISE, "test")
    with session_scope(factory.runtime.session_factory) as s:
        first = handle_meter_records(s, scope, records)
    assert first.accepted == 3
    assert first.duplicates == 1  # r2 twice in one batch
    assert [i for i, _ in first.rejected] == [3, 4, 5, 6, 7]
    assert first.rejected[0][1] == "meter: no such meter"
    assert first.rejected[1][1].startswith("ts:")
    with session_scope(factory.runtime.session_factory) as s:
        again = handle_meter_records(s, scope, records[:3])
    assert (again.accepted, again.duplicates, again.rejected) == (0, 3, ())
    page = admin.get(f"{API}/meters/{meter['id']}/readings").json()
    assert [(r["value"], r["event"], r["source"]) for r in page["items"]] == [
        ("3", "rollover", "device"),
        ("995.5", "", "device"),
        ("990", "", "device"),
    ]
    with session_scope(factory.runtime.session_factory) as s:
        audited = list(
            s.scalars(select(AuditEvent).where(AuditEvent.action == "energy.reading.ingested"))
        )
    assert len(audited) == 1  # one event per batch that stored something


def test_the_meters_channel_is_declared() -> None:
    from loom.apps.energy.app import spec

    (channel,) = spec.ingest_channels
    assert channel.name == "meters"
    assert channel.permission == "energy.reading.write"
    assert channel.handler is handle_meter_records


def test_device_readings_over_http_are_acknowledged_once(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    meter = add_meter(admin)
    device = factory.token_client(
        factory.token(factory_org, ["energy.reading.write"], kind="device")
    )
    batch = [
        {"id": "h1", "meter": "E-MAIN", "ts": "2025-03-02T00:00:00+08:00", "value": 10},
        {"id": "h2", "meter": "E-MAIN", "ts": "2025-03-02T00:15:00+08:00", "value": 12},
        {"id": "h3", "meter": "E-MAIN", "ts": "2025-03-02T00:30:00+08:00", "value": 11},
    ]
    first = device.post("/api/v1/ingest/meters", json=batch)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["accepted"], body["duplicates"]) == (2, 0)
    # 11 after 12 on a meter without a known maximum: refused naming the field
    assert [r["index"] for r in body["rejected"]] == [2]
    assert body["rejected"][0]["error"].startswith("value:")
    again = device.post("/api/v1/ingest/meters", json=batch[:2]).json()
    assert (again["accepted"], again["duplicates"]) == (0, 2)
    assert admin.get(f"{API}/meters/{meter['id']}/readings").json()["total"] == 2
    reader = factory.token_client(factory.token(factory_org, ["energy.meter.read"], kind="device"))
    assert reader.post("/api/v1/ingest/meters", json=batch).status_code == 403
