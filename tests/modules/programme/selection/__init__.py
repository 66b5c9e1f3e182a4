"""Tests of pilot and general-contractor selection; shared people, plans and helpers live here."""

from __future__ import annotations

import json
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
from loom.modules.programme.app import HERE
from loom.modules.programme.engine import builtin_plan_text
from loom.modules.programme.models import Enterprise
from loom.modules.programme.registry import make_code
from loom.modules.programme.service import plans
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/programme"
PAGES = "/apps/programme"
PRINCIPLES = ("leader_will", "stable_operations", "management_base", "digital_base", "replicable")
CRITERIA = ("technology_products", "sector_experience", "service_staff", "ecosystem_resources")
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


@dataclass
class District:
    """A bureau with a manager, two enterprises and two contractors, each with a manager."""

    bureau: OrgRef
    firm: OrgRef
    rival: OrgRef
    alpha: OrgRef
    beta: OrgRef
    bureau_client: TestClient
    firm_client: TestClient
    rival_client: TestClient
    alpha_client: TestClient
    beta_client: TestClient


def district(factory: Factory, tag: str = "") -> District:
    """Create the district's organisations, one manager each, logged in."""
    bureau = factory.org(f"bureau{tag}", OrgKind.BUREAU, name=f"海曙区经信局{tag}")
    firm = factory.org(f"firm{tag}", OrgKind.ENTERPRISE, name=f"海曙服饰{tag}")
    rival = factory.org(f"rival{tag}", OrgKind.ENTERPRISE, name=f"甬江针织{tag}")
    alpha = factory.org(f"alpha{tag}", OrgKind.CONTRACTOR, name=f"甬科数智{tag}")
    beta = factory.org(f"beta{tag}", OrgKind.CONTRACTOR, name=f"衣联软件{tag}")
    clients = []
    for org in (bureau, firm, rival, alpha, beta):
        factory.user(f"{org.slug}-lead", (org, Role.MANAGER))
        clients.append(factory.client(f"{org.slug}-lead"))
    return District(bureau, firm, rival, alpha, beta, *clients)


@contextmanager
def service_session(factory: Factory, org: OrgRef) -> Iterator[tuple[Session, Scope]]:
    """Yield a committed-on-exit session bound to a system scope of ``org``."""
    with session_scope(factory.runtime.session_factory) as session:
        scope = system_scope(org.id, org.kind, "test")
        bind_scope(session, scope)
        yield session, scope


def register(
    factory: Factory,
    bureau: OrgRef,
    n: int,
    *,
    sector: str = "apparel",
    org: OrgRef | None = None,
    name: str = "",
) -> int:
    """Put enterprise ``n`` in the bureau's registry (linked to ``org``); return its id."""
    with service_session(factory, bureau) as (session, _scope):
        entry = Enterprise(
            org_id=bureau.id,
            name=name or f"宁波第{n}服饰有限公司",
            credit_code=make_code(f"91330203MA2{n:05d}"),
            sector=sector,
            size="above",
            town="集士港镇",
            enterprise_org_id=org.id if org else None,
        )
        session.add(entry)
        session.flush()
        return entry.id


def apply(client: TestClient, enterprise_id: int, statement: str = "") -> dict[str, Any]:
    """Record a pilot application through the API and return it."""
    made = client.post(
        f"{API}/pilot-applications", json={"enterprise_id": enterprise_id, "statement": statement}
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


def sheet(client: TestClient, application_id: int, expert: str, *scores: int) -> dict[str, Any]:
    """Enter one expert's sheet, scores in the order of PRINCIPLES; return the detail."""
    entered = client.post(
        f"{API}/pilot-applications/{application_id}/sheets",
        json={"expert": expert, "scores": dict(zip(PRINCIPLES, scores, strict=True))},
    )
    assert entered.status_code == 200, entered.text
    return dict(entered.json())


def scored_application(
    client: TestClient, factory: Factory, bureau: OrgRef, n: int, score: int, **kw: Any
) -> int:
    """Register enterprise ``n``, apply and have one expert give ``score`` everywhere."""
    app_id: int = apply(client, register(factory, bureau, n, **kw))["id"]
    sheet(client, app_id, "专家甲", *([score] * len(PRINCIPLES)))
    return app_id


def publish_plan(factory: Factory, bureau: OrgRef, **changes: Any) -> None:
    """Publish the shipped plan with some weights changed, as the bureau republishing it.

    ``pilot``: principle id -> weight; ``criteria``: criterion id -> weight; ``groups``: group
    id -> weight (a JSON number such as 0.5); ``min_score``: the plan's pilot_min_score;
    ``quotas``: batch id -> sector -> places (the batch total follows); ``max_score``:
    principle id -> highest score.
    """
    document = json.loads(builtin_plan_text())
    for batch in document["batches"]:
        if batch["id"] in changes.get("quotas", {}):
            batch["quotas"] = changes["quotas"][batch["id"]]
            batch["total"] = sum(batch["quotas"].values())
    for item in document["pilot_principles"]:
        item["max_score"] = changes.get("max_score", {}).get(item["id"], item["max_score"])
    for key, field in (("pilot", "pilot_principles"), ("criteria", "contractor_criteria")):
        for item in document[field]:
            item["weight"] = changes.get(key, {}).get(item["id"], item["weight"])
    for group in document["evaluator_groups"]:
        group["weight"] = changes.get("groups", {}).get(group["id"], group["weight"])
    if "min_score" in changes:
        document["pilot_min_score"] = changes["min_score"]
    with service_session(factory, bureau) as (session, scope):
        plans.publish(session, scope, json.dumps(document, ensure_ascii=False), note="test")


def audit_actions(factory: Factory, org: OrgRef, target_type: str, target_id: object) -> list[str]:
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
