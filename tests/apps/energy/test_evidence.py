"""The assessment questionnaire shows what the energy app proves for S10 能耗管理 and R1."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from loom.apps.energy.service.ingest import handle_meter_records
from loom.apps.energy.service.times import local_today
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.testing.factory import Factory, OrgRef
from tests.apps.energy.helpers import API, add_meter, read
from tests.modules.assessment.pages.helpers import BASE, start, zh


def _platform(page: str, item: str) -> str:
    return page.split(f'data-testid="platform-{item}">', 1)[1].split("</div>", 1)[0]


def test_questionnaire_shows_energy_evidence(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    assessment = start(admin)
    empty = admin.get(f"{BASE}/{assessment}").text
    assert "(energy)" not in _platform(empty, "S10")

    today = local_today()
    day = (today - timedelta(days=10)).isoformat()
    later = (today - timedelta(days=9)).isoformat()
    meter = add_meter(admin)
    water = add_meter(admin, code="W-1", kind="water", multiplier="1")
    read(admin, meter["id"], f"{day}T08:00", "100")
    read(admin, meter["id"], f"{later}T08:00", "150")  # 50 × 40 = 2 000 kWh = 245.8 kgce
    read(admin, water["id"], f"{day}T08:00", "7")
    page = admin.get(f"{BASE}/{assessment}").text
    s10 = _platform(page, "S10")
    # two kinds read by hand in the window: information-system records, level 2
    assert "3 meter readings of electricity (kWh), water (t)" in s10
    assert "(energy)" in s10
    assert zh("suggests level %(n)s", n=2) in s10

    # a metering device this week makes it real-time collection: level 3
    scope = system_scope(factory_org.id, OrgKind.ENTERPRISE, "test")
    now = f"{(today - timedelta(days=1)).isoformat()}T08:00:00+08:00"
    with session_scope(factory.runtime.session_factory) as s:
        record = {"id": "d1", "meter": "E-MAIN", "ts": now, "value": 160}
        assert handle_meter_records(s, scope, [record]).accepted == 1
    evidence = admin.get(f"{BASE}/{assessment}").text
    assert "1 of them from metering devices" in _platform(evidence, "S10")
    assert zh("suggests level %(n)s", n=3) in _platform(evidence, "S10")

    # R1: the periods the enterprise chose (the month of the first readings, this month)
    periods = {
        "before_from": f"{day[:7]}",
        "before_to": f"{day[:7]}",
        "after_from": f"{today:%Y-%m}",
        "after_to": f"{today:%Y-%m}",
    }
    assert admin.put("/api/v1/apps/energy/settings", json=periods).status_code == 200
    for month in {day[:7], f"{today:%Y-%m}"}:
        saved = admin.put(f"{API}/revenue", json={"month": f"{month}-01", "amount": "100000"})
        assert saved.status_code == 200
    r1 = _platform(admin.get(f"{BASE}/{assessment}").text, "R1")
    # 2 000 kWh × 0.1229 = 245.8 kgce, all in the after period (or both, in the same month)
    assert "Energy per 100 CNY of revenue" in r1
    assert "tce" in r1
    assert "option" in r1
    assert "(energy)" in r1
