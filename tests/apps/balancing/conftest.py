"""A garment factory with a small style and a sewing line, for the balancing tests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from tests.apps.balancing.helpers import Shop, make_shop


@pytest.fixture
def factory_org(factory: Factory) -> OrgRef:
    """A garment factory (an enterprise)."""
    return factory.org("garments", OrgKind.ENTERPRISE, name="Garment Co")


@pytest.fixture
def admin(factory: Factory, factory_org: OrgRef) -> TestClient:
    """The factory's admin, logged in."""
    factory.user("gina", (factory_org, Role.ADMIN))
    return factory.client("gina")


@pytest.fixture
def shop(admin: TestClient) -> Shop:
    """The four-operation style T-01 and line L1 with four skilled operators."""
    return make_shop(admin)
