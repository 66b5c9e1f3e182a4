"""The batch parser's fast path: same keys and same messages as the field-by-field checks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loom.modules.shopfloor.engine import keys
from loom.modules.shopfloor.engine.events import EventError, parser
from loom.modules.shopfloor.service.eventstore import pg_array
from loom.testing.factory import Factory

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
V7 = "0195a1b2-c3d4-7abc-8def-0123456789ab"
V4 = "3f2b8c1e-9d4a-4e6f-b1c2-7a8b9c0d1e2f"
GOOD: dict[str, Any] = {
    "id": V7,
    "ts": "2026-03-02T17:15:00+08:00",
    "device": " scanner-1 ",
    "operator": "L1-OP03",
    "bundle": 12,
    "operation": 3,
    "qty": 20,
    "kind": "done",
    "sig": "0123456789abcdef0123",
}


def test_uuid_of_builds_the_same_uuid_as_the_constructor() -> None:
    """Equal, hashed alike and printed alike: ingest's keys meet the database's in sets."""
    for number in (0, 1, int(uuid.UUID(V7)), (1 << 128) - 1):
        made, expected = keys.uuid_of(number), uuid.UUID(int=number)
        assert made == expected
        assert hash(made) == hash(expected)
        assert str(made) == str(expected)
        assert made.is_safe is expected.is_safe


def test_a_v7_event_is_stored_under_its_id() -> None:
    """The fields come out typed, trimmed and in UTC; a v7 id is the key itself."""
    event = parser(NOW)(GOOD)
    assert event.key == uuid.UUID(V7)
    assert event.origin_id is None
    assert event.ts == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)  # 17:15 at +08:00
    assert (event.device, event.operator) == ("scanner-1", "L1-OP03")
    assert (event.bundle, event.operation, event.qty, event.kind) == (12, 3, 20, "done")
    assert event.sig == "0123456789ABCDEF0123"


def test_a_v4_event_keeps_its_id_and_gets_the_time_led_key() -> None:
    """The key is keys.storage_key's, so a v4 event resent later maps to the same row."""
    event = parser(NOW)(GOOD | {"id": V4})
    ts = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert event.origin_id == uuid.UUID(V4)
    assert event.key == keys.storage_key(uuid.UUID(V4), ts)
    assert event.key.int >> 80 == int(ts.timestamp() * 1000)
    assert event.key.version == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": V7.replace("-", "")}, "id: a UUID string (8-4-4-4-12 hex digits) is required"),
        ({"id": V7[:-1] + "g"}, "id: not a UUID"),
        ({"id": V7[:14] + "1" + V7[15:]}, "id: a UUID of version 7 (or 4 from older devices)"),
        ({"ts": 5}, "ts: an RFC 3339 timestamp string is required"),
        ({"ts": "yesterday"}, "ts: not an RFC 3339 timestamp"),
        ({"ts": "2026-03-02T09:15:00"}, "ts: the time zone offset is missing"),
        ({"ts": "1999-12-31T23:00:00+00:00"}, "ts: outside 2000-01-01"),
        ({"ts": "2026-03-04T12:00:00+00:00"}, "ts: outside 2000-01-01"),
        # year 1 an hour east of UTC is before year 1 in UTC: was an OverflowError (a 500)
        ({"ts": "0001-01-01T00:00:00+01:00"}, "ts: outside 2000-01-01"),
        ({"kind": "finished"}, "kind: one of done, rework, defect"),
        ({"sig": "ABC"}, "sig: the coupon signature (20 characters) is required"),
        ({"device": "  "}, "device: a non-empty string is required"),
        ({"operator": "x" * 41}, "operator: at most 40 characters"),
        ({"bundle": "12"}, "bundle: an integer is required"),
        ({"operation": 0}, "operation: must be between 1 and 2147483647"),
        ({"qty": True}, "qty: an integer is required"),
        ({"qty": 100_001}, "qty: must be between 1 and 100000"),
    ],
)
def test_each_bad_field_is_named_with_the_protocol_message(
    change: dict[str, object], message: str
) -> None:
    """The messages are those of the field-by-field checks the fast path replaced."""
    with pytest.raises(EventError) as caught:
        parser(NOW)(GOOD | change)
    assert str(caught.value).startswith(message)


def test_a_clock_a_day_ahead_is_the_limit() -> None:
    """One day ahead of the server clock is accepted, a second more is not."""
    parse = parser(NOW)
    limit = NOW + timedelta(days=1)
    assert parse(GOOD | {"ts": limit.isoformat()}).ts == limit
    with pytest.raises(EventError, match=r"^ts: outside"):
        parse(GOOD | {"ts": (limit + timedelta(seconds=1)).isoformat()})


def test_pg_array_writes_literals_without_quoting_what_needs_none() -> None:
    """Numbers, hex UUIDs and ISO times bare; strings always quoted, with \\ and " escaped."""
    hour = datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert pg_array([3, -1]) == "{3,-1}"
    assert pg_array([uuid.UUID(V7)]) == "{0195a1b2c3d47abc8def0123456789ab}"
    assert pg_array([hour, hour.date()]) == "{2026-03-02T09:00:00+00:00,2026-03-02}"
    assert pg_array(['a"b', "c\\d", "e,f"]) == '{"a\\"b","c\\\\d","e,f"}'
    assert pg_array([]) == "{}"
    with pytest.raises(ValueError, match="naive"):
        pg_array([datetime(2026, 3, 2)])
    with pytest.raises(TypeError):
        pg_array([True])


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_pg_array_reads_back_as_the_values_on_postgresql(factory: Factory) -> None:
    """The server parses each literal into exactly the values written."""
    texts = ['a"b', "c\\d", "e,f", "{g}", "NULL", " h "]
    hour = datetime(2026, 3, 2, 9, tzinfo=UTC)
    with factory.runtime.engine.connect() as connection:
        run = connection.exec_driver_sql
        assert run("SELECT %s::text[]", (pg_array(texts),)).scalar() == texts
        assert run("SELECT %s::bigint[]", (pg_array([1, 2**40]),)).scalar() == [1, 2**40]
        assert run("SELECT %s::uuid[]", (pg_array([uuid.UUID(V7)]),)).scalar() == [uuid.UUID(V7)]
        # +00:00 fixes the instant whatever the session's TimeZone
        run("SET LOCAL TIME ZONE 'Asia/Shanghai'")
        found = run("SELECT %s::timestamptz[]", (pg_array([hour]),)).scalar()
        assert [moment.astimezone(UTC) for moment in found] == [hour]
