"""Races on PostgreSQL: a key or a "done" stored by another transaction while a batch is written.

Ingest writes events with a binary COPY, which has no conflict clause: a transaction that stores
one of the batch's keys (or the same coupon's "done") first makes the COPY wait for its commit
and then fail on the unique index. Ingest must then run the batch again and count the event as a
duplicate (or quarantine the second "done"), never fail and never apply anything twice.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.modules.shopfloor.models import OpCount, Quarantined, ScanEvent
from loom.modules.shopfloor.service import rebuild
from loom.modules.shopfloor.service.ingest import IngestResult, ingest_batch
from loom.testing.factory import Factory

from .support import T0, Plant, make_plant

POSTGRES_ONLY = pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
#: how long the second writer may take to reach its lock wait (a bound, not a measurement)
LOCK_WAIT_LIMIT = 60.0


def _race(factory: Factory, plant: Plant, first: list[Any], second: list[Any]) -> IngestResult:
    """Ingest ``first`` in an open transaction, ``second`` in a thread, then commit the first.

    The thread's COPY waits on the first transaction's uncommitted index entries; this waits
    until PostgreSQL reports that lock wait, so the retry path is taken for certain.
    """
    secret = factory.runtime.settings.secret_key
    scope = system_scope(plant.org.id, plant.org.kind, "test")
    outcome: dict[str, Any] = {}

    def second_writer() -> None:
        try:
            with session_scope(factory.runtime.session_factory) as session:
                bind_scope(session, scope)
                outcome["result"] = ingest_batch(session, scope, second, secret_key=secret)
        except BaseException as exc:
            outcome["error"] = exc

    engine = factory.runtime.engine
    with session_scope(factory.runtime.session_factory) as session:
        bind_scope(session, scope)
        assert ingest_batch(session, scope, first, secret_key=secret).accepted == len(first)
        thread = threading.Thread(target=second_writer)
        thread.start()
        waited = threading.Event()
        for _ in range(int(LOCK_WAIT_LIMIT * 20)):
            with engine.connect() as probe:
                blocked = probe.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND query LIKE 'COPY shopfloor_event%'"
                    )
                ).scalar_one()
            if blocked:
                break
            waited.wait(0.05)
        assert blocked == 1, "the second writer never waited on the first one's rows"
        # leaving the block commits the first transaction and releases the second writer
    thread.join(LOCK_WAIT_LIMIT)
    assert "error" not in outcome, outcome.get("error")
    result: IngestResult = outcome["result"]
    return result


@POSTGRES_ONLY
def test_a_key_stored_meanwhile_counts_as_a_duplicate(factory: Factory) -> None:
    """The same batch sent to two workers at once is applied once and counted once as resent."""
    plant = make_plant(factory, lines=1, bundles_per_order=4)
    batch = [plant.event(b, 0, ts=T0 + timedelta(minutes=b)) for b in range(3)]
    result = _race(factory, plant, batch, batch)
    # the second worker found all three keys stored by the first after its retry
    assert (result.accepted, result.duplicates, result.quarantined) == (0, 3, 0)
    with plant.session() as s:
        # stored once: three rows, not six
        assert len(s.scalars(select(ScanEvent.key)).all()) == 3
        # three bundles of the sample's pieces each, done once at the first operation
        pieces = sum(plant.sample.bundles[b][1] for b in range(3))
        assert sum(s.scalars(select(OpCount.done_qty))) == pieces
        assert rebuild.check(s, plant.org.id).differences == []


@POSTGRES_ONLY
def test_a_done_applied_meanwhile_quarantines_the_second_scan(factory: Factory) -> None:
    """Two scans of one coupon's "done" in racing batches: one applied, one done_twice."""
    plant = make_plant(factory, lines=1, bundles_per_order=4)
    first = [plant.event(0, 0)]
    # a different event (new id, a minute later) scanning the same coupon
    second = [plant.event(0, 0, ts=T0 + timedelta(minutes=1))]
    result = _race(factory, plant, first, second)
    assert (result.accepted, result.duplicates, result.quarantined) == (1, 0, 1)
    with plant.session() as s:
        reasons = list(s.scalars(select(Quarantined.reason)))
        assert reasons == ["done_twice"]
        # bundle 0's pieces once, not twice
        assert sum(s.scalars(select(OpCount.done_qty))) == plant.sample.bundles[0][1]
        assert rebuild.check(s, plant.org.id).differences == []
