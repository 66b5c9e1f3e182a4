"""The msgspec fast path takes a batch whole or not at all, and gives what ``prepare`` gives."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loom.modules.shopfloor.engine import keys, tickets
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.service.ingest import (
    MAX_BATCH,
    Prepared,
    decode_scans,
    prepare,
    prepare_body,
)
from loom.modules.shopfloor.service.mqtt_plan import Part, prepare_parts

SECRET = "fast-path-test-secret"
ORG = 7
KEY = tickets.ticket_key(SECRET, ORG)
TS = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
V4 = "3f2b8c1e-9d4a-4e6f-b1c2-7a8b9c0d1e2f"


def _event(n: int, **change: Any) -> dict[str, Any]:
    """Return a valid signed event (``n`` picks bundle, time and id), with ``change`` applied."""
    bundle, operation = 100 + n, 1 + n % 9
    ts = TS + timedelta(seconds=n)
    event: dict[str, Any] = {
        "id": str(keys.uuid7(ts, n.to_bytes(10, "big"))),
        "ts": ts.astimezone(LOCAL_TZ).isoformat(),
        "device": "scanner-1",
        "operator": f"L1-OP{n % 30:02d}",
        "bundle": bundle,
        "operation": operation,
        "qty": 20,
        "kind": "done",
        "sig": tickets.sign(KEY, ORG, bundle, operation),
    }
    return event | change


def _summary(prepared: Prepared) -> tuple[object, ...]:
    """What store() takes from a prepared batch, comparable across the two paths."""
    result = prepared.result
    return (
        list(prepared.fresh.items()),
        result.duplicates,
        [(r.index, r.error) for r in result.rejected],
        prepared.refused,
    )


def _slow(body: bytes) -> Prepared:
    return prepare(orjson.loads(body), ORG, secret_key=SECRET)


def test_a_well_formed_batch_gives_the_same_events_as_the_parser() -> None:
    """v7 and v4 ids, padded text, a lower-case signature and a resent id: same keys and counts."""
    items = [_event(n) for n in range(20)]
    items[3] |= {"id": V4}
    items[4] |= {"device": "  scanner-2 ", "sig": items[4]["sig"].lower()}
    items.append(dict(items[5]))  # the same event twice in one batch: one duplicate
    body = orjson.dumps(items)
    fast = prepare_body(body, ORG, secret_key=SECRET)
    assert fast is not None
    assert _summary(fast) == _summary(_slow(body))
    assert fast.result.duplicates == 1
    assert len(fast.fresh) == 20
    v4 = fast.fresh[keys.storage_key(uuid.UUID(V4), TS + timedelta(seconds=3))][1]
    assert v4.origin_id == uuid.UUID(V4)
    assert fast.fresh[uuid.UUID(items[4]["id"])][1].device == "scanner-2"


def test_a_repeated_field_takes_its_last_value_in_both_decoders() -> None:
    """JSON with a key given twice: orjson and msgspec both keep the last, so qty is 5."""
    text = orjson.dumps([_event(1)]).decode().replace('"qty":20', '"qty":1,"qty":5')
    body = text.encode()
    fast = prepare_body(body, ORG, secret_key=SECRET)
    assert fast is not None
    assert [e.qty for _, e in fast.fresh.values()] == [5]
    assert _summary(fast) == _summary(_slow(body))


@pytest.mark.parametrize(
    "change",
    [
        {"extra": 1},  # unknown fields go to the parser, which ignores them
        {"qty": True},
        {"qty": 20.0},
        {"qty": 0},
        {"bundle": "12"},
        {"kind": "finished"},
        {"device": "  "},
        {"operator": "x" * 41},
        {"sig": "ABC"},
        {"sig": "0" * 20},  # well formed, wrongly signed
        {"id": V4.replace("-", "")},
        {"id": V4[:14] + "1" + V4[15:]},
        {"ts": TS.replace(tzinfo=None).isoformat()},
        {"ts": (datetime.now(UTC) + timedelta(days=2)).isoformat()},
        {"ts": "0001-01-01T00:00:00+01:00"},
    ],
)
def test_a_batch_with_any_bad_event_goes_to_the_parser(change: dict[str, Any]) -> None:
    """The fast path refuses the whole batch; the parser rejects that one event and keeps 2."""
    body = orjson.dumps([_event(1), _event(2, **change), _event(3)])
    assert prepare_body(body, ORG, secret_key=SECRET) is None
    slow = _slow(body)
    expected_rejected = [] if "extra" in change else [1]
    assert [r.index for r in slow.result.rejected] == expected_rejected


def test_a_missing_field_and_bodies_that_are_no_batch_go_to_the_parser() -> None:
    """The route words these (not JSON, not an array, too many events) as before."""
    event = _event(1)
    del event["qty"]
    assert decode_scans(orjson.dumps([event])) is None
    assert decode_scans(b"[") is None
    assert decode_scans(b'{"id": 1}') is None
    assert decode_scans(orjson.dumps([_event(1)] * (MAX_BATCH + 1))) is None
    assert decode_scans(b"[]") == []


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=70)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
)
_FIELDS = ("id", "ts", "device", "operator", "bundle", "operation", "qty", "kind", "sig")


_EDGE = st.text(st.sampled_from(" \t\nAz09-:.+Z\u00e9"), max_size=3)


@settings(max_examples=400, deadline=None)
@given(
    field=st.sampled_from((*_FIELDS, "extra")),
    value=st.one_of(_VALUES, st.sampled_from(["done", "rework", "defect", V4, " x "])),
    near=st.booleans(),
    edge=st.tuples(_EDGE, _EDGE, st.integers(min_value=-200, max_value=200_000)),
    drop=st.booleans(),
)
def test_the_fast_path_never_disagrees_with_the_parser(
    field: str, value: Any, near: bool, edge: tuple[str, str, int], drop: bool
) -> None:
    """Any one field changed or removed: the fast path refuses, or gives the parser's answer.

    Half the changes stay near the valid value (text padded, a number moved), so that many
    batches are taken whole and the two answers are compared, not only the refusals.
    """
    event = _event(4)
    if drop and field in event:
        del event[field]
    elif near and isinstance(event.get(field), str):
        event[field] = edge[0] + event[field] + edge[1]
    elif near and isinstance(event.get(field), int):
        event[field] += edge[2]
    else:
        event[field] = value
    body = orjson.dumps([_event(1), event])
    fast = prepare_body(body, ORG, secret_key=SECRET)
    if fast is not None:
        assert _summary(fast) == _summary(_slow(body))


def _parts(*batches: list[dict[str, Any]]) -> list[Part]:
    """Return MQTT messages as the worker's planner splits them (fast decode first)."""
    parts = []
    for batch in batches:
        payload = orjson.dumps(batch)
        scans = decode_scans(payload)
        parts.append(Part(payload, scans, None if scans is not None else orjson.loads(payload)))
    return parts


def _reference(batches: list[list[dict[str, Any]]], size: int = MAX_BATCH) -> list[Prepared]:
    """The worker's way before the fast path: every message's events concatenated, then cut."""
    events = [event for batch in batches for event in batch]
    return [
        prepare(events[i : i + size], ORG, secret_key=SECRET) for i in range(0, len(events), size)
    ]


def test_mqtt_messages_are_prepared_in_the_same_batches_as_before() -> None:
    """12,000 events in two messages: batches of 10,000 and 2,000 on both paths."""
    first = [_event(n) for n in range(6_000)]
    second = [_event(n) for n in range(6_000, 12_000)]
    second[10] = dict(first[0])  # resent: a duplicate inside the first 10,000
    parts = _parts(first, second)
    assert all(part.scans is not None for part in parts)
    fast = prepare_parts(parts, ORG, secret_key=SECRET)
    assert [len(p.fresh) for p in fast] == [9_999, 2_000]
    assert [_summary(p) for p in fast] == [_summary(p) for p in _reference([first, second])]


def test_a_message_with_a_bad_event_sends_the_device_batch_to_the_parser() -> None:
    """One wrong signature in the second message: rejected by its index in the joined batch."""
    first = [_event(n) for n in range(3)]
    second = [_event(3), _event(4, sig="0" * 20)]
    parts = _parts(first, second)
    prepared = prepare_parts(parts, ORG, secret_key=SECRET)
    assert [(r.index, r.error[:4]) for r in prepared[0].result.rejected] == [(4, "sig:")]
    assert [_summary(p) for p in prepared] == [_summary(p) for p in _reference([first, second])]
    # a message the fast decoder refused (an unknown field) joins the parser's batch as it is
    mixed = _parts(first, [_event(5, note="x")])
    assert mixed[1].scans is None
    assert [_summary(p) for p in prepare_parts(mixed, ORG, secret_key=SECRET)] == [
        _summary(p) for p in _reference([first, [_event(5, note="x")]])
    ]
