"""Tenant walls, roles and the audit trail of maintenance and spot inspections."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from loom.apps.equipment.models.maintenance import WorkOrder
from loom.kernel.db.base import Base
from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.apps.equipment.test_inspection_rounds import checklist, walk
from tests.apps.equipment.test_maintenance_api import API, PAGES, breakdown, machine, plan

MASTERDATA_MACHINES = "/api/v1/masterdata/machines"


def _code(client: TestClient, prefix: str) -> str:
    # a fresh code per call: the leak suite creates one object per resource
    return f"{prefix}-{client.get(MASTERDATA_MACHINES, params={'limit': 1}).json()['total']}"


def _plan(client: TestClient) -> int:
    machine(client, _code(client, "LK"))
    made: int = plan(client, _code(client, "PM"))["id"]
    return made


def _order(client: TestClient) -> int:
    return breakdown(client, machine(client, _code(client, "BK")))


def _round(client: TestClient) -> int:
    m = machine(client, _code(client, "RD"), "bartack")
    if not client.get(f"{API}/checklists").json():
        checklist(client, "bartack")
    made = walk(client, m, (True, ""), (False, "loose"), (True, ""))
    assert made.status_code == 201, made.text
    round_id: int = made.json()["id"]
    return round_id


def _checklist(client: TestClient) -> int:
    return checklist(client, "buttonhole")


PLAN_BODY = {
    "code": "PM-B",
    "name": "B's",
    "machine_type": "lockstitch",
    "interval_days": 7,
    "starts_on": "2026-01-01",
    "checklist": ["x"],
}
RESOURCES = [
    TenantResource(
        name="maintenance plan",
        list_url=f"{API}/plans",
        item_url=f"{API}/plans/{{id}}",
        create=_plan,
        update_method="PUT",
        update_body=PLAN_BODY,
        extra_urls=[f"{PAGES}/plans/{{id}}/edit", f"{PAGES}/plans/{{id}}/delete"],
    ),
    TenantResource(
        name="work order",
        list_url=f"{API}/work-orders",
        item_url=f"{API}/work-orders/{{id}}",
        create=_order,
        update_body={"fault": "B was here", "priority": "low"},
        extra_urls=[f"{PAGES}/orders/{{id}}", f"{PAGES}/orders/{{id}}/edit"],
    ),
    TenantResource(
        name="inspection round",
        list_url=f"{API}/rounds",
        item_url=f"{API}/rounds/{{id}}",
        create=_round,
        extra_urls=[f"{PAGES}/inspections/{{id}}", f"{PAGES}/inspections/{{id}}/delete"],
    ),
    TenantResource(
        name="inspection checklist",
        list_url=f"{API}/checklists",
        item_url=f"{API}/checklists/{{id}}",
        create=_checklist,
        update_method="PUT",
        update_body={"machine_type": "buttonhole", "name": "B", "items": ["b"]},
        extra_urls=[f"{PAGES}/checklists/{{id}}/edit"],
    ),
]


@both_backends
@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_b_cannot_reach_a_s_maintenance(factory: Factory, resource: TenantResource) -> None:
    pair = make_tenant_pair(factory)
    assert_tenant_isolation(pair, resource)


def test_b_cannot_act_on_a_s_plans_orders_and_rounds(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    a, b = pair.client_a, pair.client_b
    m = machine(a, "M-A")
    made = plan(a)
    order = breakdown(a, m)
    round_id = _round(a)
    b_machine = machine(b, "M-B")
    refused = [
        b.post(f"{API}/plans/{made['id']}/machines/{m}/work-orders"),
        b.post(f"{API}/plans/{made['id']}/machines/{b_machine}/work-orders"),
        b.post(f"{API}/work-orders/{order}/start"),
        b.post(f"{API}/work-orders/{order}/close", json={"downtime_minutes": 1}),
        b.post(f"{API}/work-orders/{order}/cancel"),
        b.post(f"{API}/rounds/{round_id}/items/2/work-order"),
        b.post(f"{PAGES}/orders/{order}/start"),
        b.post(f"{PAGES}/orders/{order}/delete"),
        b.post(f"{PAGES}/plans/{made['id']}/delete"),
        b.post(f"{PAGES}/inspections/{round_id}/items/2/order"),
        b.get(f"{PAGES}/inspections/new", params={"machine_id": m}),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused)
    # B cannot point its own objects at A's machine either
    foreign = b.post(f"{API}/work-orders", json={"machine_id": m, "fault": "x"})
    assert foreign.status_code == 422
    foreign_plan = b.post(f"{API}/plans", json=PLAN_BODY | {"machine_type": None, "machine_id": m})
    assert foreign_plan.status_code == 422
    assert b.get(f"{API}/due").json() == []
    assert b.get(f"{API}/counts").json() == {"due": 0, "live_orders": 0, "rounds_missing": 0}
    assert a.get(f"{API}/work-orders/{order}").json()["status"] == "open"
    assert a.get(f"{API}/counts").json()["live_orders"] == 1


@both_backends
def test_the_database_refuses_an_order_on_another_tenant_s_machine(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    m = machine(pair.client_a, "M-A")
    table = Base.metadata.tables[WorkOrder.__tablename__]
    row: dict[str, Any] = {
        "kind": "breakdown",
        "machine_id": m,
        "fault": "x",
        "priority": "normal",
        "assignee": "",
        "status": "open",
        "parts": [],
        "checklist": [],
        "downtime_minutes": 0,
        "resolution": "",
    }
    engine = loom_app.state.loom.engine
    with engine.begin() as conn:  # control: A's own org_id is accepted
        conn.execute(insert(table).values(**row, number="WO-A", org_id=pair.a.id))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(table).values(**row, number="WO-B", org_id=pair.b.id))


def test_roles(factory: Factory) -> None:
    org = factory.org("eq-roles", OrgKind.ENTERPRISE, name="Roles Co")
    for name, role in (("ada", Role.ADMIN), ("moe", Role.MANAGER), ("mel", Role.MEMBER)):
        factory.user(name, (org, role))
    factory.user("vic", (org, Role.VIEWER))
    admin, manager = factory.client("ada"), factory.client("moe")
    member, viewer = factory.client("mel"), factory.client("vic")
    m = machine(admin, "M-01")
    made = plan(admin)
    checklist(admin)
    for page in (PAGES, f"{PAGES}/plans", f"{PAGES}/orders", f"{PAGES}/inspections"):
        assert viewer.get(page).status_code == 200, page
    # viewers read only
    assert (
        viewer.post(f"{API}/work-orders", json={"machine_id": m, "fault": "x"}).status_code == 403
    )
    assert walk(viewer, m, (True, ""), (True, ""), (True, "")).status_code == 403
    assert 'data-testid="report-breakdown"' not in viewer.get(PAGES).text
    # members report breakdowns, walk rounds, start and close; they do not plan or delete
    order = breakdown(member, m)
    assert member.post(f"{API}/work-orders/{order}/start").status_code == 200
    assert walk(member, m, (True, ""), (True, ""), (True, "")).status_code == 201
    assert member.post(f"{API}/plans", json=PLAN_BODY).status_code == 403
    assert member.post(f"{API}/plans/{made['id']}/machines/{m}/work-orders").status_code == 403
    assert member.post(f"{API}/work-orders/{order}/cancel").status_code == 403
    # managers plan and cancel; only admins delete
    assert manager.post(f"{API}/work-orders/{order}/cancel").status_code == 200
    assert manager.delete(f"{API}/work-orders/{order}").status_code == 403
    assert admin.delete(f"{API}/work-orders/{order}").status_code == 204


def test_anonymous_and_bureaus_are_turned_away(factory: Factory, anon: TestClient) -> None:
    assert anon.get(f"{API}/due").status_code == 401
    bureau = factory.org("eq-bureau", OrgKind.BUREAU, name="Bureau")
    factory.user("bob", (bureau, Role.ADMIN))
    assert factory.client("bob").get(f"{API}/due").status_code == 404


def _events(client: TestClient) -> list[dict[str, Any]]:
    found = client.get("/api/v1/audit", params={"q": "equipment.", "limit": 200}).json()
    return list(reversed(found["items"]))  # oldest first


def test_every_change_is_audited(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    client = pair.client_a
    m = machine(client, "M-01")
    made = plan(client)
    client.put(
        f"{API}/plans/{made['id']}",
        json={k: v for k, v in made.items() if k != "id"} | {"interval_days": 14},
    )
    order = client.post(f"{API}/plans/{made['id']}/machines/{m}/work-orders").json()
    client.post(f"{API}/work-orders/{order['id']}/start")
    client.post(f"{API}/work-orders/{order['id']}/close", json={"downtime_minutes": 20})
    template = checklist(client)
    round_id = walk(client, m, (True, ""), (False, "oil low"), (True, "")).json()["id"]
    client.post(f"{API}/rounds/{round_id}/items/2/work-order")
    spare = plan(client, "PM-02")
    client.delete(f"{API}/plans/{spare['id']}")
    events = _events(client)
    assert [e["action"] for e in events] == [
        "equipment.plan.created",
        "equipment.plan.updated",
        "equipment.work_order.opened",
        "equipment.work_order.started",
        "equipment.work_order.closed",
        "equipment.checklist.created",
        "equipment.inspection.recorded",
        "equipment.work_order.opened",
        "equipment.plan.created",
        "equipment.plan.deleted",
    ]
    assert events[1]["before"]["interval_days"] == 30
    assert events[1]["after"]["interval_days"] == 14
    assert events[4]["before"]["status"] == "in_progress"
    assert events[4]["after"]["status"] == "closed"
    assert events[4]["after"]["downtime_minutes"] == 20
    assert events[5]["target_id"] == str(template)  # the audit log keeps ids as text
    assert _events(pair.client_b) == []
