"""Tenant B sees nothing of A's plans; roles decide who may write, publish and delete; audit."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.apps.balancing.helpers import API, Shop, bad_fields, create_plan, make_shop, plan_body


@both_backends
def test_tenant_b_sees_nothing_of_a(factory: Factory) -> None:
    pair = make_tenant_pair(factory, tag="-bal")
    shop_a = make_shop(pair.client_a)
    shop_b = make_shop(pair.client_b)

    def create(client: TestClient) -> int:
        plan_id: int = create_plan(client, shop_a)["id"]
        return plan_id

    resource = TenantResource(
        name="balancing plan",
        list_url=f"{API}/plans",
        item_url=f"{API}/plans/{{id}}",
        create=create,
        update_body={"name": "stolen"},
        extra_urls=[
            f"{API}/plans/{{id}}/revisions",
            f"{API}/plans/{{id}}/export.xlsx",
            "/apps/balancing/plans/{id}",
            "/apps/balancing/plans/{id}/publish",
        ],
    )
    assert_tenant_isolation(pair, resource)
    a_plan = create_plan(pair.client_a, shop_a)
    b_plan = create_plan(pair.client_b, shop_b)
    b = pair.client_b
    for path in ("edits", "undo", "copy", "publish"):
        body = {"op": "add_station", "after": 0} if path == "edits" else {"name": "x"}
        got = b.post(f"{API}/plans/{a_plan['id']}/{path}", json=body)
        assert got.status_code == 404, path
    compared = b.get(f"{API}/plans/compare", params={"ids": [b_plan["id"], a_plan["id"]]})
    assert compared.status_code == 404
    # A's style and line are unknown to B: named as bad fields, not used
    stolen = plan_body(shop_a)
    assert bad_fields(b.post(f"{API}/plans", json=stolen)) == {"style_id", "line_id"}
    assert pair.client_a.get(f"{API}/plans/{a_plan['id']}").json()["revision"] == 1


def test_roles(factory: Factory, factory_org: OrgRef, admin: TestClient, shop: Shop) -> None:
    factory.user("vic", (factory_org, Role.VIEWER))
    factory.user("max", (factory_org, Role.MANAGER))
    viewer, manager = factory.client("vic"), factory.client("max")
    plan = create_plan(manager, shop)
    url = f"{API}/plans/{plan['id']}"
    assert viewer.get(url).status_code == 200
    assert viewer.get(f"{API}/plans").json()["total"] == 1
    for denied in (
        viewer.post(f"{API}/plans", json=plan_body(shop)),
        viewer.post(f"{url}/edits", json={"op": "add_station", "after": 0}),
        viewer.patch(url, json={"name": "x"}),
        viewer.post(f"{url}/publish"),
        manager.delete(url),  # admins only
    ):
        assert denied.status_code == 403
        assert denied.json()["error"]["code"] == "permission_denied"
    assert admin.delete(url).status_code == 204


def test_a_bureau_has_no_line_balancing(factory: Factory) -> None:
    bureau = factory.org("bureau", OrgKind.BUREAU, name="District bureau")
    factory.user("bea", (bureau, Role.ADMIN))
    assert factory.client("bea").get(f"{API}/plans").status_code == 404


def test_anonymous_callers_are_turned_away(anon: TestClient) -> None:
    assert anon.get(f"{API}/plans").status_code == 401


def test_every_change_is_audited(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    url = f"{API}/plans/{plan['id']}"
    admin.post(f"{url}/edits", json={"op": "add_station", "after": 4})
    admin.post(f"{url}/undo")
    admin.patch(url, json={"name": "Renamed"})
    admin.post(f"{url}/publish")
    admin.delete(url)
    events = admin.get("/api/v1/audit", params={"q": "balancing.", "limit": 50}).json()["items"]
    actions = [e["action"] for e in reversed(events)]
    assert actions == [
        "balancing.plan.created",
        "balancing.plan.edited",
        "balancing.plan.undone",
        "balancing.plan.renamed",
        "balancing.plan.published",
        "balancing.plan.deleted",
    ]
    edited = next(e for e in events if e["action"] == "balancing.plan.edited")
    assert edited["after"]["edit"] == {"op": "add_station", "after": 4}
    # the added empty station counts as a fifth operator: 18000 / (5 × 6000) = 0.6
    assert edited["after"]["figures"]["operators"] == 5
    assert edited["before"]["figures"]["operators"] == 4
    published = next(e for e in events if e["action"] == "balancing.plan.published")
    assert published["after"]["published_version"] == 1
