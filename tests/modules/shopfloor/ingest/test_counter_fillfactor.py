"""The counter tables leave room for updates in place on PostgreSQL (migration shopfloor_0003)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from loom.modules.shopfloor.migrations.shopfloor_0003_counter_fillfactor import COUNTERS
from loom.modules.shopfloor.service.counters import SPECS
from loom.testing.factory import Factory
from tests.modules.shopfloor.ingest.support import make_plant


def test_the_migration_names_every_counter_table() -> None:
    assert set(COUNTERS) == {table.name for _name, table, _keys, _values in SPECS}


@pytest.mark.parametrize(
    "loom_backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_counter_tables_have_fill_factor_70(
    factory: Factory,
) -> None:
    plant = make_plant(factory, bundles_per_order=4)
    with plant.session() as session:
        options = dict(
            session.execute(
                text("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(:names)"),
                {"names": list(COUNTERS)},
            ).all()
        )
    assert options == {name: ["fillfactor=70"] for name in COUNTERS}
    # the event table keeps the default: it is only ever appended to
    with plant.session() as session:
        event_options = session.execute(
            text("SELECT reloptions FROM pg_class WHERE relname = 'shopfloor_event'")
        ).scalar()
    assert event_options is None
