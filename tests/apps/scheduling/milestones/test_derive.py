"""Actual dates of cutting and sewing finish taken from the shop floor's bundles and scans."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loom.kernel.tenancy.models import Role
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.apps.scheduling.milestones.helpers import TA, record, stages, today
from tests.modules.shopfloor.ingest.support import make_plant

#: 2026-03-02 09:15 Beijing; the last piece at 2026-03-03 16:30 UTC is 03-04 00:30 Beijing
FIRST = datetime(2026, 3, 2, 1, 15, tzinfo=UTC)
LAST = datetime(2026, 3, 3, 16, 30, tzinfo=UTC)
#: a rework scan in between (03-02 21:15 Beijing): counted, it would end sewing on 03-02
BETWEEN = datetime(2026, 3, 2, 13, 15, tzinfo=UTC)


@both_backends
def test_cutting_and_sewing_finish_come_from_bundles_and_final_scans(factory: Factory) -> None:
    # the sample factory: one order of 40 pieces (5 per colour × size) cut into 2 bundles of 20
    plant = make_plant(factory, "ta", bundles_per_order=2, bundle_qty=20)
    factory.user("tara", (plant.org, Role.ADMIN))
    client = factory.client("tara")
    order_id = plant.sample.orders[0]
    final = len(plant.sample.operations) - 1
    # one bundle finished at the last operation: 20 of 40 pieces, sewing is not done
    plant.post([plant.event(0, final, ts=FIRST)])
    derived = client.post(f"{TA}/derive")
    assert derived.status_code == 200, derived.text
    # the bundles were cut when seeded, today: cutting is done today, sewing not yet
    assert derived.json() == [
        {
            "order_id": order_id,
            "order_number": "TA-PO001",
            "stage": "cutting",
            "actual_date": today().isoformat(),
        }
    ]
    # the second bundle's last operation, and a rework scan that must not count
    answer = plant.post(
        [plant.event(1, final, ts=LAST), plant.event(0, final, ts=BETWEEN, kind="rework")]
    )
    assert answer["accepted"] == 2, answer
    again = client.post(f"{TA}/derive", json={"order_ids": [order_id]})
    assert [(d["stage"], d["actual_date"]) for d in again.json()] == [
        ("sewing_finish", "2026-03-04")
    ]
    got = stages(client, order_id)
    assert (got["sewing_finish"]["actual_date"], got["sewing_finish"]["actual_source"]) == (
        "2026-03-04",
        "shopfloor",
    )
    assert got["cutting"]["actual_source"] == "shopfloor"
    # a third run finds nothing new
    assert client.post(f"{TA}/derive").json() == []


def test_a_date_typed_by_hand_is_not_overwritten(factory: Factory) -> None:
    plant = make_plant(factory, "tb", bundles_per_order=2, bundle_qty=20)
    factory.user("tom", (plant.org, Role.ADMIN))
    client = factory.client("tom")
    order_id = plant.sample.orders[0]
    typed = (today() - timedelta(days=3)).isoformat()
    assert record(client, order_id, "cutting", actual_date=typed).status_code == 200
    assert client.post(f"{TA}/derive").json() == []
    assert stages(client, order_id)["cutting"]["actual_date"] == typed
    assert stages(client, order_id)["cutting"]["actual_source"] == "user"


def test_an_order_not_fully_cut_has_no_cutting_date(factory: Factory) -> None:
    plant = make_plant(factory, "tc", bundles_per_order=2, bundle_qty=20)
    factory.user("tim", (plant.org, Role.ADMIN))
    client = factory.client("tim")
    order = client.get(f"/api/v1/shopfloor/orders/{plant.sample.orders[0]}").json()
    # 6 pieces per cell instead of 5: 48 ordered, 40 cut
    quantities = {c: dict.fromkeys(row, 6) for c, row in order["quantities"].items()}
    body = {k: order[k] for k in ("number", "customer", "style_id", "line_id", "status", "note")}
    changed = client.put(
        f"/api/v1/shopfloor/orders/{order['id']}",
        json=body | {"due_date": order["due_date"], "quantities": quantities},
    )
    assert changed.status_code == 200, changed.text
    assert client.post(f"{TA}/derive").json() == []
    assert stages(client, order["id"])["cutting"]["actual_date"] is None
