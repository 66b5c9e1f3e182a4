"""A device's event stream for the fault tests: a seeded plant, its batches, and a sending client.

Every (bundle, operation) pair of the plant is scanned "done" exactly once, plus some rework and
defect scans, so with nothing lost and nothing counted twice every event is applied and the
figures follow from the events as sent.
"""

from __future__ import annotations

import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import orjson
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.modules.shopfloor.engine import keys
from loom.modules.shopfloor.engine.events import event_dict
from loom.modules.shopfloor.engine.tickets import ticket_key
from loom.modules.shopfloor.models import OpCount, OperatorDay, ScanEvent
from loom.modules.shopfloor.service import rebuild
from loom.modules.shopfloor.service.sample import SampleFactory, seed_sample_factory
from loom.settings import Settings
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import LoomCli

EVENTS = "/api/v1/shopfloor/events"
#: 2026-03-02 09:15 Beijing time; two seconds per scan spread the stream over about 17 hours,
#: so it fills many line and operator hours and two local days
T0 = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)
STEP = timedelta(seconds=2)
#: the sample factory's piece rates in CNY ten-thousandths, in routing order T10..T90
#: (service/sample.py: 0.08, 0.16, 0.11, 0.20, 0.17, 0.12, 0.12, 0.06, 0.09)
RATES_E4 = (800, 1600, 1100, 2000, 1700, 1200, 1200, 600, 900)


@dataclass(frozen=True)
class Plant:
    """A seeded sample factory, a device token for it, and its coupon-signing key."""

    org: OrgRef
    sample: SampleFactory
    token: str
    key: bytes


def seed_plant(factory: Factory, *, lines: int, bundles_per_order: int) -> Plant:
    """Seed the sample factory for a new enterprise and issue a device token."""
    org = factory.org("fault-plant", OrgKind.ENTERPRISE)
    with session_scope(factory.runtime.session_factory) as session:
        scope = system_scope(org.id, org.kind, "test")
        bind_scope(session, scope)
        sample = seed_sample_factory(
            session, scope, prefix="FP", lines=lines, bundles_per_order=bundles_per_order
        )
    token = factory.token(org, ["shopfloor.event.write"], kind="device")
    key = ticket_key(factory.runtime.settings.secret_key, org.id)
    return Plant(org, sample, token, key)


def make_events(plant: Plant, extra: int, seed: int) -> list[dict[str, Any]]:
    """Return one "done" per bundle and operation plus ``extra`` rework/defect scans, in time order.

    Ids are UUIDv7 drawn from a seeded generator, so a run is reproducible.
    """
    rng = random.Random(seed)
    sample = plant.sample
    line_of_order = dict(zip(sample.orders, sample.lines, strict=True))
    scans: list[tuple[str, int, int, int, int]] = []  # kind, bundle, operation, qty, order
    for number, bundle_qty, order in sample.bundles:
        for operation in sample.operations:
            scans.append(("done", number, operation, rng.randint(1, bundle_qty), order))
    for n in range(extra):
        number, _qty, order = rng.choice(sample.bundles)
        kind = "rework" if n % 2 else "defect"
        scans.append((kind, number, rng.choice(sample.operations), rng.randint(1, 3), order))
    rng.shuffle(scans)
    events = []
    for index, (kind, number, operation, qty, order) in enumerate(scans):
        ts = T0 + index * STEP
        operator = rng.choice(sample.operators[line_of_order[order]])
        event_id = keys.uuid7(ts, rand=rng.randbytes(10))
        events.append(
            event_dict(
                plant.key,
                plant.org.id,
                bundle=number,
                operation=operation,
                operator=operator,
                ts=ts,
                qty=qty,
                kind=kind,
                event_id=event_id,
            )
        )
    return events


def totals(events: list[dict[str, Any]], operations: list[int]) -> Counter[str]:
    """Return the pieces per kind, and the pay in e4, that ``events`` add when each counts once.

    ``operations`` is the sample's routing order, the order of RATES_E4.
    """
    rate = dict(zip(operations, RATES_E4, strict=True))
    out: Counter[str] = Counter()
    for event in events:
        out[event["kind"]] += event["qty"]
        if event["kind"] == "done":
            out["pay_e4"] += event["qty"] * rate[event["operation"]]
    return out


@dataclass
class Ledger:
    """What the client knows: which batches were acknowledged, and every answer it got."""

    acked: set[int] = field(default_factory=set)
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def total(self, name: str) -> int:
        """Return the sum of one answer field over every acknowledgement."""
        return sum(int(answer[name]) for _index, answer in self.answers)

    def events_acked(self, batches: list[list[dict[str, Any]]]) -> int:
        """Return the events of every acknowledged request, resends included."""
        return sum(len(batches[index]) for index, _answer in self.answers)


def send(
    base_url: str,
    token: str,
    batches: list[list[dict[str, Any]]],
    order: list[int],
    ledger: Ledger,
) -> int | None:
    """Post the batches in ``order``; return the one in flight when the connection broke."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # a generous timeout: a stalled request ends when its server is killed, not by timing out
    with httpx2.Client(base_url=base_url, headers=headers, timeout=120.0) as client:
        for index in order:
            try:
                response = client.post(EVENTS, content=orjson.dumps(batches[index]))
            except httpx2.TransportError:
                return index
            if response.status_code != 200:
                raise AssertionError(f"batch {index}: {response.status_code} {response.text}")
            ledger.acked.add(index)
            ledger.answers.append((index, response.json()))
    return None


def assert_counted_once(
    session_factory: sessionmaker[Session], plant: Plant, events: list[dict[str, Any]]
) -> None:
    """Every id sent is stored once and nothing else; the counters equal the events and a rebuild.

    Each (bundle, operation) is done once in the stream, so every event is applied.
    """
    expected = totals(events, plant.sample.operations)
    done_per_operation: Counter[int] = Counter()
    for event in events:
        if event["kind"] == "done":
            done_per_operation[event["operation"]] += event["qty"]
    org = plant.org
    with session_scope(session_factory) as session:
        bind_scope(session, system_scope(org.id, org.kind, "test"))
        keys = Counter(session.scalars(select(ScanEvent.key).where(ScanEvent.org_id == org.id)))
        statuses = dict(
            session.execute(
                select(ScanEvent.status, func.count())
                .where(ScanEvent.org_id == org.id)
                .group_by(ScanEvent.status)
            ).all()
        )
        counted = session.execute(
            select(
                func.sum(OpCount.done_qty),
                func.sum(OpCount.rework_qty),
                func.sum(OpCount.defect_qty),
            ).where(OpCount.org_id == org.id)
        ).one()
        per_operation = dict(
            session.execute(
                select(OpCount.operation_id, func.sum(OpCount.done_qty))
                .where(OpCount.org_id == org.id)
                .group_by(OpCount.operation_id)
            ).all()
        )
        pay = session.scalar(
            select(func.sum(OperatorDay.earnings_e4)).where(OperatorDay.org_id == org.id)
        )
        report = rebuild.check(session, org.id)
    assert set(keys) == {uuid.UUID(e["id"]) for e in events}  # v7 ids are their storage keys
    assert set(keys.values()) == {1}
    assert statuses == {"applied": len(events)}
    assert tuple(int(v) for v in counted) == (
        expected["done"],
        expected["rework"],
        expected["defect"],
    )
    assert {op: int(qty) for op, qty in per_operation.items()} == dict(done_per_operation)
    assert int(pay or 0) == expected["pay_e4"]
    assert report.events == len(events)
    assert report.differences == []


def assert_audit_intact(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``loom audit verify`` on the settings' database: it must pass and check something."""
    cli = LoomCli(settings, monkeypatch)
    try:
        result = cli("audit", "verify")
    finally:
        cli.close()
    assert result.exit_code == 0, result.output
    found = re.search(r"audit log intact: (\d+) records verified", result.output)
    # seeding the plant and issuing its device token are audited: the chain is not empty
    assert found is not None, result.output
    assert int(found.group(1)) > 0, result.output
