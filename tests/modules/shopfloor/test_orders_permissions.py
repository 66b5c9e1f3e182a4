"""Who may read, change, cut and delete orders, and the audit trail every change leaves."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from tests.modules.shopfloor.conftest import SHOPFLOOR, seed_style_with_routing
from tests.modules.shopfloor.helpers_orders import add_lay, create_order, cut, order_body

PAGES = "/apps/shopfloor/orders"


def test_roles(factory: Factory, factory_org: OrgRef, admin: TestClient) -> None:
    factory.user("vic", (factory_org, Role.VIEWER))
    factory.user("max", (factory_org, Role.MANAGER))
    viewer, manager = factory.client("vic"), factory.client("max")
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    lay = add_lay(admin, order["id"], "白", 10, {"S": 1})
    lay_body = {"colour": "白", "plies": 5, "ratios": {"S": 1}}

    # viewers read everything, print tickets, and change nothing
    assert viewer.get(f"{SHOPFLOOR}/orders").json()["total"] == 1
    assert viewer.get(f"{SHOPFLOOR}/orders/{order['id']}/coupons").status_code == 200
    assert viewer.get(f"{PAGES}/{order['id']}/tickets").status_code == 200
    assert viewer.get(PAGES).status_code == 200
    for denied in (
        viewer.post(f"{SHOPFLOOR}/orders", json=order_body(style_id, "PO-2")),
        viewer.put(f"{SHOPFLOOR}/orders/{order['id']}", json=order_body(style_id)),
        viewer.post(f"{SHOPFLOOR}/orders/{order['id']}/lays", json=lay_body),
        viewer.put(
            f"{SHOPFLOOR}/orders/{order['id']}/plan", json={"max_plies": 9, "max_marker": 2}
        ),
        viewer.post(f"{SHOPFLOOR}/lays/{lay['id']}/cut", json={"bundle_size": 5}),
        viewer.delete(f"{SHOPFLOOR}/orders/{order['id']}"),
    ):
        assert denied.status_code == 403
        assert denied.json()["error"]["code"] == "permission_denied"
    assert viewer.get(f"{PAGES}/new").status_code == 403
    assert "new-order" not in viewer.get(PAGES).text  # no button leading to a refusal

    # managers create and cut; only admins delete
    assert manager.post(f"{SHOPFLOOR}/orders", json=order_body(style_id, "PO-2")).status_code == 201
    assert len(cut(manager, lay["id"], 5)) == 2
    assert manager.delete(f"{SHOPFLOOR}/orders/{order['id']}").status_code == 403
    assert admin.delete(f"{SHOPFLOOR}/orders/{order['id']}").status_code == 409  # has bundles


def test_a_bureau_has_no_shop_floor(factory: Factory) -> None:
    bureau = factory.org("bureau", OrgKind.BUREAU, name="District bureau")
    factory.user("bea", (bureau, Role.ADMIN))
    client = factory.client("bea")
    assert client.get(f"{SHOPFLOOR}/orders").status_code == 404
    assert client.get(PAGES).status_code == 404


def test_anonymous_callers_are_turned_away(anon: TestClient) -> None:
    assert anon.get(f"{SHOPFLOOR}/orders").status_code == 401
    assert anon.get(f"{SHOPFLOOR}/bundles").status_code == 401


def _actions(client: TestClient) -> list[str]:
    events = client.get("/api/v1/audit", params={"q": "shopfloor.", "limit": 200}).json()
    return [e["action"] for e in reversed(events["items"])]  # oldest first


def test_every_change_is_audited(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    admin.put(f"{SHOPFLOOR}/orders/{order['id']}", json=order_body(style_id, note="加急"))
    admin.put(f"{SHOPFLOOR}/orders/{order['id']}", json=order_body(style_id, note="加急"))  # same
    lay = add_lay(admin, order["id"], "白", 10, {"S": 1})
    admin.put(
        f"{SHOPFLOOR}/lays/{lay['id']}", json={"colour": "白", "plies": 8, "ratios": {"S": 1}}
    )
    admin.put(f"{SHOPFLOOR}/orders/{order['id']}/plan", json={"max_plies": 200, "max_marker": 9})
    lays = admin.get(f"{SHOPFLOOR}/orders/{order['id']}/lays").json()
    cut(admin, lays[0]["id"])
    other = create_order(admin, style_id, "PO-GONE")
    admin.delete(f"{SHOPFLOOR}/orders/{other['id']}")
    # the plan deletes the hand-made lay and adds each suggested lay with its own event
    planned = [a for a in _actions(admin) if a == "shopfloor.lay.created"]
    assert len(planned) == 1 + len(lays)
    assert _actions(admin)[:5] == [
        "shopfloor.order.created",
        "shopfloor.order.updated",
        "shopfloor.lay.created",
        "shopfloor.lay.updated",
        "shopfloor.lay.deleted",
    ]
    assert _actions(admin)[-3:] == [
        "shopfloor.lay.cut",
        "shopfloor.order.created",
        "shopfloor.order.deleted",
    ]
