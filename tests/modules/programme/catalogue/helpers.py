"""People, products, projects and assessments shared by the catalogue tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.assessment.app import HERE as ASSESSMENT_HERE
from loom.modules.programme.app import HERE
from loom.modules.programme.models import Enterprise, PilotApplication
from loom.modules.programme.registry import make_code
from loom.modules.programme.service import projects
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/programme"
PAGES = "/apps/programme"
ASSESSMENT_API = "/api/v1/assessment"
CATALOGUES = Catalogues(
    [KERNEL_TRANSLATIONS, ASSESSMENT_HERE / "translations", HERE / "translations"]
)


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


@dataclass
class District:
    """A bureau, two contractors and an enterprise, each with a logged-in manager."""

    bureau: OrgRef
    alpha: OrgRef
    beta: OrgRef
    firm: OrgRef
    bureau_client: TestClient
    alpha_client: TestClient
    beta_client: TestClient
    firm_client: TestClient


def district(factory: Factory, tag: str = "") -> District:
    """Create the district's organisations and their managers."""
    bureau = factory.org(f"bureau{tag}", OrgKind.BUREAU, name=f"海曙区经信局{tag}")
    alpha = factory.org(f"alpha{tag}", OrgKind.CONTRACTOR, name=f"甬科数智{tag}")
    beta = factory.org(f"beta{tag}", OrgKind.CONTRACTOR, name=f"衣联软件{tag}")
    firm = factory.org(f"firm{tag}", OrgKind.ENTERPRISE, name=f"海曙服饰{tag}")
    clients = []
    for org in (bureau, alpha, beta, firm):
        factory.user(f"{org.slug}-lead", (org, Role.MANAGER))
        clients.append(factory.client(f"{org.slug}-lead"))
    return District(bureau, alpha, beta, firm, *clients)


def product_body(name: str = "车间设备点检小程序", **changes: Any) -> dict[str, Any]:
    """Return a valid product as the API takes it."""
    body: dict[str, Any] = {
        "name": name,
        "price": "9800.00",
        "delivery_weeks": 2,
        "deployment": "cloud",
        "scenario_code": "N05",
        "description": "扫码点检、保养提醒",
        "scenes": {"S09": 2},
        "indicators": {"B4": ["J"]},
    }
    body.update(changes)
    return body


def publish(client: TestClient, **changes: Any) -> dict[str, Any]:
    """Publish a product through the API and return it."""
    response = client.post(f"{API}/products", json=product_body(**changes))
    assert response.status_code == 201, response.text
    return dict(response.json())


@contextmanager
def service_session(factory: Factory, org: OrgRef) -> Iterator[tuple[Session, Scope]]:
    """Yield a committed-on-exit session bound to a system scope of ``org``."""
    with session_scope(factory.runtime.session_factory) as session:
        scope = system_scope(org.id, org.kind, "test")
        bind_scope(session, scope)
        yield session, scope


def audit_actions(
    factory: Factory, org: OrgRef, target_id: object, target_type: str = "product"
) -> list[str]:
    """Return the actions recorded in ``org``'s chain about one target, oldest first."""
    with session_scope(factory.runtime.session_factory) as session:
        stmt = (
            select(AuditEvent.action)
            .where(
                AuditEvent.org_id == org.id,
                AuditEvent.target_type == target_type,
                AuditEvent.target_id == str(target_id),
            )
            .order_by(AuditEvent.seq)
        )
        return list(session.scalars(stmt))


def project_of(factory: Factory, d: District, n: int = 1) -> int:
    """Register the enterprise, select it as a pilot and open its project with contractor alpha."""
    with service_session(factory, d.bureau) as (session, scope):
        enterprise = Enterprise(
            org_id=d.bureau.id,
            name=f"海曙服饰{n}",
            credit_code=make_code(f"91330203MA2{n:05d}"),
            sector="apparel",
            size="above",
            enterprise_org_id=d.firm.id,
        )
        session.add(enterprise)
        session.flush()
        application = PilotApplication(
            org_id=d.bureau.id,
            enterprise_id=enterprise.id,
            enterprise_org_id=d.firm.id,
            sector="apparel",
            status="selected",
            batch="batch1",
        )
        session.add(application)
        session.flush()
        project = projects.create(session, scope, application_id=application.id)
        projects.update(
            session, scope, project.id, projects.ProjectChanges(contractor_org_id=d.alpha.id)
        )
        return project.id


def submitted_assessment(client: TestClient, questionnaire: dict[str, Any]) -> int:
    """Start, answer and submit a self-assessment through the API; return its id."""
    made = client.post(
        f"{ASSESSMENT_API}/assessments",
        json={"phase": "before", "assessed_on": "2026-03-02", "title": "改造前自评"},
    )
    assert made.status_code == 201, made.text
    assessment_id = int(made.json()["id"])
    saved = client.put(
        f"{ASSESSMENT_API}/assessments/{assessment_id}/answers",
        json={"answers": questionnaire["answers"], "scenes": questionnaire["scenes"]},
    )
    assert saved.status_code == 200, saved.text
    done = client.post(f"{ASSESSMENT_API}/assessments/{assessment_id}/submit")
    assert done.status_code == 200, done.text
    return assessment_id


def one_scene_short() -> dict[str, Any]:
    """Return answers scoring 40.0 points with one constrained scene short of level 2.

    The sample SME improved by the reference catalogue's cheapest plan (the assessment tests'
    ``improved_answers``: 40.0 points, six scenes at 2 of which three constrained) but with S08
    back at level 1: five scenes at 2, two constrained (S03, S13), so level 1. Level 2 needs
    40 points, six scenes and three constrained scenes at level 2 or above.
    """
    from tests.modules.assessment.pages.helpers import improved_answers

    questionnaire = improved_answers()
    questionnaire["scenes"]["S08"] = 1
    return questionnaire
