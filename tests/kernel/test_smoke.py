"""Smoke test: a user logs in and sees their organisation's home page."""

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory


def test_login_and_home(factory: Factory) -> None:
    org = factory.org("acme", OrgKind.ENTERPRISE, name="Acme Garments")
    factory.user("alice", (org, Role.ADMIN))
    client = factory.client("alice")
    page = client.get("/")
    assert page.status_code == 200
    assert "Acme Garments" in page.text
