"""Group commit: batches stored together get their own counts, and a bad one fails alone."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from loom.kernel.authz.guard import system_scope
from loom.modules.shopfloor.models import ScanEvent
from loom.modules.shopfloor.service import ingest_group, rebuild
from loom.modules.shopfloor.service.ingest import IngestResult, Prepared, prepare, store_many
from loom.modules.shopfloor.service.ingest_group import GroupWriter
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends

from .support import T0, Plant, make_plant


def _batch(plant: Plant, secret: str, bundles: range, **changes: Any) -> Prepared:
    """Prepare "done" scans of the first operation of each bundle, a minute apart."""
    events = [plant.event(b, 0, ts=T0 + timedelta(minutes=b), **changes) for b in bundles]
    return prepare(events, plant.org.id, secret_key=secret)


def _stored(plant: Plant) -> int:
    with plant.session() as s:
        return int(s.execute(select(func.count()).select_from(ScanEvent)).scalar_one())


@both_backends
def test_batches_stored_together_keep_their_own_counts(factory: Factory) -> None:
    """Two batches sharing one event: the later one counts it as a duplicate, as if sent after.

    Batch A scans bundles 0-2, batch B bundles 2-4 with bundle 2's event identical (same id),
    plus bundle 5 by an unknown badge, which is stored and quarantined. So A: 3 accepted;
    B: 3 accepted (3, 4 and the stranger), 1 duplicate, 1 quarantined. The counters then agree
    with a rebuild from the stored events.
    """
    plant = make_plant(factory)
    secret = factory.runtime.settings.secret_key
    first = _batch(plant, secret, range(3))
    shared = next(iter(first.fresh.values()))[1]
    events = [plant.event(b, 0, ts=T0 + timedelta(minutes=b)) for b in range(3, 5)]
    events.append(plant.event(5, 0, ts=T0 + timedelta(minutes=5), operator="NOBODY"))
    second = prepare(events, plant.org.id, secret_key=secret)
    second.fresh[shared.key] = (9, shared)  # the same event, resent in the other batch
    with plant.session() as s:
        a, b = store_many(s, [first, second])
    assert (a.accepted, a.duplicates, a.quarantined) == (3, 0, 0)
    assert (b.accepted, b.duplicates, b.quarantined) == (3, 1, 1)
    assert _stored(plant) == 6
    with plant.session() as s:
        report = rebuild.check(s, plant.org.id)
    assert report.differences == []
    assert report.events == 5  # applied ones: the stranger's is quarantined


def test_batches_of_two_factories_are_never_stored_together(factory: Factory) -> None:
    """The rows of a group are checked against one organisation: mixing two is refused."""
    one = make_plant(factory, "one")
    two = make_plant(factory, "two")
    secret = factory.runtime.settings.secret_key
    with one.session() as s, pytest.raises(ValueError, match="one organisation"):
        store_many(s, [_batch(one, secret, range(2)), _batch(two, secret, range(2))])


def _three(factory: Factory) -> tuple[Plant, list[Prepared]]:
    """Seed a plant and prepare three batches of four scans (bundles 0-3, 4-7, 8-11)."""
    plant = make_plant(factory)
    secret = factory.runtime.settings.secret_key
    return plant, [_batch(plant, secret, range(k * 4, k * 4 + 4)) for k in range(3)]


def _writer_run(
    plant: Plant, batches: list[Prepared], monkeypatch: pytest.MonkeyPatch, poison: Prepared | None
) -> tuple[list[int], list[IngestResult | BaseException]]:
    """Submit the batches at once to a fresh writer; return the group sizes and the answers."""
    sizes: list[int] = []
    real = ingest_group.store_group

    def recording(session: Any, group: Any) -> list[IngestResult]:
        sizes.append(len(group))
        if poison is not None and any(p is poison for p in group):
            raise RuntimeError("this batch cannot be stored")
        return real(session, group)

    monkeypatch.setattr(ingest_group, "store_group", recording)
    scope = system_scope(plant.org.id, plant.org.kind, "test")
    writer = GroupWriter(plant.app.state.loom.session_factory)

    async def run() -> list[IngestResult | BaseException]:
        return await asyncio.gather(
            *(writer.submit(scope, p) for p in batches), return_exceptions=True
        )

    return sizes, asyncio.run(run())


@both_backends
def test_the_writer_stores_what_gathered_in_one_transaction(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three batches submitted together are written as one group; each gets its own answer."""
    plant, batches = _three(factory)
    sizes, answers = _writer_run(plant, batches, monkeypatch, None)
    assert sizes == [3]
    assert [(r.accepted, r.duplicates) for r in answers if isinstance(r, IngestResult)] == [
        (4, 0),
        (4, 0),
        (4, 0),
    ]
    assert _stored(plant) == 12


@both_backends
def test_a_batch_that_cannot_be_stored_fails_alone(
    factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The group fails, is written again batch by batch: two commit, the third's request fails."""
    plant, batches = _three(factory)
    sizes, answers = _writer_run(plant, batches, monkeypatch, batches[1])
    assert sizes == [3, 1, 1, 1]
    assert isinstance(answers[0], IngestResult)
    assert answers[0].accepted == 4
    assert isinstance(answers[1], RuntimeError)
    assert isinstance(answers[2], IngestResult)
    assert answers[2].accepted == 4
    # nothing of the failed group, nothing of the poisoned batch: bundles 0-3 and 8-11 only
    assert _stored(plant) == 8
