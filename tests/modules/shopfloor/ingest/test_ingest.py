"""Ingest over HTTP: stored once, applied or quarantined, counters moved in the same transaction.

Expected figures are hand-computed from the sample factory (service/sample.py): operations
T10 (SAM 0.45 min, 0.08 CNY), T20 (0.90, 0.16), T30 (0.60, 0.11), …, T90 last; bundles of 20.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from loom.modules.masterdata.models import Operator
from loom.modules.shopfloor.models import (
    LineHour,
    OpCount,
    OperatorDay,
    OperatorHour,
    Quarantined,
    ScanEvent,
)
from loom.testing.factory import Factory

from .support import T0, Plant, counters, make_plant

#: the core flows run on both databases (the event store has a plain-SQL path per dialect)
BOTH = pytest.mark.parametrize(
    "loom_backend",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)


@pytest.fixture
def plant(factory: Factory) -> Plant:
    """A sample factory with one line."""
    return make_plant(factory)


def _operator_id(plant: Plant, code: str) -> int:
    with plant.session() as s:
        found = s.scalar(select(Operator.id).where(Operator.code == code))
        assert found is not None
        return int(found)


@BOTH
def test_events_update_every_figure(plant: Plant) -> None:
    """Three operations, a rework and a defect: each counter holds the hand-computed sums."""
    minute = timedelta(minutes=1)
    batch = [
        plant.event(0, 0),
        plant.event(0, 1, ts=T0 + minute),
        plant.event(0, 2, ts=T0 + 2 * minute),
        plant.event(0, 1, ts=T0 + 3 * minute, kind="rework", qty=2),
        plant.event(0, 2, ts=T0 + 4 * minute, kind="defect", qty=1),
    ]
    assert plant.post(batch) == {"accepted": 5, "duplicates": 0, "quarantined": 0, "rejected": []}
    operator = _operator_id(plant, plant.sample.operators[plant.sample.lines[0]][0])
    order, line = plant.sample.orders[0], plant.sample.lines[0]
    ops = plant.sample.operations
    with plant.session() as s:
        day = s.get(OperatorDay, (plant.org.id, operator, date(2026, 3, 2)))
        assert day is not None
        # 3 × 20 pieces; (0.45 + 0.90 + 0.60) × 20 = 39 min; (0.08 + 0.16 + 0.11) × 20 = 7 CNY
        assert (day.done_qty, day.earned_e4, day.earnings_e4) == (60, 390_000, 70_000)
        assert (day.rework_qty, day.defect_qty) == (2, 1)
        counts = {
            r.operation_id: (r.done_qty, r.rework_qty, r.defect_qty)
            for r in s.scalars(select(OpCount).where(OpCount.order_id == order))
        }
        assert counts == {ops[0]: (20, 0, 0), ops[1]: (20, 2, 0), ops[2]: (20, 0, 1)}
        hours = s.scalars(select(LineHour).where(LineHour.line_id == line)).all()
        assert len(hours) == 1
        # 09:15 Beijing is the 01:00 UTC hour; nothing reached the last operation yet
        assert hours[0].hour.hour == 1
        assert (hours[0].output_qty, hours[0].done_qty, hours[0].earned_e4) == (0, 60, 390_000)
        assert (hours[0].rework_qty, hours[0].defect_qty) == (2, 1)
        person = s.scalars(select(OperatorHour)).all()
        assert [(p.operator_id, p.done_qty, p.earnings_e4) for p in person] == [
            (operator, 60, 70_000)
        ]


def test_the_last_operation_counts_as_output(plant: Plant) -> None:
    """Only pieces done at the routing's final operation are the line's output."""
    last = len(plant.sample.operations) - 1
    assert plant.post([plant.event(0, last), plant.event(1, last - 1)])["accepted"] == 2
    with plant.session() as s:
        hour = s.scalars(select(LineHour)).one()
        assert (hour.output_qty, hour.done_qty) == (20, 40)


@BOTH
def test_a_resent_batch_is_all_duplicates_and_changes_nothing(plant: Plant) -> None:
    """Idempotent by id: the second post stores and counts nothing."""
    batch = [plant.event(0, 0), plant.event(1, 0), plant.event(2, 0, kind="rework", qty=3)]
    assert plant.post(batch)["accepted"] == 3
    with plant.session() as s:
        before = counters(s, plant.org.id)
    assert plant.post(batch) == {"accepted": 0, "duplicates": 3, "quarantined": 0, "rejected": []}
    # and a batch repeating one event inside itself counts it once
    twice = plant.event(3, 0)
    assert plant.post([twice, twice])["duplicates"] == 1
    with plant.session() as s:
        after = counters(s, plant.org.id)
        assert s.scalar(select(ScanEvent.qty).where(ScanEvent.bundle_no == batch[0]["bundle"]))
    assert after["shopfloor_op_count"] != before["shopfloor_op_count"]  # bundle 3 counted
    done = {r[2]: r[4] for r in after["shopfloor_op_count"]}
    assert done[plant.sample.operations[0]] == 60  # bundles 0, 1 and 3, once each


@BOTH
def test_random_v4_ids_are_idempotent_under_their_time_ordered_key(plant: Plant) -> None:
    """A v4 id is stored under a key led by its ts; resending it is still a duplicate."""
    v4 = uuid.uuid4()
    event = plant.event(0, 0, event_id=v4)
    assert plant.post([event])["accepted"] == 1
    assert plant.post([event])["duplicates"] == 1
    with plant.session() as s:
        row = s.scalars(select(ScanEvent)).one()
        assert row.origin_id == v4
        assert row.key != v4
        assert row.key.int >> 80 == int(T0.timestamp() * 1000)


def test_bad_events_are_rejected_by_index_and_the_good_ones_kept(plant: Plant) -> None:
    """Each malformed field is named; the batch's good events are stored."""
    good = plant.event(0, 0)
    bad: list[Any] = [
        "not an object",
        plant.event(1, 0) | {"id": "12345"},
        plant.event(1, 0) | {"ts": "2026-03-02T09:15:00"},
        plant.event(1, 0) | {"qty": 0},
        plant.event(1, 0) | {"qty": True},
        plant.event(1, 0) | {"kind": "finished"},
        plant.event(1, 0) | {"operator": ""},
        plant.event(1, 0) | {"ts": (T0 + timedelta(days=3650)).isoformat()},
    ]
    answer = plant.post([good, *bad])
    assert answer["accepted"] == 1
    errors = {r["index"]: r["error"].split(":")[0] for r in answer["rejected"]}
    assert errors == {
        1: "event",
        2: "id",
        3: "ts",
        4: "qty",
        5: "qty",
        6: "kind",
        7: "operator",
        8: "ts",
    }
    with plant.session() as s:
        assert s.scalar(select(OpCount.done_qty)) == 20


def test_a_forged_or_altered_coupon_is_rejected(plant: Plant) -> None:
    """Changing the bundle or operation of a signed coupon breaks its signature."""
    altered_bundle = plant.event(0, 0) | {"bundle": plant.sample.bundles[1][0]}
    altered_op = plant.event(0, 0) | {"operation": plant.sample.operations[1]}
    forged = plant.event(0, 0) | {"sig": "A" * 20}
    answer = plant.post([altered_bundle, altered_op, forged])
    assert answer["accepted"] == 0
    assert [r["index"] for r in answer["rejected"]] == [0, 1, 2]
    assert all(r["error"].startswith("sig:") for r in answer["rejected"])


def _reasons(plant: Plant) -> list[str]:
    with plant.session() as s:
        return sorted(s.scalars(select(Quarantined.reason)))


@BOTH
def test_unresolvable_events_go_to_quarantine_with_their_reason(plant: Plant) -> None:
    """Genuine coupons that cannot be applied are stored, counted as accepted, and kept aside."""
    sample = plant.sample
    foreign_op = 999_999  # validly signed, but no such routing operation
    batch = [
        plant.event(0, 0, bundle=99_999),  # signed for a bundle that does not exist
        plant.event(0, 0, operation=foreign_op),
        plant.event(0, 0, operator="NOBODY"),
        plant.event(0, 0, qty=sample.bundles[0][1] + 1),
        plant.event(1, 0),
        plant.event(1, 0, ts=T0 + timedelta(minutes=5)),  # the same coupon scanned twice
    ]
    answer = plant.post(batch)
    assert answer == {"accepted": 6, "duplicates": 0, "quarantined": 5, "rejected": []}
    assert _reasons(plant) == [
        "done_twice",
        "qty_exceeds_bundle",
        "unknown_bundle",
        "unknown_operation",
        "unknown_operator",
    ]
    # across batches too: scanning bundle 1's first coupon again is a double
    assert plant.post([plant.event(1, 0, ts=T0 + timedelta(hours=1))])["quarantined"] == 1
    with plant.session() as s:
        assert s.scalar(select(OpCount.done_qty)) == 20  # only the first scan of bundle 1 counts
        statuses = sorted(s.scalars(select(ScanEvent.status)))
        assert statuses == ["applied"] + ["quarantined"] * 6


def test_rework_and_defects_may_repeat_on_a_coupon(plant: Plant) -> None:
    """Only "done" is once per bundle and operation."""
    batch = [
        plant.event(0, 0, kind="rework", qty=1, ts=T0 + timedelta(seconds=i)) for i in range(3)
    ]
    assert plant.post(batch)["quarantined"] == 0
    with plant.session() as s:
        assert s.scalar(select(OpCount.rework_qty)) == 3
