"""A garment factory with a line and a machine, for the energy tests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef
from tests.apps.energy.helpers import Plant, make_plant


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
def plant(admin: TestClient) -> Plant:
    """Line L1 and machine M-01."""
    return make_plant(admin)
