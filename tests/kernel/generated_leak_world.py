"""The two-organisation world of the generated leak test: A's side seeded in every module and app.

A is the browser tests' small demo (a bureau, two garment factories, a contractor and an
assessor), topped up through the apps' own APIs with what that seed leaves empty; rows made
here carry "LKA" (or "LKS") in their codes and names. B is one fresh organisation of each kind,
with an admin and every app its kind may use switched on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from loom.demo import DEMO_PASSWORD, seed_demo
from loom.demo.accounts import bound, scope_of
from loom.demo.factories import Floor
from loom.demo.floorapps import seed_energy, seed_quality
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.enablement import set_enabled
from loom.kernel.plugins.spec import SHARING_CATEGORIES
from loom.kernel.tenancy.models import Organisation, OrgKind, Role
from loom.modules.brain.service.consent import set_consent
from loom.modules.masterdata.models import ProductionLine
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.models import Quarantined
from loom.testing.factory import TEST_PASSWORD, Factory, login
from tests.apps.balancing.helpers import make_shop, plan_body
from tests.apps.scheduling.plans.conftest import run_plan
from tests.apps.scheduling.plans.conftest import seed_factory as scheduling_floor

#: A's garment factory: the demo's own, with the shop floor, machines and defects
FACTORY = "yongfeng-apparel"
#: the demo's logins of A's organisations
A_LOGINS = {
    OrgKind.BUREAU: "bureau",
    OrgKind.ENTERPRISE: "factory",
    OrgKind.CONTRACTOR: "contractor",
    OrgKind.ASSESSOR: "assessor",
}


@dataclass
class World:
    """A's organisation ids (every org the demo made) and B's clients by kind."""

    a_org_ids: list[int]
    b_org_ids: dict[OrgKind, int]
    b_clients: dict[OrgKind, TestClient]


def _ok(response: Any, *codes: int) -> Any:
    assert response.status_code in (codes or (200, 201)), response.text
    return response.json() if response.content else None


def _client(app: FastAPI, username: str, password: str) -> TestClient:
    # a 500 must come back as a response the test can report, not as an exception mid-walk
    client = TestClient(app, raise_server_exceptions=False)
    login(client, username, password)
    return client


def _seed_services(app: FastAPI) -> None:
    runtime = app.state.loom
    today = datetime.now(LOCAL_TZ).date()
    with session_scope(runtime.session_factory) as session:
        seed_demo(session, secret_key=runtime.settings.secret_key)
        orgs = {o.slug: o for o in session.scalars(select(Organisation))}
        for slug in ("yongfeng-apparel", "siming-knitwear", "lihua-garments"):
            # three sharers: the brain's indices need three enterprises to show anything
            with bound(session, scope_of(orgs[slug], "consent")) as scope:
                for category in SHARING_CATEGORIES:
                    set_consent(session, scope, category, "daily")
        factory = orgs[FACTORY]
        with bound(session, scope_of(factory, "apps")) as scope:
            seed_quality(session, scope, today, datetime.now(LOCAL_TZ))
            lines = session.scalars(
                select(ProductionLine.id).where(ProductionLine.org_id == factory.id)
            ).all()
            floor = Floor(factory.slug, "LKA", ("TEE",), lines=list(lines))
            seed_energy(session, scope, floor, today, days=2)
            # a scan the engine could not apply, waiting for a supervisor
            session.add(
                Quarantined(
                    org_id=factory.id, reason="unknown_bundle", detail="LKA quarantined scan"
                )
            )


def _seed_factory_apis(client: TestClient, siming_id: int) -> None:
    """Give A's factory what the demo seed leaves empty, through the apps' APIs."""
    shop = make_shop(client, tag="-LKA")
    plan = _ok(client.post("/api/v1/balancing/plans", json=plan_body(shop, name="LKA balance")))
    _ok(client.post(f"/api/v1/balancing/plans/{plan['id']}/publish"))
    floor = scheduling_floor(client, tag="-LKS")
    run_plan(client)
    _ok(client.post("/api/v1/scheduling/milestones/derive", json={}))
    md = "/api/v1/masterdata"
    station = {"code": "WS-LKA", "seq": 1, "machine_type": "lockstitch", "device_code": ""}
    _ok(client.post(f"{md}/lines/{shop.line_id}/workstations", json=station))
    material = {"material_code": "FAB-LKA", "material_name": "LKA面料", "kind": "fabric"}
    bom = {"lines": [{**material, "unit": "m", "consumption": {"M": "1.2"}}]}
    _ok(client.put(f"{md}/styles/{shop.style_id}/bom", json=bom))
    aql = {
        "order_id": floor.orders["A"],
        "lot_size": 500,
        "level": "II",
        "aql_major": "2.5",
        "aql_minor": "4.0",
    }
    _ok(client.post("/api/v1/quality/aql", json=aql))
    _ok(client.put("/api/v1/energy/revenue", json={"month": "2025-01-01", "amount": "5"}))
    job = {
        "partner": "LKA Embroidery",
        "process": "embroidery",
        "reference": "LKA-2041",
        "qty_sent": 100,
        "sent_on": (date.today() - timedelta(days=3)).isoformat(),
        "due_on": (date.today() + timedelta(days=7)).isoformat(),
    }
    made = _ok(client.post("/api/v1/subcontract/jobs", json=job))
    receipt = {"qty_received": 3, "qty_defective": 1, "received_on": date.today().isoformat()}
    _ok(client.post(f"/api/v1/subcontract/jobs/{made['id']}/receipts", json=receipt))
    order = {
        "category": "shirts",
        "quantity": 1000,
        "due_date": (date.today() + timedelta(days=14)).isoformat(),
        "max_dhu_pct": 3,
        "style_name": "LKA Oxford shirt",
        "quantities": {"navy": {"M": 600, "L": 400}},
    }
    posted = _ok(client.post("/api/v1/matching/orders", json=order))
    invite = {"factory_org_ids": [siming_id]}
    _ok(client.post(f"/api/v1/matching/orders/{posted['order']['id']}/invitations", json=invite))
    token = {"name": "LKA token", "permissions": ["masterdata.style.read"], "days": 30}
    _ok(client.post("/api/v1/tokens", json=token))


def _seed_self_assessment(client: TestClient) -> None:
    """Start a self-assessment of A's factory with a piece of evidence."""
    body = {"phase": "before", "assessed_on": "2026-11-20", "title": "LKA self check"}
    assessment = _ok(client.post("/api/v1/assessment/assessments", json=body), 201)
    _ok(
        client.post(
            f"/api/v1/assessment/assessments/{assessment['id']}/evidence",
            data={"item": "B2"},
            files={"file": ("LKA台账.pdf", b"%PDF-1.4 LKA evidence", "application/pdf")},
        ),
        201,
    )


def _seed_bureau_apis(client: TestClient) -> None:
    """Give A's bureau survey needs, a scenario, published lists, a write-up and a payment."""
    api = "/api/v1/programme"
    entry = _ok(client.get(f"{api}/registry"))["items"][0]
    need = {
        "enterprise_id": entry["id"],
        "stage": "manufacturing",
        "problem": "LKA在制品数量靠人工盘点",
        "need_key": "bundle-scan",
        "need_title": "LKA扎包扫码报工",
        "scenario_code": "",
    }
    _ok(client.post(f"{api}/needs/survey", json=need), 201)
    scenario = {
        "code": "N01",
        "title": "LKA生产进度透明",
        "sector": "apparel",
        "stage": "manufacturing",
        "scenes": {"S05": 2, "S06": 1},
        "description": "LKA扎包扫码、在制品看板",
    }
    _ok(client.post(f"{api}/needs/scenarios", json=scenario), 201)
    _ok(client.post(f"{api}/needs/lists", json={"sector": "apparel"}), 201)
    projects = _ok(client.get(f"{api}/projects", params={"status": "accepted"}))["items"]
    write_up = {
        "title": "LKA以数据驱动排产的工厂",
        "problem": "LKA订单多、批量小",
        "solution": "LKA上线计划排产与吊挂扫码",
        "results": "LKA准时交货率明显提升",
        "figures": [{"label": "LKA准时交货率", "before": "82.5", "after": "95", "unit": "%"}],
    }
    _ok(client.put(f"{api}/showcase/{projects[0]['id']}", json=write_up))
    award = _ok(client.get("/api/v1/subsidy/awards"))["items"][0]
    payment = {"funder": "city", "amount": "1", "paid_on": "2025-12-01", "reference": "LKA-PAY"}
    _ok(client.post(f"/api/v1/subsidy/awards/{award['id']}/payments", json=payment), 201)


def _make_b(app: FastAPI, factory: Factory) -> tuple[dict[OrgKind, int], dict[OrgKind, TestClient]]:
    runtime = app.state.loom
    ids: dict[OrgKind, int] = {}
    clients: dict[OrgKind, TestClient] = {}
    for kind in OrgKind:
        ref = factory.org(f"leak-b-{kind.value}", kind, name=f"Org B {kind.value}")
        factory.user(f"bob-{kind.value}", (ref, Role.ADMIN))
        with session_scope(runtime.session_factory) as session:
            org = session.get(Organisation, ref.id)
            assert org is not None
            scope = system_scope(org.id, org.kind, "test")
            with acting_as(session, scope):
                for spec in runtime.apps.values():
                    if kind in spec.org_kinds:
                        set_enabled(session, scope, org, spec, True)
        ids[kind] = ref.id
        clients[kind] = _client(app, f"bob-{kind.value}", TEST_PASSWORD)
    return ids, clients


def build_world(app: FastAPI) -> World:
    """Seed A's side in every module and app, then make B's organisations and clients."""
    _seed_services(app)
    with session_scope(app.state.loom.session_factory) as session:
        orgs = {o.slug: o.id for o in session.scalars(select(Organisation))}
    factory_client = _client(app, A_LOGINS[OrgKind.ENTERPRISE], DEMO_PASSWORD)
    _seed_factory_apis(factory_client, orgs["siming-knitwear"])
    _seed_bureau_apis(_client(app, A_LOGINS[OrgKind.BUREAU], DEMO_PASSWORD))
    _seed_self_assessment(factory_client)
    b_ids, b_clients = _make_b(app, Factory(app))
    return World(sorted(orgs.values()), b_ids, b_clients)
