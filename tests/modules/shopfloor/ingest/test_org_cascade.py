"""Deleting an organisation deletes its events and counters (migration shopfloor_0004's trigger).

These six tables have no foreign key to the organisation (ingest would pay its check per row);
the trigger must do what ``ON DELETE CASCADE`` did, and touch no other organisation's rows.
"""

from __future__ import annotations

from sqlalchemy import text

from loom.modules.shopfloor.migrations.shopfloor_0004_hot_tables_org_trigger import HOT
from loom.modules.shopfloor.models import ScanEvent
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.ingest.support import make_plant


def _counts(factory: Factory, org_id: int) -> dict[str, int]:
    # the connecting role, outside any scope: row-level security does not hide the rows
    with factory.app.state.loom.engine.connect() as connection:
        return {
            table: connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE org_id = :org"),
                {"org": org_id},
            ).scalar_one()
            for table in HOT
        }


def test_the_trigger_covers_every_table_without_the_foreign_key() -> None:
    assert ScanEvent.__table__.name in HOT
    assert not ScanEvent.__table__.c.org_id.foreign_keys


@both_backends
def test_deleting_an_organisation_deletes_its_events_and_counters(factory: Factory) -> None:
    gone = make_plant(factory, "gone", bundles_per_order=4)
    kept = make_plant(factory, "kept", bundles_per_order=4)
    for plant in (gone, kept):
        answer = plant.post(
            [plant.event(0, 0), plant.event(1, 0), plant.event(0, 1, kind="rework")]
        )
        assert answer["accepted"] == 3
    before = _counts(factory, gone.org.id)
    # 3 events; every counter table has at least one row of the batch's figures
    assert before["shopfloor_event"] == 3
    assert all(count > 0 for count in before.values()), before
    kept_before = _counts(factory, kept.org.id)
    with factory.app.state.loom.engine.begin() as connection:
        connection.execute(
            text("DELETE FROM tenancy_organisation WHERE id = :org"), {"org": gone.org.id}
        )
    assert _counts(factory, gone.org.id) == dict.fromkeys(HOT, 0)
    assert _counts(factory, kept.org.id) == kept_before
