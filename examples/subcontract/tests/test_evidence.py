"""The app's evidence provider for the national assessment (scene S11 采购管理)."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import FastAPI

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.service.evidence import platform_evidence
from loom.testing.factory import Factory
from loom.testing.leak import make_tenant_pair
from loom_subcontract.evidence import purchase_evidence
from tests.helpers import add_receipt, create_job


def _recent(days_ago: int) -> date:
    return date.today() - timedelta(days=days_ago)


def test_no_jobs_no_evidence(loom_app: FastAPI, factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    with session_scope(loom_app.state.loom.session_factory) as s:
        assert purchase_evidence(s, system_scope(pair.a.id, OrgKind.ENTERPRISE, "t")) == []


def test_routine_use_suggests_level_two_and_counts_only_own_recent_jobs(
    loom_app: FastAPI, factory: Factory
) -> None:
    pair = make_tenant_pair(factory)
    # 10 recent jobs with one return: routine use of a system -> level 2 (ROUTINE_JOBS = 10).
    ids = [
        create_job(pair.client_a, sent_on=_recent(5), due_on=_recent(1))["id"] for _ in range(10)
    ]
    add_receipt(pair.client_a, ids[0], received=10, on=_recent(2))
    create_job(pair.client_a, sent_on=_recent(200), due_on=_recent(150))  # outside 90 days
    create_job(pair.client_b, sent_on=_recent(3), due_on=_recent(1))  # another organisation's
    with session_scope(loom_app.state.loom.session_factory) as s:
        found = purchase_evidence(s, system_scope(pair.a.id, OrgKind.ENTERPRISE, "t"))
        found_b = purchase_evidence(s, system_scope(pair.b.id, OrgKind.ENTERPRISE, "t"))
    assert [(e.item_id, e.suggested_level) for e in found] == [("S11", 2)]
    assert found[0].details == {"jobs": 10, "receipts": 1, "window_days": 90}
    # B has one recent job and no returns: records kept, not yet routine -> level 1.
    assert [(e.item_id, e.suggested_level) for e in found_b] == [("S11", 1)]


def test_the_assessment_module_shows_it_next_to_the_scene(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    create_job(pair.client_a, sent_on=_recent(5), due_on=_recent(1))
    made = pair.client_a.post(
        "/api/v1/assessment/assessments", json={"phase": "before", "assessed_on": "2026-11-20"}
    )
    assert made.status_code == 201, made.text
    app = pair.client_a.app
    with session_scope(app.state.loom.session_factory) as s:  # type: ignore[attr-defined]
        assessment = s.get(Assessment, made.json()["id"])
        assert assessment is not None
        scope = system_scope(pair.a.id, OrgKind.ENTERPRISE, "t")
        shown = platform_evidence(s, scope, app.state.loom.apps, assessment)  # type: ignore[attr-defined]
    assert [(p.app, p.evidence.item_id) for p in shown["S11"]] == [("subcontract", "S11")]
