"""Ingest bets that a batch is new: no key or "done" lookup unless the insert proves otherwise."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select

from loom.modules.shopfloor.models import Quarantined, ScanEvent
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.ingest.support import Plant, make_plant


def _post_watching(plant: Plant, events: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """Post a batch; return the answer and the statements that read the event table."""
    seen: list[str] = []
    engine = plant.app.state.loom.engine

    def listener(*args: Any) -> None:
        statement = " ".join(args[2].split())
        # rows of the table, not its catalogue entry (PostgreSQL's COPY reads column types)
        if "FROM shopfloor_event " in statement or "JOIN shopfloor_event " in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        answer = plant.post(events)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return answer, seen


@both_backends
def test_a_new_batch_is_stored_without_looking_anything_up(factory: Factory) -> None:
    plant = make_plant(factory, bundles_per_order=4)
    events = [plant.event(b, o) for b in range(4) for o in range(2)]
    answer, reads = _post_watching(plant, events)
    assert (answer["accepted"], answer["duplicates"], answer["rejected"]) == (8, 0, [])
    assert reads == []


@both_backends
def test_a_resent_batch_falls_back_to_looking_up_and_counts_duplicates(factory: Factory) -> None:
    plant = make_plant(factory, bundles_per_order=4)
    first = [plant.event(b, 0) for b in range(3)]
    assert plant.post(first)["accepted"] == 3
    # two of the three again, with one new event: the insert fails on the stored keys, the
    # careful attempt finds them, and only the new one is stored
    answer, reads = _post_watching(plant, [*first[:2], plant.event(3, 0)])
    assert (answer["accepted"], answer["duplicates"], answer["quarantined"]) == (1, 2, 0)
    assert any("key" in statement for statement in reads), reads
    with plant.session() as session:
        stored = session.scalar(select(func.count()).select_from(ScanEvent))
    assert stored == 4


@both_backends
def test_a_second_done_in_a_later_batch_is_quarantined_after_the_fallback(
    factory: Factory,
) -> None:
    plant = make_plant(factory, bundles_per_order=4)
    assert plant.post([plant.event(0, 0)])["accepted"] == 1
    # a new event id for the same coupon: its "done" breaks the unique index of applied
    # "done"s on the first attempt; the careful attempt stores it as quarantined, done_twice
    again, other = plant.event(0, 0), plant.event(1, 0)
    answer, _reads = _post_watching(plant, [again, other])
    assert (answer["accepted"], answer["duplicates"], answer["quarantined"]) == (2, 0, 1)
    with plant.session() as session:
        reasons = list(session.scalars(select(Quarantined.reason)))
    assert reasons == ["done_twice"]
