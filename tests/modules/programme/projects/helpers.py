"""A small programme for the project tests: a bureau, a pilot, its contractor and assessor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.assessment.planner.samples import sample_answers_after
from loom.modules.programme.models import Enterprise, PilotApplication
from loom.modules.programme.registry.creditcode import make_code
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/programme"
ASSESS = "/api/v1/assessment"


@dataclass
class Programme:
    """The organisations and logged-in clients of one pilot's project."""

    bureau: OrgRef
    firm: OrgRef
    contractor: OrgRef
    assessor: OrgRef
    bureau_client: TestClient
    firm_client: TestClient
    contractor_client: TestClient
    assessor_client: TestClient
    application_id: int


def after_answers() -> dict[str, Any]:
    """Return the sample SME after transformation: level 2 (checked by a test)."""
    return sample_answers_after()


def programme(factory: Factory, slug: str = "hs") -> Programme:
    """Create the parties, a registry entry and a selected pilot application of batch 1."""
    bureau = factory.org(f"{slug}-bureau", OrgKind.BUREAU)
    firm = factory.org(f"{slug}-firm", OrgKind.ENTERPRISE)
    contractor = factory.org(f"{slug}-builder", OrgKind.CONTRACTOR)
    assessor = factory.org(f"{slug}-assessor", OrgKind.ASSESSOR)
    for org, user in ((bureau, "clerk"), (firm, "boss"), (contractor, "pm"), (assessor, "expert")):
        factory.user(f"{slug}-{user}", (org, Role.MANAGER))
    with session_scope(factory.runtime.session_factory) as session:
        application_id = _pilot(session, bureau, firm, slug)
    return Programme(
        bureau,
        firm,
        contractor,
        assessor,
        factory.client(f"{slug}-clerk"),
        factory.client(f"{slug}-boss"),
        factory.client(f"{slug}-pm"),
        factory.client(f"{slug}-expert"),
        application_id,
    )


def _pilot(session: Session, bureau: OrgRef, firm: OrgRef, slug: str) -> int:
    enterprise = Enterprise(
        org_id=bureau.id,
        name="宁波测试服饰有限公司",
        credit_code=make_code("91330203MA2AB12" + str(sum(map(ord, slug)) % 10)),
        sector="apparel",
        size="above",
        town="石碶街道",
        employees=180,
        enterprise_org_id=firm.id,
    )
    session.add(enterprise)
    session.flush()
    application = PilotApplication(
        org_id=bureau.id,
        enterprise_id=enterprise.id,
        enterprise_org_id=firm.id,
        sector="apparel",
        status="selected",
        batch="batch-1",
    )
    session.add(application)
    session.flush()
    return application.id


def onsite(p: Programme, phase: str, questionnaire: dict[str, Any]) -> dict[str, Any]:
    """Have the assessor write and submit an on-site assessment of the pilot."""
    made = p.assessor_client.post(
        f"{ASSESS}/onsite",
        json={"phase": phase, "assessed_on": "2024-06-01", "enterprise_org_id": p.firm.id},
    )
    assert made.status_code == 201, made.text
    a = made.json()
    saved = p.assessor_client.put(
        f"{ASSESS}/assessments/{a['id']}/answers",
        json={"answers": questionnaire["answers"], "scenes": questionnaire["scenes"]},
    )
    assert saved.status_code == 200, saved.text
    done = p.assessor_client.post(f"{ASSESS}/assessments/{a['id']}/submit")
    assert done.status_code == 200, done.text
    return dict(done.json())
