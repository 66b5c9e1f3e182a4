"""Tests of the N+X survey, scenarios, classification and published lists; helpers live here."""

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
from loom.modules.programme.app import HERE
from loom.modules.programme.models import Enterprise, PilotApplication
from loom.modules.programme.registry import make_code
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/programme/needs"
PAGES = "/apps/programme/needs"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


@dataclass
class Bureau:
    """A bureau with a manager (``client``) and a member (``reader``)."""

    org: OrgRef
    client: TestClient
    reader: TestClient


def bureau(factory: Factory, tag: str = "") -> Bureau:
    """Create a bureau with one manager and one member, both logged in."""
    org = factory.org(f"haishu{tag}", OrgKind.BUREAU, name=f"海曙区经信局{tag}")
    factory.user(f"chief{tag}", (org, Role.MANAGER))
    factory.user(f"clerk{tag}", (org, Role.MEMBER))
    return Bureau(org, factory.client(f"chief{tag}"), factory.client(f"clerk{tag}"))


@contextmanager
def service_session(factory: Factory, org: OrgRef) -> Iterator[tuple[Session, Scope]]:
    """Yield a committed-on-exit session bound to a system scope of ``org``."""
    with session_scope(factory.runtime.session_factory) as session:
        scope = system_scope(org.id, org.kind, "test")
        bind_scope(session, scope)
        yield session, scope


def enterprise(
    factory: Factory,
    org: OrgRef,
    n: int,
    sector: str = "apparel",
    status: str | None = "selected",
) -> int:
    """Add registry enterprise ``n`` with, unless ``status`` is None, a pilot application."""
    with service_session(factory, org) as (session, _scope):
        entry = Enterprise(
            org_id=org.id,
            name=f"海曙第{n}服饰",
            credit_code=make_code(f"91330203MA2{n:05d}"),
            sector=sector,
            size="above",
        )
        session.add(entry)
        session.flush()
        if status is not None:
            session.add(
                PilotApplication(
                    org_id=org.id, enterprise_id=entry.id, sector=sector, status=status
                )
            )
        return entry.id


def need_body(enterprise_id: int, need_key: str = "bundle-scan", **changes: Any) -> dict[str, Any]:
    """Return a valid survey need as the API takes it."""
    body: dict[str, Any] = {
        "enterprise_id": enterprise_id,
        "stage": "manufacturing",
        "problem": "在制品数量靠人工盘点，工序进度不透明",
        "need_key": need_key,
        "need_title": "扎包扫码报工",
        "scenario_code": "",
    }
    body.update(changes)
    return body


def record(
    client: TestClient, enterprise_id: int, need_key: str = "bundle-scan", **changes: Any
) -> dict[str, Any]:
    """Record a survey need through the API and return it."""
    response = client.post(f"{API}/survey", json=need_body(enterprise_id, need_key, **changes))
    assert response.status_code == 201, response.text
    return dict(response.json())


def scenario_body(code: str = "N01", **changes: Any) -> dict[str, Any]:
    """Return a valid scenario as the API takes it."""
    body: dict[str, Any] = {
        "code": code,
        "title": "生产进度透明",
        "sector": "apparel",
        "stage": "manufacturing",
        "scenes": {"S05": 2, "S06": 1},
        "description": "扎包扫码、在制品看板",
    }
    body.update(changes)
    return body


def add_scenario(client: TestClient, code: str = "N01", **changes: Any) -> dict[str, Any]:
    """Create a scenario through the API and return it."""
    response = client.post(f"{API}/scenarios", json=scenario_body(code, **changes))
    assert response.status_code == 201, response.text
    return dict(response.json())


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
