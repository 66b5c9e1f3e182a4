"""Fixtures of the app's tests, built on loom.testing's ``factory``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef


@pytest.fixture
def acme(factory: Factory) -> OrgRef:
    """Return a garment factory (an enterprise organisation)."""
    return factory.org("acme", OrgKind.ENTERPRISE, name="Acme Garments")


@pytest.fixture
def admin(factory: Factory, acme: OrgRef) -> TestClient:
    """Return a client logged in as Acme's admin."""
    factory.user("alice", (acme, Role.ADMIN))
    return factory.client("alice")
