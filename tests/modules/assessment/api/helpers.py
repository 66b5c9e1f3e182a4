"""Shared helpers for the assessment API tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.assessment.planner.samples import sample_answers
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/assessment"


def enterprise(
    factory: Factory, slug: str = "acme", user: str = "boss"
) -> tuple[OrgRef, TestClient]:
    """Create an enterprise with a manager and return it with a logged-in client."""
    org = factory.org(slug, OrgKind.ENTERPRISE)
    factory.user(user, (org, Role.MANAGER))
    return org, factory.client(user)


def start(client: TestClient, phase: str = "before", **extra: Any) -> dict[str, Any]:
    """Start a self-assessment and return it."""
    body = {"phase": phase, "assessed_on": "2026-11-20", "title": f"{phase} check", **extra}
    response = client.post(f"{API}/assessments", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def answer_and_submit(
    client: TestClient, assessment_id: int, questionnaire: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Save the sample answers (or ``questionnaire``) and submit; return the assessment."""
    q = questionnaire or sample_answers()
    saved = client.put(
        f"{API}/assessments/{assessment_id}/answers",
        json={"answers": q["answers"], "scenes": q["scenes"]},
    )
    assert saved.status_code == 200, saved.text
    submitted = client.post(f"{API}/assessments/{assessment_id}/submit")
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())
