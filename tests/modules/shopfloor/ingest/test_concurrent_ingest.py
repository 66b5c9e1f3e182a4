"""Concurrent batches on PostgreSQL: workers touching the same counters queue, never fail."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.modules.shopfloor.models import OpCount
from loom.modules.shopfloor.service import rebuild
from loom.modules.shopfloor.service.ingest import ingest_batch
from loom.testing.factory import Factory

from .support import T0, make_plant


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_two_workers_in_opposite_orders_both_commit(factory: Factory) -> None:
    """Batches updating the same counter rows in opposite orders all commit, counted once each.

    The ingest benchmark saw PostgreSQL abort one of two concurrent batches with a deadlock
    when counters were written in the order a batch first touched them; they are now written in
    key order (and a lost race is run again). This test drives that situation from two threads;
    the race window is narrow, so it guards the outcome rather than reproducing every deadlock.
    """
    plant = make_plant(factory, lines=1, bundles_per_order=80)
    sample = plant.sample
    secret = factory.runtime.settings.secret_key
    errors: list[BaseException] = []

    steps = len(sample.operations)

    def batches(first: int, reverse: bool) -> list[list[dict[str, object]]]:
        # ingest applies a batch in time order: one thread's operations (and hours) run
        # forwards in time, the other's backwards, so their counter rows come in opposite orders
        out = []
        for b in range(first, first + 40, 4):
            out.append(
                [
                    plant.event(
                        b + k,
                        o,
                        ts=T0 + timedelta(hours=(steps - 1 - o) if reverse else o, seconds=b + k),
                    )
                    for k in range(4)
                    for o in range(steps)
                ]
            )
        return out

    def worker(first: int, reverse: bool) -> None:
        try:
            for batch in batches(first, reverse):
                with session_scope(factory.runtime.session_factory) as session:
                    scope = system_scope(plant.org.id, plant.org.kind, "test")
                    bind_scope(session, scope)
                    assert ingest_batch(session, scope, batch, secret_key=secret).accepted == 36
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=worker, args=(0, False)),
        threading.Thread(target=worker, args=(40, True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    with plant.session() as s:
        # 80 bundles of 20 pieces through each of the nine operations
        assert sorted(set(s.scalars(select(OpCount.done_qty)))) == [1600]
        assert rebuild.check(s, plant.org.id).differences == []
