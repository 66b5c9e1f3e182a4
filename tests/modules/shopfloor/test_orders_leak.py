"""Tenant walls for orders, lays, bundles and tickets: factory B sees nothing of A's."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from loom.kernel.db.base import Base
from loom.modules.shopfloor.models import Bundle, Lay
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.conftest import SHOPFLOOR, seed_style_with_routing
from tests.modules.shopfloor.helpers_orders import add_lay, create_order, cut, order_body

PAGES = "/apps/shopfloor/orders"


def _order(client: TestClient) -> int:
    # a new style and order number each time: one test may create several in one factory
    seed = seed_style_with_routing(client)
    number = f"PO-{seed['style']['code']}"
    order_id: int = create_order(client, seed["style"]["id"], number)["id"]
    return order_id


def _lay(client: TestClient) -> int:
    lay_id: int = add_lay(client, _order(client), "白", 10, {"S": 1})["id"]
    return lay_id


def _bundle(client: TestClient) -> int:
    bundle_id: int = cut(client, _lay(client), 20)[0]["id"]
    return bundle_id


ORDERS = TenantResource(
    name="order",
    list_url=f"{SHOPFLOOR}/orders",
    item_url=f"{SHOPFLOOR}/orders/{{id}}",
    create=_order,
    update_method="PUT",
    # B's own style id 1 may exist; the order must still be unreachable
    update_body=order_body(1, "TAKEN"),
    extra_urls=[
        f"{SHOPFLOOR}/orders/{{id}}/lays",
        f"{SHOPFLOOR}/orders/{{id}}/bundles",
        f"{SHOPFLOOR}/orders/{{id}}/matrix",
        f"{SHOPFLOOR}/orders/{{id}}/coupons",
        f"{SHOPFLOOR}/bundles?order_id={{id}}",
        f"{PAGES}/{{id}}",
        f"{PAGES}/{{id}}/edit",
        f"{PAGES}/{{id}}/delete",
        f"{PAGES}/{{id}}/tickets",
    ],
)
BUNDLES = TenantResource(
    name="bundle",
    list_url=f"{SHOPFLOOR}/bundles",
    item_url=f"{SHOPFLOOR}/bundles/{{id}}",
    create=_bundle,
    deletable=False,
)


@both_backends
def test_orders_and_bundles_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    seed_style_with_routing(pair.client_b, "B-STYLE")  # B has a style of its own with id ≥ 1
    assert_tenant_isolation(pair, ORDERS)
    assert_tenant_isolation(pair, BUNDLES)


def test_lays_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    lay_id = _lay(pair.client_a)
    before = pair.client_a.get(f"{SHOPFLOOR}/lays/{lay_id}").json()
    body = {"colour": "白", "plies": 5, "ratios": {"S": 1}}
    assert pair.client_b.get(f"{SHOPFLOOR}/lays/{lay_id}").status_code == 404
    assert pair.client_b.put(f"{SHOPFLOOR}/lays/{lay_id}", json=body).status_code == 404
    assert pair.client_b.delete(f"{SHOPFLOOR}/lays/{lay_id}").status_code == 404
    refused = pair.client_b.post(f"{SHOPFLOOR}/lays/{lay_id}/cut", json={"bundle_size": 5})
    assert refused.status_code == 404
    order_id = before["order_id"]
    for url in (
        f"{PAGES}/{order_id}/lays/{lay_id}/edit",
        f"{PAGES}/{order_id}/lays/{lay_id}/delete",
        f"{PAGES}/{order_id}/lays/{lay_id}/cut",
        f"{PAGES}/{order_id}/tickets?lay_id={lay_id}",
    ):
        assert pair.client_b.get(url).status_code == 404, url
    assert pair.client_a.get(f"{SHOPFLOOR}/lays/{lay_id}").json() == before
    assert pair.client_a.get(f"{SHOPFLOOR}/bundles").json()["total"] == 0  # nothing was cut


def test_b_cannot_plan_cut_or_add_lays_on_a_s_orders(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    order_a = _order(pair.client_a)
    limits = {"max_plies": 60, "max_marker": 4}
    lay = {"colour": "白", "plies": 5, "ratios": {"S": 1}}
    for response in (
        pair.client_b.post(f"{SHOPFLOOR}/orders/{order_a}/lays", json=lay),
        pair.client_b.post(f"{SHOPFLOOR}/orders/{order_a}/plan", json=limits),
        pair.client_b.put(f"{SHOPFLOOR}/orders/{order_a}/plan", json=limits),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    for url, form in (
        (f"{PAGES}/{order_a}/lays", {"colour": "白", "plies": "5", "ratio-0": "1"}),
        (f"{PAGES}/{order_a}/plan", {"max_plies": "60", "max_marker": "4", "action": "apply"}),
        (f"{PAGES}/{order_a}/edit", {"number": "X"}),
        (f"{PAGES}/{order_a}/delete", {}),
    ):
        assert pair.client_b.post(url, data=form).status_code == 404, url
    assert pair.client_a.get(f"{SHOPFLOOR}/orders/{order_a}/lays").json() == []
    # B's order cannot name A's style: to B it does not exist
    style_a = pair.client_a.get("/api/v1/masterdata/styles").json()["items"][0]["id"]
    refused = pair.client_b.post(f"{SHOPFLOOR}/orders", json=order_body(style_a, "B-1"))
    assert refused.status_code == 422
    assert {d["field"] for d in refused.json()["error"]["details"]} == {"style_id"}


@both_backends
def test_the_database_refuses_lays_and_bundles_into_another_tenant(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    order_a = _order(pair.client_a)
    lay_a = _lay(pair.client_a)
    engine = loom_app.state.loom.engine
    lays = Base.metadata.tables[Lay.__tablename__]
    row = {
        "order_id": order_a,
        "lay_no": 9,
        "colour": "白",
        "plies": 1,
        "ratios": {"S": 1},
        "status": "planned",
    }
    with engine.begin() as conn:  # control: A's own org_id is accepted
        conn.execute(insert(lays).values(**row, org_id=pair.a.id))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(lays).values(**{**row, "lay_no": 10}, org_id=pair.b.id))
    bundles = Base.metadata.tables[Bundle.__tablename__]
    bundle = {
        "number": 99,
        "order_id": order_a,
        "lay_id": lay_a,
        "colour": "白",
        "size": "S",
        "qty": 1,
        "ply_from": 1,
        "ply_to": 1,
    }
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(bundles).values(**bundle, org_id=pair.b.id))
