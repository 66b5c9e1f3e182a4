"""PostgreSQL's ingest lookups probe their index per item, whatever the statistics say."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from loom.modules.shopfloor.service.eventstore import _PG_DONE
from loom.modules.shopfloor.service.resolve import _PG_BUNDLES
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


_STATISTICS = ("none", "stale", "analyzed")


def _forget_statistics(connection: Connection, tables: tuple[str, ...]) -> None:
    """Make the tables look never analyzed, as a fresh database's are (needs a superuser)."""
    # The test database outlives each test and earlier tests ANALYZE it, so "no statistics"
    # must be made; a server account that may not do so leaves whatever statistics it finds.
    if not connection.exec_driver_sql(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    ).scalar():
        return
    for table in tables:
        connection.exec_driver_sql(f"DELETE FROM pg_statistic WHERE starelid = '{table}'::regclass")
        connection.exec_driver_sql(
            f"UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid = '{table}'::regclass"
        )


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
@pytest.mark.parametrize("statistics", _STATISTICS)
def test_bundle_lookup_probes_the_number_index_whatever_the_statistics(
    factory: Factory, statistics: str
) -> None:
    """Never analyzed, analyzed stale or fresh, the lookup probes (org_id, number) per number.

    As a join filtered by ``number = ANY(…)`` it was planned, before the first ANALYZE, as a
    scan of every bundle of the organisation, once per batch (7 of PostgreSQL's 35 CPU-ms per
    1,000 events, measured). With statistics gathered while another organisation's few bundles
    filled the table, the per-number probe went through the single-column org_id index and
    filtered the organisation's bundles by number (a CI run; migration shopfloor_0005 leaves
    no other index leading with org_id). A factory's bundles fill many pages, as they do here.
    """
    tables = ("shopfloor_bundle", "shopfloor_order")
    engine = factory.app.state.loom.engine
    if statistics == "stale":
        make_plant(factory, "early", lines=1, bundles_per_order=4)
        with engine.begin() as connection:
            for table in tables:
                connection.exec_driver_sql(f"ANALYZE {table}")
    plant = make_plant(factory, lines=1, bundles_per_order=1_500)
    numbers = "{" + ",".join(str(n) for n, _, _ in plant.sample.bundles[:5]) + "}"
    with engine.begin() as connection:
        if statistics == "none":
            _forget_statistics(connection, tables)
        elif statistics == "analyzed":
            for table in tables:
                connection.exec_driver_sql(f"ANALYZE {table}")
    with plant.session() as s:
        connection = s.connection()
        explained = connection.execute(
            text(f"EXPLAIN {_PG_BUNDLES.text}"), {"org": plant.org.id, "numbers": numbers}
        )
        plan = "\n".join(row[0] for row in explained)
        found = connection.execute(_PG_BUNDLES, {"org": plant.org.id, "numbers": numbers}).all()
    assert "Index Scan using uq_shopfloor_bundle_org_id_number" in plan, plan
    assert "(number = w.n)" in plan, plan
    assert "Seq Scan on shopfloor_bundle" not in plan, plan
    assert "Bitmap" not in plan, plan
    assert "Join Filter" not in plan, plan  # the order is read by its key, per bundle
    # and it answers what the bundles are: numbers, their ids and quantities, the order's style
    assert sorted(row[0] for row in found) == sorted(n for n, _, _ in plant.sample.bundles[:5])
    assert {row[4] for row in found} == {plant.sample.style_id}
