"""Tenant walls, permissions and the audit trail of line profiles, order attributes and plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from loom.apps.scheduling.service.plans import adopted_order_windows
from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.apps.scheduling.plans.conftest import (
    PAGES,
    SCHEDULING,
    Seed,
    created,
    run_plan,
    seed_factory,
)


def _plan(client: TestClient) -> int:
    seed_factory(client, tag=str(len(client.get(f"{SCHEDULING}/plans").json()["items"])))
    plan_id: int = run_plan(client)["id"]
    return plan_id


PLANS = TenantResource(
    name="plan",
    list_url=f"{SCHEDULING}/plans",
    item_url=f"{SCHEDULING}/plans/{{id}}",
    create=_plan,
    extra_urls=[
        f"{SCHEDULING}/plans/{{id}}/load",
        f"{SCHEDULING}/plans/{{id}}/diff",
        f"{PAGES}/plans/{{id}}",
        f"{PAGES}/plans/{{id}}/export.xlsx",
        f"{PAGES}/plans/{{id}}/discard",
    ],
)


@both_backends
def test_plans_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    assert_tenant_isolation(pair, PLANS)
    # B cannot adopt A's plan either
    plan_id = pair.client_a.get(f"{SCHEDULING}/plans").json()["items"][0]["id"]
    assert pair.client_b.post(f"{SCHEDULING}/plans/{plan_id}/adopt").status_code == 404


def test_profiles_and_attributes_are_isolated(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    seed = seed_factory(pair.client_a)
    seed_factory(pair.client_b, tag="B")  # B has lines and orders of its own
    b = pair.client_b
    for url in (
        f"{SCHEDULING}/lines/{seed.l1}",
        f"{SCHEDULING}/orders/{seed.orders['A']}",
        f"{PAGES}/plans/lines/{seed.l1}/edit",
        f"{PAGES}/plans/orders/{seed.orders['A']}/edit",
    ):
        assert b.get(url).status_code == 404, url
    assert b.put(f"{SCHEDULING}/lines/{seed.l1}", json={"operators": 9}).status_code == 404
    assert b.put(f"{SCHEDULING}/orders/{seed.orders['A']}", json={"weight": 5}).status_code == 404
    assert seed.l1 not in {line["line_id"] for line in b.get(f"{SCHEDULING}/lines").json()}
    assert seed.orders["A"] not in {o["order_id"] for o in b.get(f"{SCHEDULING}/orders").json()}
    # A's profile is unchanged
    assert pair.client_a.get(f"{SCHEDULING}/lines/{seed.l1}").json()["operators"] == 1
    # B plans only its own orders
    plan = run_plan(b)
    assert {a["order_code"] for a in plan["allocations"]} == {"PO-AB", "PO-BB", "PO-CB"}


def test_what_if_with_another_tenants_ids_answers_404(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    seed_a = seed_factory(pair.client_a)
    seed_factory(pair.client_b, tag="B")
    plan = run_plan(pair.client_b)
    assert pair.client_b.post(f"{SCHEDULING}/plans/{plan['id']}/adopt").status_code == 200
    b = pair.client_b
    rush = {"style_id": seed_a.style_id, "quantity": 10, "due": "2026-12-09"}
    assert b.post(f"{SCHEDULING}/whatif/rush", json=rush).status_code == 404
    lose = {"line_id": seed_a.l1, "from_date": "2026-12-08"}
    assert b.post(f"{SCHEDULING}/whatif/lose-line", json=lose).status_code == 404


def test_viewers_read_but_cannot_plan(
    factory: Factory, factory_org: OrgRef, admin: TestClient, seeded: Seed
) -> None:
    plan = run_plan(admin)
    factory.user("vera", (factory_org, Role.VIEWER))
    viewer = factory.client("vera")
    assert viewer.get(f"{SCHEDULING}/plans/{plan['id']}").status_code == 200
    assert viewer.get(f"{PAGES}/plans/{plan['id']}").status_code == 200
    forbidden: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", f"{SCHEDULING}/plans", {"start": "2026-12-07"}),
        ("POST", f"{SCHEDULING}/plans/{plan['id']}/adopt", {}),
        ("DELETE", f"{SCHEDULING}/plans/{plan['id']}", {}),
        ("PUT", f"{SCHEDULING}/lines/{seeded.l1}", {"operators": 3}),
        ("PUT", f"{SCHEDULING}/orders/{seeded.orders['A']}", {"weight": 3}),
        (
            "POST",
            f"{SCHEDULING}/whatif/lose-line",
            {"line_id": seeded.l1, "from_date": "2026-12-08"},
        ),
    ]
    for method, url, body in forbidden:
        response = viewer.request(method, url, json=body)
        assert response.status_code == 403, (method, url, response.status_code)
    assert viewer.get(f"{PAGES}/plans/lines/{seeded.l1}/edit").status_code == 403
    assert viewer.get(f"{PAGES}/plans/orders/{seeded.orders['A']}/edit").status_code == 403


def _actions(factory: Factory, org: OrgRef) -> list[tuple[str, str]]:
    with session_scope(factory.runtime.session_factory) as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.org_id == org.id).order_by(AuditEvent.seq)
        )
        return [(e.action, str(e.target_id)) for e in rows if e.action.startswith("scheduling.")]


def test_every_change_is_audited(
    factory: Factory, factory_org: OrgRef, admin: TestClient, seeded: Seed
) -> None:
    first = run_plan(admin)
    assert admin.post(f"{SCHEDULING}/plans/{first['id']}/adopt").status_code == 200
    body = {"line_id": seeded.l2, "from_date": "2026-12-07", "time_limit": 2}
    scenario = created(admin, f"{SCHEDULING}/whatif/lose-line", body)["plan"]
    assert admin.post(f"{SCHEDULING}/plans/{scenario['id']}/adopt").status_code == 200
    assert admin.delete(f"{SCHEDULING}/plans/{first['id']}").status_code == 204
    actions = _actions(factory, factory_org)
    # the seed: two profiles created, three orders' attributes created
    assert actions[:5] == [
        ("scheduling.profile.created", str(seeded.l1)),
        ("scheduling.profile.created", str(seeded.l2)),
        ("scheduling.order.created", str(seeded.orders["A"])),
        ("scheduling.order.created", str(seeded.orders["B"])),
        ("scheduling.order.created", str(seeded.orders["C"])),
    ]
    assert actions[5:] == [
        ("scheduling.plan.created", str(first["id"])),
        ("scheduling.plan.adopted", str(first["id"])),
        ("scheduling.whatif.created", str(scenario["id"])),
        ("scheduling.plan.superseded", str(first["id"])),
        ("scheduling.plan.adopted", str(scenario["id"])),
        ("scheduling.plan.discarded", str(first["id"])),
    ]
    # saving an unchanged profile records nothing
    same = {"categories": ["woven"], "operators": 1, "current_style": "ST"}
    assert admin.put(f"{SCHEDULING}/lines/{seeded.l1}", json=same).status_code == 200
    assert len(_actions(factory, factory_org)) == len(actions)


def test_adopted_order_windows(
    factory: Factory, factory_org: OrgRef, admin: TestClient, seeded: Seed
) -> None:
    plan = run_plan(admin)
    scope = system_scope(factory_org.id, OrgKind.ENTERPRISE, "test")
    with session_scope(factory.runtime.session_factory) as session:
        assert adopted_order_windows(session, scope) == {}  # nothing adopted yet
    assert admin.post(f"{SCHEDULING}/plans/{plan['id']}/adopt").status_code == 200
    with session_scope(factory.runtime.session_factory) as session:
        windows = adopted_order_windows(session, scope)

    # conftest: B Mon, A Tue–Wed, C Mon
    assert windows == {
        seeded.orders["A"]: (date(2026, 12, 8), date(2026, 12, 9)),
        seeded.orders["B"]: (date(2026, 12, 7), date(2026, 12, 7)),
        seeded.orders["C"]: (date(2026, 12, 7), date(2026, 12, 7)),
    }
