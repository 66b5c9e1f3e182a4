"""A pilot walked from application to 验收通过 and 市级样本 moves the dashboard's figures."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.db.session import session_scope
from loom.modules.assessment.planner.samples import sample_answers
from loom.modules.programme.models import Project
from loom.testing.factory import Factory
from tests.modules.programme.projects.helpers import Programme, after_answers, onsite, programme
from tests.modules.programme.targets.helpers import API, PAGES, by_id


def step(client: TestClient, project_id: int, action: str, reason: str = "") -> Any:
    """Take one lifecycle step over the API and return the project."""
    response = client.post(
        f"{API}/projects/{project_id}/transitions", json={"action": action, "reason": reason}
    )
    assert response.status_code == 200, response.text
    return response.json()


def walk(factory: Factory, p: Programme) -> int:
    """Take the pilot through every step to acceptance and a municipal sample (see projects)."""
    pid = int(
        p.bureau_client.post(f"{API}/projects", json={"application_id": p.application_id}).json()[
            "id"
        ]
    )
    p.bureau_client.patch(
        f"{API}/projects/{pid}",
        json={
            "contractor_org_id": p.contractor.id,
            "assessor_org_id": p.assessor.id,
            "contract_no": "HS-2024-001",
            "contract_signed_on": "2024-03-01",
        },
    )
    step(p.bureau_client, pid, "approve")
    before = onsite(p, "before", sample_answers())
    p.assessor_client.post(f"{API}/projects/{pid}/onsite", json={"assessment_id": before["id"]})
    with session_scope(factory.runtime.session_factory) as session:
        project = session.get(Project, pid)
        assert project is not None
        project.plan = {"target_level": 2, "options": ["mes"], "cost_fen": 38_000_000}
    step(p.contractor_client, pid, "start")
    p.firm_client.post(
        f"{API}/projects/{pid}/investment",
        json={"category": "software", "description": "MES", "amount_fen": 38_000_000},
    )
    step(p.firm_client, pid, "request_acceptance")
    after = onsite(p, "after", after_answers())
    p.assessor_client.post(f"{API}/projects/{pid}/onsite", json={"assessment_id": after["id"]})
    step(p.bureau_client, pid, "begin_review")
    decision = {
        "effect_score": 80,
        "integration_score": 75,
        "reform_score": 70,
        "io_ratio": "1.35",
        "decision": "pass",
        "reasons": "成效明显",
    }
    accepted = p.bureau_client.post(f"{API}/projects/{pid}/decision", json=decision)
    assert accepted.json()["status"] == "accepted", accepted.text
    step(p.bureau_client, pid, "designate_municipal_sample", "市级样本遴选")
    return pid


def test_walking_a_pilot_to_a_municipal_sample_moves_the_figures(factory: Factory) -> None:
    p = programme(factory)
    before = by_id(p.bureau_client.get(f"{API}/kpi").json())
    assert (before["all-pilots"]["actual"], before["municipal-samples-2025"]["actual"]) == (
        "0",
        "0",
    )
    pid = walk(factory, p)
    # as of today: the acceptance and the designation are dated by their steps, today
    payload = p.bureau_client.get(f"{API}/kpi").json()
    after = by_id(payload)
    for target_id in (
        "all-pilots",
        "all-pilots-apparel",
        "batch-1-pilots",
        "municipal-samples-2025",
    ):
        assert after[target_id]["ids"] == [pid], target_id
    assert after["batch-2-pilots"]["ids"] == []
    cells = {(c["batch"], c["sector"]): c["accepted"] for c in payload["pilots"]}
    assert cells[("batch-1", "apparel")] == 1
    # acceptance wrote the on-site level 2 into the registry: the pilot is above-scale apparel
    assert (after["level2-share"]["count"], after["level2-share"]["population"]) == (1, 1)
    page = p.bureau_client.get(f"{PAGES}/targets/municipal-samples-2025").text
    assert f'data-id="{pid}"' in page
