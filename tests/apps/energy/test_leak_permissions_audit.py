"""Tenant B sees nothing of A's meters, readings and revenue; roles decide who may write."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.apps.energy.helpers import API, add_meter, bad_fields, make_plant, meter_body, read


@both_backends
def test_tenant_b_sees_nothing_of_a(factory: Factory) -> None:
    pair = make_tenant_pair(factory, tag="-en")
    plant_a = make_plant(pair.client_a, "-a")

    def create(client: TestClient) -> int:
        meter = add_meter(client, code=f"E-{len(client.get(f'{API}/meters').json()['items'])}")
        read(client, meter["id"], "2025-03-02T00:00", "10")
        meter_id: int = meter["id"]
        return meter_id

    resource = TenantResource(
        name="energy meter",
        list_url=f"{API}/meters",
        item_url=f"{API}/meters/{{id}}",
        create=create,
        update_method="PUT",
        update_body=meter_body(code="stolen"),
        extra_urls=[
            f"{API}/meters/{{id}}/readings",
            "/apps/energy/meters/{id}",
            "/apps/energy/meters/{id}/edit",
            "/apps/energy/meters/{id}/delete",
            "/apps/energy/meters/{id}/readings.xlsx",
        ],
        parent_scoped_list=False,
    )
    assert_tenant_isolation(pair, resource)
    a, b = pair.client_a, pair.client_b
    meter = add_meter(a, code="E-X")
    reading = read(a, meter["id"], "2025-03-02T00:00", "10").json()
    assert read(b, meter["id"], "2025-03-03T00:00", "20").status_code == 404
    assert b.delete(f"{API}/readings/{reading['id']}").status_code == 404
    assert b.get(f"/apps/energy/readings/{reading['id']}/delete").status_code == 404
    revenue = a.put(f"{API}/revenue", json={"month": "2025-01-01", "amount": "5"}).json()
    assert b.get(f"{API}/revenue").json()["total"] == 0
    assert b.delete(f"{API}/revenue/{revenue['id']}").status_code == 404
    # A's line and machine are unknown to B: named as bad fields, not used
    line_meter = meter_body(code="L", attached_to="line", line_id=plant_a.line_id)
    assert bad_fields(b.post(f"{API}/meters", json=line_meter)) == {"line_id"}
    machine = meter_body(code="M", attached_to="machine", machine_id=plant_a.machine_id)
    assert bad_fields(b.post(f"{API}/meters", json=machine)) == {"machine_id"}
    # B's figures hold none of A's readings, nor its revenue
    span = {"from": "2025-03-01", "to": "2025-03-03"}
    assert float(b.get(f"{API}/consumption", params=span).json()["total_kgce"]) == 0
    assert float(b.get(f"{API}/r1").json()["before"]["revenue"]) == 0


def test_roles(factory: Factory, factory_org: OrgRef, admin: TestClient) -> None:
    factory.user("vic", (factory_org, Role.VIEWER))
    factory.user("max", (factory_org, Role.MANAGER))
    viewer, manager = factory.client("vic"), factory.client("max")
    meter = add_meter(manager)
    url = f"{API}/meters/{meter['id']}"
    assert viewer.get(url).status_code == 200
    assert viewer.get(f"{API}/consumption").status_code == 200
    for denied in (
        viewer.post(f"{API}/meters", json=meter_body(code="V")),
        viewer.post(f"{url}/readings", json={"at": "2025-03-02T00:00", "value": "1"}),
        viewer.get(f"{API}/revenue"),
        viewer.get(f"{API}/r1"),
        manager.delete(url),  # admins only
        manager.put("/api/v1/apps/energy/settings", json={}),
        manager.post("/apps/energy/r1", data={"electricity_basis": "equal"}),
    ):
        assert denied.status_code == 403
    assert admin.delete(url).status_code == 204


def test_a_bureau_has_no_energy_app(factory: Factory) -> None:
    bureau = factory.org("bureau", OrgKind.BUREAU, name="District bureau")
    factory.user("bea", (bureau, Role.ADMIN))
    assert factory.client("bea").get(f"{API}/meters").status_code == 404


def test_anonymous_callers_are_turned_away(anon: TestClient) -> None:
    assert anon.get(f"{API}/meters").status_code == 401
    page = anon.get("/apps/energy/dashboard", follow_redirects=False)
    assert page.status_code in (302, 303)
