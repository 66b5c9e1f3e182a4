"""The PostgreSQL "done" lookup probes the partial index per pair, whatever the statistics say."""

from __future__ import annotations

import pytest

from loom.modules.shopfloor.service.eventstore import _PG_DONE
from loom.testing.factory import Factory

from .support import make_plant


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_done_lookup_never_reads_every_applied_done(factory: Factory) -> None:
    """With no statistics on the event table the plan is still one index probe per pair.

    A plain join of the pairs with the table was planned as a hash join over every applied
    "done" of the organisation (PostgreSQL estimated one such row before the first ANALYZE),
    so each batch's lookup grew with the table (docs/decisions/0009, addendum).
    """
    plant = make_plant(factory, lines=1, bundles_per_order=4)
    events = [plant.event(b, o) for b in range(4) for o in range(3)]
    assert plant.post(events)["accepted"] == 12
    with plant.session() as s:
        connection = s.connection()
        plan = "\n".join(
            row[0]
            for row in connection.exec_driver_sql(
                f"EXPLAIN {_PG_DONE}", ([1, 2, 3], [4, 5, 6], plant.org.id)
            )
        )
    assert "Nested Loop" in plan
    assert "ux_shopfloor_event_done" in plan
    assert "Hash Join" not in plan
    assert "Seq Scan on shopfloor_event" not in plan
