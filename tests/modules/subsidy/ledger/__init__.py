"""Tests of the subsidy ledger: approvals within caps, payments, API, pages, CLI, isolation.

Data is set up the way the programme records it: registry enterprises, selected pilot
applications and their projects (``programme.service.projects.create``), with the project's
status and on-site result set directly where an accepted project is needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import (
    Enterprise,
    OnsiteResult,
    PilotApplication,
    Product,
    ProductMark,
)
from loom.modules.programme.service import projects
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/subsidy"
PAGES = "/apps/subsidy"
WAN = 1_000_000  # fen in 1 万元 (10,000 CNY), the plan's unit


@dataclass(frozen=True)
class Bureau:
    """A bureau with a manager (approves) and a member (reads) logged in."""

    org: OrgRef
    manager: TestClient
    member: TestClient


def bureau(factory: Factory, slug: str = "haishu") -> Bureau:
    """Create a bureau organisation with a manager and a member."""
    org = factory.org(slug, OrgKind.BUREAU, name=f"{slug} 经信局")
    factory.user(f"{slug}-clerk", (org, Role.MANAGER))
    factory.user(f"{slug}-reader", (org, Role.MEMBER))
    return Bureau(org, factory.client(f"{slug}-clerk"), factory.client(f"{slug}-reader"))


def scope_of(org: OrgRef) -> Scope:
    """Return a system scope acting for ``org`` (the service layer's caller in these tests)."""
    return system_scope(org.id, org.kind, "test")


@contextmanager
def db(factory: Factory) -> Iterator[Session]:
    """Own one committed transaction on the test's database."""
    with session_scope(factory.runtime.session_factory) as session:
        yield session


def pilot_project(
    factory: Factory,
    org: OrgRef,
    number: int,
    *,
    invest_fen: int = 0,
    status: str = "accepted",
    level: int | None = 2,
    honours: tuple[str, ...] = (),
) -> int:
    """Create a registry enterprise, select it as a pilot, open its project; return the id.

    The project's investment is recorded as one line while it is open; then its status, its
    honours and an on-site "after" result at ``level`` are set as acceptance would leave them.
    """
    scope = scope_of(org)
    with db(factory) as session:
        enterprise = Enterprise(
            org_id=org.id,
            name=f"试点企业{number}",
            credit_code=f"91330203MA{number:08d}",
            sector="apparel",
            size="above",
        )
        session.add(enterprise)
        session.flush()
        application = PilotApplication(
            org_id=org.id,
            enterprise_id=enterprise.id,
            sector="apparel",
            status="selected",
            batch="2024-1",
        )
        session.add(application)
        session.flush()
        project = projects.create(session, scope, application_id=application.id)
        if invest_fen:
            projects.add_investment(
                session,
                scope,
                project.id,
                category="software",
                description="MES",
                amount_fen=invest_fen,
            )
        project.status = status
        project.honours = list(honours)
        if level is not None:
            session.add(
                projects.child(
                    project,
                    OnsiteResult,
                    phase="after",
                    assessment_id=0,
                    level=level,
                    score=Decimal("41.50"),
                    rules_version="2024-manufacturing.v1",
                    assessed_on=date(2025, 11, 3),
                )
            )
        return project.id


def credit_code(number: int) -> str:
    """Return the credit code ``pilot_project`` gave enterprise ``number``."""
    return f"91330203MA{number:08d}"


def contractor(factory: Factory, slug: str) -> OrgRef:
    """Create a contractor (service provider) organisation."""
    return factory.org(slug, OrgKind.CONTRACTOR, name=f"{slug} 科技")


def product(
    factory: Factory,
    provider: OrgRef,
    name: str,
    *,
    marked_by: OrgRef | None,
    excellent: bool = True,
) -> int:
    """Publish a provider's product and, when ``marked_by`` is given, mark it; return its id."""
    with db(factory) as session:
        row = Product(
            org_id=provider.id,
            name=name,
            scenes={"S05": 2},
            indicators={},
            price_fen=2_000_000,
            delivery_weeks=4,
            deployment="cloud",
            status="published",
        )
        session.add(row)
        session.flush()
        if marked_by is not None:
            session.add(
                ProductMark(
                    org_id=marked_by.id,
                    product_id=row.id,
                    contractor_org_id=provider.id,
                    excellent=excellent,
                    marked_on=date(2025, 6, 1),
                )
            )
        return row.id
