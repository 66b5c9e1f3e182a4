"""``POST /api/v1/ingest/telemetry``: device tokens, tenants, validation and idempotency."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from loom.apps.equipment.models.telemetry import TelemetryRecord
from loom.kernel.tenancy.models import Role
from loom.modules.masterdata.models import Machine
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.apps.equipment.telemetry_fixtures import (
    TELEMETRY_WRITE,
    count,
    seed_ledger,
    state,
)

URL = "/api/v1/ingest/telemetry"


def _stored(factory: Factory, org: OrgRef) -> int:
    """Return how many telemetry records ``org`` has."""
    with factory.runtime.session_factory() as s:
        stmt = select(func.count()).where(TelemetryRecord.org_id == org.id)
        return s.scalar(stmt) or 0


def _device(factory: Factory, org: OrgRef, permissions: list[str] = TELEMETRY_WRITE) -> Any:
    """Return a client holding a device token of ``org``."""
    return factory.token_client(factory.token(org, permissions, kind="device"))


@both_backends
def test_a_batch_is_stored_and_a_resent_batch_counts_as_duplicates(factory: Factory) -> None:
    org = factory.org("mill")
    seed_ledger(factory.runtime.session_factory, org.id)
    device = _device(factory, org)
    batch = [state(0, "M01", "running"), count(10, "M01", 40, 2), state(20, "M02", "down", "jam")]
    first = device.post(URL, json=batch)
    assert first.status_code == 200, first.text
    assert first.json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    # the answer came after the commit: another connection sees the rows
    assert _stored(factory, org) == 3
    again = device.post(URL, json=[*batch, batch[0]])
    assert again.json() == {"accepted": 0, "duplicates": 4, "rejected": []}
    assert _stored(factory, org) == 3


@both_backends
def test_a_v4_id_resent_is_a_duplicate_too(factory: Factory) -> None:
    org = factory.org("mill")
    seed_ledger(factory.runtime.session_factory, org.id)
    device = _device(factory, org)
    record = {**state(0, "M01", "idle"), "id": "5f0c6c1e-8d1a-4b7e-9f00-1c2d3e4f5a6b"}
    assert device.post(URL, json=[record]).json()["accepted"] == 1
    assert device.post(URL, json=[record]).json()["duplicates"] == 1
    with factory.runtime.session_factory() as s:
        row = s.scalars(select(TelemetryRecord).where(TelemetryRecord.org_id == org.id)).one()
    # stored under a time-led key; the device's v4 id is kept
    assert str(row.origin_id) == record["id"]
    assert row.key.version == 4
    assert str(row.key) != record["id"]


def test_bad_records_are_rejected_by_index_and_the_rest_kept(factory: Factory) -> None:
    org = factory.org("mill")
    seed_ledger(factory.runtime.session_factory, org.id)
    device = _device(factory, org)
    batch = [
        state(0, "M01", "running"),
        state(1, "M99", "running"),  # not in the ledger
        {**state(2, "M01", "running"), "ts": "2026-03-02T08:00:00"},  # no offset
        {**state(3, "M01", "running"), "state": "sleeping"},
        {**count(4, "M01", 1), "good": -1},
        {**count(5, "M01", 0), "reject": 0},
        {**state(6, "M01", "down"), "id": "not-a-uuid"},
        "a string",
        count(7, "M02", 5),
    ]
    response = device.post(URL, json=batch)
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicates"]) == (2, 0)
    assert body["rejected"] == [
        {"index": 1, "error": "machine: no machine with code 'M99'"},
        {"index": 2, "error": "ts: the time zone offset is missing"},
        {"index": 3, "error": "state: must be running, idle, down or planned_stop"},
        {"index": 4, "error": "good: must be between 0 and 1000000"},
        {"index": 5, "error": "good: a count record needs good or reject pieces"},
        {"index": 6, "error": "id: a UUID string (8-4-4-4-12 hex digits) is required"},
        {"index": 7, "error": "record: a JSON object is required"},
    ]
    assert _stored(factory, org) == 2


def test_a_body_that_is_no_batch_is_a_422_naming_the_body(factory: Factory) -> None:
    org = factory.org("mill")
    device = _device(factory, org)
    for body, message in (
        (b"{not json", "body: not valid JSON"),
        (b'{"id": 1}', "body: a JSON array of records is required"),
        (b"[" + b"{}," * 10_000 + b"{}]", "body: at most 10000 records per batch"),
    ):
        response = device.post(URL, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 422
        assert response.json()["error"]["message"] == message
    # 1 MiB + 10,000 × 1 KiB is the most any valid batch needs
    huge = b"[" + b" " * (1_048_576 + 10_240_000) + b"]"
    response = device.post(URL, content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("body: larger than")


def test_tokens_need_the_channel_permission(factory: Factory, anon: Any) -> None:
    org = factory.org("mill")
    seed_ledger(factory.runtime.session_factory, org.id)
    batch = [state(0, "M01", "running")]
    assert anon.post(URL, json=batch).status_code == 401
    scans_only = _device(factory, org, ["shopfloor.event.write"])
    refused = scans_only.post(URL, json=batch)
    assert refused.status_code == 403
    assert "equipment.telemetry.write" in refused.json()["error"]["message"]
    assert _stored(factory, org) == 0


def test_an_unknown_channel_answers_404(factory: Factory) -> None:
    org = factory.org("mill")
    device = _device(factory, org)
    assert device.post("/api/v1/ingest/vibration", json=[]).status_code == 404


def test_a_disabled_app_hides_its_channel(factory: Factory) -> None:
    org = factory.org("mill")
    seed_ledger(factory.runtime.session_factory, org.id)
    factory.user("ada", (org, Role.ADMIN))
    device = _device(factory, org)
    admin = factory.client("ada")
    assert admin.put("/api/v1/apps/equipment", json={"enabled": False}).status_code == 200
    assert device.post(URL, json=[state(0, "M01", "running")]).status_code == 404
    assert _stored(factory, org) == 0


@both_backends
def test_a_token_of_one_factory_cannot_write_into_another(factory: Factory) -> None:
    mine, theirs = factory.org("mill-a"), factory.org("mill-b")
    seed_ledger(factory.runtime.session_factory, mine.id)
    seed_ledger(factory.runtime.session_factory, theirs.id)
    device = _device(factory, mine)
    # the victim's machine codes are the same: they resolve in the token's own ledger only
    response = device.post(URL, json=[state(0, "M01", "running")])
    assert response.json()["accepted"] == 1
    assert (_stored(factory, mine), _stored(factory, theirs)) == (1, 0)
    # and a code only the other factory has is unknown here
    with factory.runtime.session_factory() as s:
        s.add(Machine(org_id=theirs.id, code="ONLY-B", machine_type="overlock"))
        s.commit()
    refused = device.post(URL, json=[state(1, "ONLY-B", "running")]).json()
    assert refused["rejected"] == [{"index": 0, "error": "machine: no machine with code 'ONLY-B'"}]
    assert _stored(factory, theirs) == 0
