"""A device token of one factory cannot put events into another; the route needs its permission."""

from __future__ import annotations

from sqlalchemy import func, select

from loom.modules.shopfloor.engine.events import event_dict
from loom.modules.shopfloor.models import OpCount, Quarantined, ScanEvent
from loom.testing.factory import Factory

from .support import EVENTS, T0, make_plant


def test_a_token_posts_only_into_its_own_factory(factory: Factory) -> None:
    """B's coupons fail A's signature check; A-signed numbers of B's bundles resolve inside A."""
    a = make_plant(factory, "alpha")
    b = make_plant(factory, "bravo", bundles_per_order=80)  # numbers 1-80; A has 1-40
    # a genuine coupon of factory B, sent with A's device token
    b_coupon = b.event(0, 0)
    answer = a.post([b_coupon])
    assert answer["accepted"] == 0
    assert answer["rejected"][0]["error"].startswith("sig:")
    # a coupon re-signed with A's key for B's bundle number: it is looked up among A's bundles
    b_bundle = b.sample.bundles[-1][0]
    assert b_bundle not in {n for n, _, _ in a.sample.bundles}
    forged = event_dict(
        a.key,
        a.org.id,
        bundle=b_bundle,
        operation=b.sample.operations[0],
        operator=a.sample.operators[a.sample.lines[0]][0],
        ts=T0,
        qty=20,
    )
    assert a.post([forged])["quarantined"] == 1
    with b.session() as s:
        # B's rows are untouched: no events, counters or quarantine entries
        for model in (ScanEvent, OpCount, Quarantined):
            count = s.scalar(
                select(func.count()).select_from(model).where(model.org_id == b.org.id)
            )
            assert count == 0, model.__name__
    with a.session() as s:
        stored = s.scalars(select(ScanEvent.org_id)).all()
        assert stored == [a.org.id]


def test_the_events_route_needs_the_event_permission(factory: Factory) -> None:
    """A token without shopfloor.event.write is refused; no token at all is a 401."""
    plant = make_plant(factory)
    reader = factory.token(plant.org, ["shopfloor.event.read"])
    refused = factory.token_client(reader).post(EVENTS, json=[plant.event(0, 0)])
    assert refused.status_code == 403
    assert "shopfloor.event.write" in refused.json()["error"]["message"]
    anonymous = factory.client().post(EVENTS, json=[plant.event(0, 0)])
    assert anonymous.status_code in (401, 403)


def test_bodies_that_are_not_batches_get_a_422_naming_the_body(factory: Factory) -> None:
    """Not JSON, not an array, or too many events: refused whole, nothing stored."""
    plant = make_plant(factory)
    not_json = plant.device.post(
        EVENTS, content=b"{not json", headers={"Content-Type": "application/json"}
    )
    not_array = plant.device.post(EVENTS, json={"events": []})
    too_many = plant.device.post(EVENTS, json=[plant.event(0, 0)] * 10_001)
    for response in (not_json, not_array, too_many):
        assert response.status_code == 422, response.text
        assert response.json()["error"]["message"].startswith("body:")
    assert "10000" in too_many.json()["error"]["message"]
    assert plant.post([]) == {"accepted": 0, "duplicates": 0, "quarantined": 0, "rejected": []}
