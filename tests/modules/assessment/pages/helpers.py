"""Shared helpers for the assessment page tests: people, forms and translations."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.assessment.app import HERE
from loom.modules.assessment.planner.samples import sample_answers
from loom.testing.factory import Factory, OrgRef

BASE = "/apps/assessment"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def enterprise(
    factory: Factory, slug: str = "acme", user: str = "boss"
) -> tuple[OrgRef, TestClient]:
    """Create an enterprise with a manager and return it with a logged-in client."""
    org = factory.org(slug, OrgKind.ENTERPRISE, name=f"{slug} 服饰")
    factory.user(user, (org, Role.MANAGER))
    return org, factory.client(user)


def form_of(questionnaire: dict[str, Any], action: str = "submit") -> dict[str, Any]:
    """Return the questionnaire form fields that answer ``questionnaire``."""
    data: dict[str, Any] = {"action": action, "note": ""}
    for key, value in questionnaire["answers"].items():
        if isinstance(value, dict):
            data.update({f"r.{key}.{field}": str(n) for field, n in value.items()})
        else:
            data[f"a.{key}"] = value
    data.update({f"s.{key}": str(level) for key, level in questionnaire["scenes"].items()})
    return data


def start(
    client: TestClient, phase: str = "before", title: str = "改造前自评", **extra: str
) -> int:
    """Start an assessment through the form and return its id."""
    body = {"phase": phase, "assessed_on": "2026-03-02", "title": title, **extra}
    response = client.post(f"{BASE}/new", data=body, follow_redirects=False)
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def submit(
    client: TestClient, assessment_id: int, questionnaire: dict[str, Any] | None = None
) -> Any:
    """Post the full sample (or ``questionnaire``) and submit; return the response."""
    data = form_of(questionnaire or sample_answers())
    return client.post(f"{BASE}/{assessment_id}", data=data, follow_redirects=False)


def submitted(
    client: TestClient, phase: str = "before", questionnaire: dict[str, Any] | None = None
) -> int:
    """Start, fill in and submit an assessment; return its id."""
    assessment_id = start(client, phase, title=f"{phase} 自评")
    response = submit(client, assessment_id, questionnaire)
    assert response.status_code == 303, response.text
    return assessment_id


def improved_answers() -> dict[str, Any]:
    """Return the sample after the planner's cheapest level-2 plan: 40.0 points, level 2."""
    q = sample_answers()
    q["answers"].update(
        {
            "B4": ["D", "I", "N", "O"],
            "B6": ["B", "C"],
            "B7": ["B", "C"],
            "M2": ["B", "C", "D"],
            "M3": ["B", "C", "D"],
        }
    )
    q["scenes"]["S08"] = 2
    return q
