"""A pilot's project walked from application to acceptance and municipal sample, by API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from loom.modules.assessment.engine import score
from loom.modules.assessment.planner.samples import sample_answers
from loom.testing.factory import Factory
from tests.modules.programme.projects.helpers import API, after_answers, onsite, programme


def _step(client: TestClient, project_id: int, action: str, reason: str = "") -> Any:
    return client.post(
        f"{API}/projects/{project_id}/transitions", json={"action": action, "reason": reason}
    )


def _codes(response: Any) -> set[str]:
    return {d["field"] for d in response.json()["error"]["details"]}


def test_questionnaires_used_here_grade_as_the_tests_expect() -> None:
    # sample_answers: 30.3 points, graded 1 (its docstring); after_answers must reach 2
    assert score(sample_answers()).level == 1
    assert score(after_answers()).level == 2


def test_walk_from_application_to_municipal_sample(factory: Factory) -> None:
    p = programme(factory)
    made = p.bureau_client.post(f"{API}/projects", json={"application_id": p.application_id})
    assert made.status_code == 201, made.text
    project = made.json()
    pid = project["id"]
    assert (project["status"], project["batch"], project["deadline"]) == (
        "applied",
        "batch-1",
        "2024-12-31",  # batch 1 is due by the end of 2024 (plan 三)
    )
    # the tests run after 2024-12-31, so an open batch-1 project is flagged overdue
    assert project["overdue"] is True
    # approve needs a contractor
    refused = _step(p.bureau_client, pid, "approve")
    assert refused.status_code == 409
    assert _codes(refused) == {"no_contractor"}
    patched = p.bureau_client.patch(
        f"{API}/projects/{pid}",
        json={"contractor_org_id": p.contractor.id, "assessor_org_id": p.assessor.id},
    )
    assert patched.status_code == 200, patched.text
    assert _step(p.bureau_client, pid, "approve").json()["status"] == "approved"
    # the contractor now sees the project; start needs a contract, a plan and a baseline
    refused = _step(p.contractor_client, pid, "start")
    assert refused.status_code == 409
    assert _codes(refused) == {"contract_not_signed", "no_plan", "no_before_assessment"}
    before = onsite(p, "before", sample_answers())
    recorded = p.assessor_client.post(
        f"{API}/projects/{pid}/onsite", json={"assessment_id": before["id"]}
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["level"] == 1
    p.bureau_client.patch(
        f"{API}/projects/{pid}",
        json={"contract_no": "HS-2024-001", "contract_signed_on": "2024-03-01"},
    )
    _store_plan(factory, pid)
    started = _step(p.contractor_client, pid, "start")
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "in_progress"
    # acceptance needs investment
    assert _codes(_step(p.firm_client, pid, "request_acceptance")) == {"no_investment"}
    line = p.firm_client.post(
        f"{API}/projects/{pid}/investment",
        json={"category": "software", "description": "MES", "amount_fen": 38_000_000},
    )
    assert line.status_code == 201, line.text
    assert _step(p.firm_client, pid, "request_acceptance").json()["status"] == (
        "acceptance_requested"
    )
    # the review needs the on-site after-assessment; a level-1 one records but cannot pass
    assert _codes(_step(p.bureau_client, pid, "begin_review")) == {"no_onsite_after"}
    weak = onsite(p, "after", sample_answers())
    p.assessor_client.post(f"{API}/projects/{pid}/onsite", json={"assessment_id": weak["id"]})
    assert _step(p.bureau_client, pid, "begin_review").json()["status"] == "onsite_review"
    decision = {
        "effect_score": 80,
        "integration_score": 75,
        "reform_score": 70,
        "io_ratio": "1.35",
        "decision": "pass",
        "reasons": "成效明显",
    }
    refused = p.bureau_client.post(f"{API}/projects/{pid}/decision", json=decision)
    assert refused.status_code == 409
    assert _codes(refused) == {"level_below_minimum"}
    # the refusal rolled back: no evaluation was kept, the project is still under review
    assert p.bureau_client.get(f"{API}/projects/{pid}").json()["status"] == "onsite_review"
    strong = onsite(p, "after", after_answers())
    p.assessor_client.post(f"{API}/projects/{pid}/onsite", json={"assessment_id": strong["id"]})
    accepted = p.bureau_client.post(f"{API}/projects/{pid}/decision", json=decision)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["overdue"] is False  # accepted projects are never overdue
    honoured = _step(p.bureau_client, pid, "designate_municipal_sample", "市级样本遴选")
    assert honoured.json()["honours"] == ["municipal_sample"]
    again = _step(p.bureau_client, pid, "designate_municipal_sample", "twice")
    assert _codes(again) == {"already_designated"}
    history = [(h["action"], h["to_status"]) for h in honoured.json()["history"]]
    assert history == [
        ("approve", "approved"),
        ("start", "in_progress"),
        ("request_acceptance", "acceptance_requested"),
        ("begin_review", "onsite_review"),
        ("accept", "accepted"),
        ("designate_municipal_sample", "accepted"),
    ]


def _store_plan(factory: Factory, project_id: int) -> None:
    from loom.kernel.db.session import session_scope
    from loom.modules.programme.models import Project

    with session_scope(factory.runtime.session_factory) as session:
        project = session.get(Project, project_id)
        assert project is not None
        project.plan = {"target_level": 2, "options": ["mes"], "cost_fen": 38_000_000}


def test_parties_cannot_take_the_bureaus_steps(factory: Factory) -> None:
    p = programme(factory)
    pid = p.bureau_client.post(f"{API}/projects", json={"application_id": p.application_id}).json()[
        "id"
    ]
    p.bureau_client.patch(f"{API}/projects/{pid}", json={"contractor_org_id": p.contractor.id})
    # the contractor takes part in the project but may not approve it
    assert _step(p.contractor_client, pid, "approve").status_code == 403
    # the enterprise of another programme does not even see it
    other = programme(factory, "zz")
    assert other.firm_client.get(f"{API}/projects/{pid}").status_code == 404
    assert other.bureau_client.get(f"{API}/projects/{pid}").status_code == 404


def test_the_project_list_pages(factory: Factory) -> None:
    # the list answered 500 once: its page lacked next_offset (found by the generated leak test)
    p = programme(factory)
    empty = p.bureau_client.get(f"{API}/projects")
    assert empty.status_code == 200, empty.text
    assert empty.json() == {"items": [], "total": 0, "offset": 0, "limit": 50, "next_offset": None}
    p.bureau_client.post(f"{API}/projects", json={"application_id": p.application_id})
    first = p.bureau_client.get(f"{API}/projects", params={"limit": 1}).json()
    # one project and a page of one: nothing after it
    assert (first["total"], first["next_offset"]) == (1, None)
