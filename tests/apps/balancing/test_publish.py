"""Publishing a valid plan with named operators to its line; anything else is refused."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import Role
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from tests.apps.balancing.helpers import API, MD, Shop, bad_fields, create_plan, station_of


def _line_plan(client: TestClient, shop: Shop) -> Any:
    response = client.get(f"{MD}/lines/{shop.line_id}/plan")
    assert response.status_code == 200, response.text
    return response.json()


@both_backends
def test_publishing_puts_the_plan_on_the_line(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    assert _line_plan(admin, shop) is None
    published = admin.post(f"{API}/plans/{plan['id']}/publish")
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["published_version"] == 1
    assert body["published_revision"] == 1
    on_line = _line_plan(admin, shop)
    assert on_line["version"] == 1
    assert on_line["style_id"] == shop.style_id
    assert on_line["cycle_time_e4"] == 6000  # the target's cycle time
    assert on_line["source"] == f"balancing plan {plan['id']}"
    expected = sorted(
        (s["number"], s["worker_id"], t["id"], t["parts"])
        for s in plan["stations"]
        for t in s["tasks"]
    )
    got = sorted(
        (t["station_seq"], t["operator_id"], t["operation_id"], t["parts"])
        for t in on_line["tasks"]
    )
    assert got == expected
    assert len(got) == 4
    # D at E1's station, as solved
    d = next(t for t in on_line["tasks"] if t["operation_id"] == shop.ops["D"])
    assert d["operator_id"] == shop.operators["E1"]

    again = admin.post(f"{API}/plans/{plan['id']}/publish").json()
    assert again["published_version"] == 2  # each publication is a new line version


def test_an_invalid_plan_cannot_be_published(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    where_d = station_of(plan, shop.ops["D"])
    edit = {"op": "operator", "station": where_d, "worker_id": shop.operators["E4"]}
    assert admin.post(f"{API}/plans/{plan['id']}/edits", json=edit).status_code == 200
    refused = admin.post(f"{API}/plans/{plan['id']}/publish")
    assert bad_fields(refused) == {"violations"}
    assert _line_plan(admin, shop) is None
    # undoing the edit makes it publishable again
    admin.post(f"{API}/plans/{plan['id']}/undo")
    assert admin.post(f"{API}/plans/{plan['id']}/publish").status_code == 200


def test_a_plan_without_a_line_cannot_be_published(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop, line=False)
    # no line, and so no named operators at its stations either
    assert bad_fields(admin.post(f"{API}/plans/{plan['id']}/publish")) == {"line_id", "stations"}


def test_an_empty_station_stops_publication(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    admin.post(f"{API}/plans/{plan['id']}/edits", json={"op": "add_station", "after": 4})
    # the new station has neither operations nor an operator (a "no_worker" violation too)
    assert bad_fields(admin.post(f"{API}/plans/{plan['id']}/publish")) == {
        "violations",
        "stations",
    }


def test_only_managers_publish(
    factory: Factory, factory_org: OrgRef, admin: TestClient, shop: Shop
) -> None:
    plan = create_plan(admin, shop)
    factory.user("mel", (factory_org, Role.MEMBER))
    factory.user("max", (factory_org, Role.MANAGER))
    member, manager = factory.client("mel"), factory.client("max")
    assert member.post(f"{API}/plans/{plan['id']}/publish").status_code == 403
    assert manager.post(f"{API}/plans/{plan['id']}/publish").status_code == 200
