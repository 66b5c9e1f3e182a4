"""The app's evidence for the national assessment: scene S07 质量管理 and indicator R2."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.apps.quality.service.evidence import quality_evidence
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.engine.figures import local_today
from loom.testing.factory import Factory, OrgRef
from loom.testing.leak import make_tenant_pair
from tests.apps.quality.seed import API, created, seed_catalogue, seed_factory


def _at(days_ago: int) -> str:
    """Return 10:00 Beijing time ``days_ago`` factory days ago, as ISO UTC."""
    day = local_today(utcnow()) - timedelta(days=days_ago)
    return datetime.combine(day, time(10), LOCAL_TZ).astimezone(UTC).isoformat()


def _record(
    client: TestClient, ids: dict[str, int], days_ago: int, bundle: int | None, defects: int
) -> None:
    body = {
        "kind": "inline",
        "line_id": ids["L01"],
        "operation_id": ids["OP-10"],
        "bundle_no": bundle,
        "pieces_checked": 10,
        "defects": [{"code": "SKIP", "qty": defects}] if defects else [],
        "inspected_at": _at(days_ago),
    }
    created(client, f"{API}/inspections", body)


def _evidence(app: FastAPI, org_id: int) -> dict[str, object]:
    with session_scope(app.state.loom.session_factory) as s:
        found = quality_evidence(s, system_scope(org_id, OrgKind.ENTERPRISE, "t"))
    return {e.item_id: e for e in found}


def test_no_inspections_no_evidence(loom_app: FastAPI, factory_org: OrgRef) -> None:
    assert _evidence(loom_app, factory_org.id) == {}


def test_routine_traced_inspections_suggest_level_three(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    # 20 inspections on 5 days of the window: 10 on bundle 1 (OP-10 scanned by W1: traced),
    # 10 without a bundle; 2 defects in 10 pieces early in the window, 1 late
    for n in range(20):
        days_ago = 80 - (n % 5) if n < 10 else 10 - (n % 5)
        _record(admin, ids, days_ago, 1 if n % 2 == 0 else None, 2 if n < 10 else 1)
    _record(admin, ids, 200, 1, 5)  # outside the 90 days
    found = _evidence(loom_app, factory_org.id)
    scene = found["S07"]
    # 10 traced of 20, on 10 different days → routine (≥ 20 on ≥ 5 days) with traceability
    assert scene.suggested_level == 3  # type: ignore[attr-defined]
    details = scene.details  # type: ignore[attr-defined]
    assert (details["inspections"], details["days"], details["traced"]) == (20, 10, 10)
    # first half: 10 × 2 defects in 100 pieces = 20.00; second half 10 × 1 / 100 = 10.00
    assert (details["dhu_first_half"], details["dhu_second_half"]) == ("20.00", "10.00")
    assert "R2" not in found  # no end-of-line inspection: no pass rate


def test_a_few_records_suggest_level_one_and_end_of_line_gives_pass_rates(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    body = {
        "kind": "endline",
        "line_id": ids["L01"],
        "pieces_checked": 40,
        "defective_pieces": 2,
        "defects": [{"code": "STAI", "qty": 3}],
        "inspected_at": _at(1),
    }
    created(admin, f"{API}/inspections", body)
    found = _evidence(loom_app, factory_org.id)
    assert found["S07"].suggested_level == 1  # type: ignore[attr-defined]
    month = local_today(utcnow()) - timedelta(days=1)
    # 38 of 40 pieces passed: 95.0 %
    assert found["R2"].details == {"monthly_pass_rate": {month.strftime("%Y-%m"): "95.0"}}  # type: ignore[attr-defined]


def test_the_questionnaire_shows_it_next_to_the_quality_scene(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    ids = seed_factory(loom_app, pair.a.id)
    seed_catalogue(pair.client_a)
    _record(pair.client_a, ids, 1, 1, 1)
    for client in (pair.client_a, pair.client_b):
        made = client.post(
            "/api/v1/assessment/assessments", json={"phase": "before", "assessed_on": "2026-11-20"}
        )
        assert made.status_code == 201, made.text
        page = client.get(f"/apps/assessment/{made.json()['id']}")
        assert page.status_code == 200
        block = re.search(r'data-testid="platform-S07">(.*?)</div>', page.text, re.S)
        assert block is not None
        if client is pair.client_a:
            assert "1 inspections (1 inline, 0 end-of-line)" in block.group(1)
            assert "(quality)" in block.group(1)
        else:  # B recorded nothing: no platform data for its quality scene
            assert "(quality)" not in block.group(1)
