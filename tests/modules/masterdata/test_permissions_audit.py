"""Who may change master data, and the audit trail every change leaves."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from tests.modules.masterdata.helpers import API, create_op, create_style, op_body, style_body


def test_roles(factory: Factory, factory_org: OrgRef, admin: TestClient) -> None:
    factory.user("vic", (factory_org, Role.VIEWER))
    factory.user("max", (factory_org, Role.MANAGER))
    viewer, manager = factory.client("vic"), factory.client("max")
    style, op = create_style(admin), create_op(admin)
    rate = {"rate": "0.30", "effective_from": "2025-01-01"}

    assert viewer.get(f"{API}/styles").json()["total"] == 1
    assert viewer.get(f"{API}/operations/{op['id']}").status_code == 200
    for denied in (
        viewer.post(f"{API}/styles", json=style_body("ST-2")),
        viewer.put(f"{API}/operations/{op['id']}", json=op_body(name="x")),
        viewer.post(f"{API}/operations/{op['id']}/rates", json=rate),
        viewer.put(f"{API}/styles/{style['id']}/routing", json={"steps": []}),
    ):
        assert denied.status_code == 403
        assert denied.json()["error"]["code"] == "permission_denied"

    assert manager.post(f"{API}/styles", json=style_body("ST-2")).status_code == 201
    assert manager.post(f"{API}/operations/{op['id']}/rates", json=rate).status_code == 201
    assert manager.delete(f"{API}/styles/{style['id']}").status_code == 403  # admins only
    assert manager.delete(f"{API}/operations/{op['id']}").status_code == 403
    assert admin.delete(f"{API}/styles/{style['id']}").status_code == 204


def test_a_bureau_has_no_master_data(factory: Factory) -> None:
    bureau = factory.org("bureau", OrgKind.BUREAU, name="District bureau")
    factory.user("bea", (bureau, Role.ADMIN))
    refused = factory.client("bea").get(f"{API}/styles")
    # the app is for enterprises only: for a bureau it is not there at all
    assert refused.status_code == 404


def test_anonymous_callers_are_turned_away(anon: TestClient) -> None:
    assert anon.get(f"{API}/operations").status_code == 401


def _actions(client: TestClient) -> list[str]:
    events = client.get("/api/v1/audit", params={"q": "masterdata.", "limit": 200}).json()
    return [e["action"] for e in reversed(events["items"])]  # oldest first


def test_every_change_is_audited(admin: TestClient) -> None:
    style = create_style(admin)
    op = create_op(admin)
    admin.put(f"{API}/styles/{style['id']}", json=style_body(name="新名称"))
    admin.put(f"{API}/styles/{style['id']}", json=style_body(name="新名称"))  # no change
    admin.put(f"{API}/operations/{op['id']}", json=op_body(sam="1.250"))  # same SAM: no change
    admin.put(f"{API}/operations/{op['id']}", json=op_body(skill_grade=5))
    admin.post(
        f"{API}/operations/{op['id']}/rates", json={"rate": "0.3", "effective_from": "2025-01-01"}
    )
    admin.put(f"{API}/styles/{style['id']}/routing", json={"steps": [{"operation_id": op["id"]}]})
    admin.delete(f"{API}/styles/{style['id']}")
    admin.delete(f"{API}/operations/{op['id']}")
    assert _actions(admin) == [
        "masterdata.style.created",
        "masterdata.operation.created",
        "masterdata.style.updated",
        "masterdata.operation.updated",
        "masterdata.rate.added",
        "masterdata.routing.set",
        "masterdata.style.deleted",
        "masterdata.operation.deleted",
    ]
