"""The equipment app's evidence for scene S08 (设备管理), and where the assessment shows it."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.apps.equipment.service.evidence import equipment_evidence
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair
from tests.apps.equipment.test_inspection_rounds import checklist, walk
from tests.apps.equipment.test_maintenance_api import API, machine, plan
from tests.modules.assessment.pages.helpers import BASE, start


def _serve_once(client: TestClient) -> None:
    """Give the enterprise a ledger, a plan served once and a spot inspection."""
    m = machine(client, "M-01")
    machine(client, "M-02")
    made = plan(client)
    order = client.post(f"{API}/plans/{made['id']}/machines/{m}/work-orders").json()
    client.post(f"{API}/work-orders/{order['id']}/start")
    closed = client.post(f"{API}/work-orders/{order['id']}/close", json={"downtime_minutes": 30})
    assert closed.status_code == 200, closed.text
    checklist(client)
    assert walk(client, m, (True, ""), (True, ""), (True, "")).status_code == 201


def test_levels_follow_the_ledger_maintenance_and_telemetry(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    scope_a = system_scope(pair.a.id, OrgKind.ENTERPRISE, "t")
    scope_b = system_scope(pair.b.id, OrgKind.ENTERPRISE, "t")
    with session_scope(loom_app.state.loom.session_factory) as s:
        assert equipment_evidence(s, scope_a) == []  # nothing to show yet
    machine(pair.client_b, "B-01")
    _serve_once(pair.client_a)
    with session_scope(loom_app.state.loom.session_factory) as s:
        [a] = equipment_evidence(s, scope_a)
        [b] = equipment_evidence(s, scope_b)
    # A: a plan, a preventive order closed on its due day (today), a round on 1 of 2 machines
    assert (a.item_id, a.suggested_level) == ("S08", 2)
    assert a.details["preventive_closed"] == 1
    assert a.details["on_time_pct"] == 100
    assert a.details["inspection_coverage_pct"] == 50
    assert a.details["telemetry_machines"] == 0
    assert "spot inspections on 1 of 2 machines (50%, 1 rounds)" in a.summary
    # B: a ledger only, and none of A's figures
    assert (b.item_id, b.suggested_level) == ("S08", 1)
    assert b.details["machines"] == 1
    assert b.details["plans"] == 0


def test_the_questionnaire_shows_it_next_to_scene_s08(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    _serve_once(pair.client_a)
    assessment = start(pair.client_a)
    page = pair.client_a.get(f"{BASE}/{assessment}")
    assert page.status_code == 200
    block = page.text.split('data-testid="platform-S08"', 1)[1].split("</div>", 1)[0]
    assert "Machine ledger of 2 machines in service" in block
    assert "(equipment)" in block
    other = page.text.split('data-testid="platform-S07"', 1)[1].split("</div>", 1)[0]
    assert "Machine ledger" not in other
    # B's questionnaire shows nothing of A's machines
    b_page = pair.client_b.get(f"{BASE}/{start(pair.client_b)}")
    b_block = b_page.text.split('data-testid="platform-S08"', 1)[1].split("</div>", 1)[0]
    assert "Machine ledger" not in b_block
