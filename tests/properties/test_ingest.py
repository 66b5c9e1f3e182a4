"""Ingest idempotency on generated batches (decision 0009): resends never change the figures.

A batch mixes v4 and v7 ids, exact duplicates, any order, and bad rows (malformed events, forged
signatures); some good events are quarantined (unknown operator or bundle, a quantity over the
bundle's, a coupon done twice). Applying the batch and then any re-sends of parts of it must
leave exactly the figures, stored events and quarantine that applying the de-duplicated good
events once leaves, and the counters must agree with a rebuild from the events.

Each example runs in transactions that are rolled back, so every example starts from the same
seeded factory (one organisation for the whole test) and the examples cost no clean-up.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine import keys, tickets
from loom.modules.shopfloor.models import Quarantined, ScanEvent
from loom.modules.shopfloor.service import rebuild
from loom.modules.shopfloor.service.counters import SPECS
from loom.modules.shopfloor.service.ingest import IngestResult, ingest_batch
from loom.testing.factory import Factory
from tests.modules.shopfloor.ingest.support import T0, Plant, make_plant

#: the deterministic profile registered in conftest.py
PROFILE = settings.get_profile("loom-properties")

Event = dict[str, Any]

#: examples need a database state each; few and small keeps the test within seconds
EXAMPLES = 40
PG_EXAMPLES = 15


@dataclass(frozen=True)
class Draft:
    """One well-formed, correctly signed event before it is written as a device sends it."""

    version: int  # 4 or 7
    id_bits: int
    minutes: int  # after T0
    bundle: int  # index into the sample's bundles; len(bundles) = a bundle nobody cut
    operation: int  # index into the routing
    operator: int  # index into the line's operators; -1 = a badge nobody holds
    kind: str
    qty: int | None  # None = the bundle's quantity; else this many (may exceed it)


drafts = st.builds(
    Draft,
    version=st.sampled_from((4, 7)),
    id_bits=st.integers(0, 2**80 - 1),
    minutes=st.integers(0, 600),
    # few bundles and operations, so coupons are often scanned twice ("done" twice)
    bundle=st.integers(0, 3),
    operation=st.integers(0, 3),
    operator=st.integers(-1, 2),
    kind=st.sampled_from(("done", "done", "rework", "defect")),
    qty=st.one_of(st.none(), st.integers(1, 25)),
)


def device_event(plant: Plant, draft: Draft) -> Event:
    """Return the draft as the JSON object a scanner sends, signed for its coupon."""
    ts = T0 + timedelta(minutes=draft.minutes)
    sample = plant.sample
    if draft.bundle < len(sample.bundles):
        number, bundle_qty, _ = sample.bundles[draft.bundle]
    else:
        number, bundle_qty = 999_999, 20  # signed correctly, but no bundle has this number
    line = sample.operators[sample.lines[0]]
    rand = draft.id_bits.to_bytes(10, "big")
    event_id = (
        keys.uuid7(ts, rand) if draft.version == 7 else uuid.UUID(bytes=rand + rand[:6], version=4)
    )
    operation = sample.operations[draft.operation]
    return {
        "id": str(event_id),
        "ts": ts.isoformat(),
        "device": "scanner-1",
        "operator": line[draft.operator] if draft.operator >= 0 else "NOBODY",
        "bundle": number,
        "operation": operation,
        "qty": bundle_qty if draft.qty is None else draft.qty,
        "kind": draft.kind,
        "sig": tickets.sign(plant.key, plant.org.id, number, operation),
    }


def _key(event: Event) -> uuid.UUID:
    return keys.storage_key(uuid.UUID(event["id"]), datetime.fromisoformat(event["ts"]))


def bad_row(plant: Plant, good: Event, flaw: int) -> object:
    """Return a row ingest must refuse: malformed in one field, forged, or not an object."""
    row = dict(good)
    if flaw == 0:
        del row["ts"]
    elif flaw == 1:
        row["id"] = row["id"].replace("-", "")  # not the canonical 8-4-4-4-12 form
    elif flaw == 2:
        row["kind"] = "finished"
    elif flaw == 3:
        row["qty"] = 0
    elif flaw == 4:
        # a coupon signed for the next operation: the signature does not match
        row["sig"] = tickets.sign(plant.key, plant.org.id, row["bundle"], row["operation"] + 1)
    else:
        return ["not", "an", "object"]
    return row


@dataclass(frozen=True)
class Case:
    """A batch, the re-sends that follow it, and what the batch holds."""

    unique: list[Event]  # good events, one per id
    batch: list[object]
    resends: list[list[object]]
    bad: int  # rows of the batch that must be refused


@st.composite
def cases(draw: st.DrawFn, plant: Plant) -> Case:
    """Return a batch of unique events, exact duplicates and bad rows, shuffled, and re-sends."""
    found = draw(st.lists(drafts, min_size=1, max_size=14, unique_by=lambda d: d.id_bits))
    unique = [device_event(plant, d) for d in found]
    # ids keep 74 of the drawn bits (and a v4 id is stored under a key derived from its ts), so
    # two drafts may share a storage key: keep one event per key, as a device would
    unique = list({_key(e): e for e in unique}.values())
    copies = draw(st.lists(st.sampled_from(unique), max_size=6))
    flaws = draw(st.lists(st.tuples(st.sampled_from(unique), st.integers(0, 5)), max_size=4))
    bad = [bad_row(plant, good, flaw) for good, flaw in flaws]
    batch: list[object] = [*unique, *copies, *bad]
    random.Random(draw(st.integers(0, 2**32))).shuffle(batch)
    resends = draw(st.lists(st.lists(st.sampled_from(batch), min_size=1, max_size=10), max_size=3))
    return Case(unique, batch, resends, len(bad))


@contextmanager
def rolled_back(plant: Plant) -> Iterator[tuple[Session, Scope]]:
    """Yield a session bound to the plant's scope; everything it did is rolled back after."""
    session = plant.app.state.loom.session_factory()
    scope = system_scope(plant.org.id, plant.org.kind, "test")
    bind_scope(session, scope)
    try:
        yield session, scope
    finally:
        session.rollback()
        session.close()


def ingest(session: Session, scope: Scope, plant: Plant, items: list[object]) -> IngestResult:
    """Ingest a batch through the service layer, as the HTTP route and MQTT worker do."""
    secret = plant.app.state.loom.settings.secret_key
    return ingest_batch(session, scope, items, secret_key=secret)


def state(session: Session, org_id: int) -> dict[str, Any]:
    """Return every figure, the stored events' statuses and the quarantined event keys."""
    figures = rebuild.from_counters(session, org_id)
    out: dict[str, Any] = {
        name: {k: v for k, v in getattr(figures, name).items() if any(v)} for name, *_ in SPECS
    }
    out["events"] = sorted(
        (str(k), status)
        for k, status in session.execute(
            select(ScanEvent.key, ScanEvent.status).where(ScanEvent.org_id == org_id)
        )
    )
    out["quarantine"] = sorted(
        (str(k), reason)
        for k, reason in session.execute(
            select(Quarantined.event_key, Quarantined.reason).where(Quarantined.org_id == org_id)
        )
    )
    return out


def _is_good(item: object, unique: list[Event]) -> bool:
    return any(item is event for event in unique)


@pytest.fixture
def plant(factory: Factory) -> Plant:
    """One seeded sample factory for every example of a test."""
    return make_plant(factory, "prop", operators_per_line=3, bundles_per_order=4)


def check_idempotent(plant: Plant, case: Case) -> None:
    """Apply the unique events once, then the batch and its re-sends; compare everything."""
    org = plant.org.id
    with rolled_back(plant) as (session, scope):
        empty = state(session, org)
        once = ingest(session, scope, plant, list(case.unique))
        expected = state(session, org)
    assert (once.accepted, once.duplicates, once.rejected) == (len(case.unique), 0, [])
    with rolled_back(plant) as (session, scope):
        assert state(session, org) == empty  # the first run was rolled back
        first = ingest(session, scope, plant, case.batch)
        # every row is accounted for once: stored (applied or quarantined), duplicate, refused
        assert first.accepted + first.duplicates + len(first.rejected) == len(case.batch)
        assert first.accepted == len(case.unique)
        assert len(first.rejected) == case.bad
        assert first.quarantined == once.quarantined
        event(f"quarantined: {'some' if first.quarantined else 'none'}")
        event(f"resent rows: {'some' if case.resends else 'none'}")
        for resend in case.resends:
            again = ingest(session, scope, plant, resend)
            good = sum(_is_good(item, case.unique) for item in resend)
            assert again.accepted == again.quarantined == 0
            assert again.duplicates == good
            assert len(again.rejected) == len(resend) - good
        assert state(session, org) == expected
        assert rebuild.check(session, org).differences == []
        applied = session.scalar(
            select(func.count()).where(ScanEvent.org_id == org, ScanEvent.status == "applied")
        )
        assert applied == first.accepted - first.quarantined


@settings(
    PROFILE,
    max_examples=EXAMPLES,
    suppress_health_check=[*PROFILE.suppress_health_check, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_resends_leave_the_figures_of_the_deduplicated_batch(
    plant: Plant, data: st.DataObject
) -> None:
    """Batch + re-sends = the unique good events applied once; counters agree with a rebuild."""
    check_idempotent(plant, data.draw(cases(plant)))


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
@settings(
    PROFILE,
    max_examples=PG_EXAMPLES,
    suppress_health_check=[*PROFILE.suppress_health_check, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_resends_leave_the_figures_on_postgresql(plant: Plant, data: st.DataObject) -> None:
    """The same on PostgreSQL, whose hot path differs (COPY, savepoints, lateral lookups)."""
    check_idempotent(plant, data.draw(cases(plant)))
