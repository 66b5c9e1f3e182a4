"""Create test organisations, users, tokens and logged-in clients through the real services."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.kernel.authz.guard import CSRF_COOKIE, system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.identity.service import create_token, create_user
from loom.kernel.runtime import Runtime
from loom.kernel.tenancy.models import Organisation, OrgKind, Role
from loom.kernel.tenancy.scope import Actor
from loom.kernel.tenancy.service import add_membership, create_organisation

TEST_PASSWORD = "correct horse battery"  # published for tests  # nosec B105
TEST_ACTOR = Actor(kind="system", label="system:test")


@dataclass(frozen=True)
class OrgRef:
    """A test organisation."""

    id: int
    slug: str
    kind: OrgKind


class Factory:
    """Builds test data through the kernel services, so audit and rules apply as in production."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.runtime: Runtime = app.state.loom

    def org(self, slug: str, kind: OrgKind | str = OrgKind.ENTERPRISE, name: str = "") -> OrgRef:
        """Create an organisation."""
        with session_scope(self.runtime.session_factory) as s:
            org = create_organisation(s, TEST_ACTOR, slug=slug, name=name or slug, kind=kind)
            return OrgRef(org.id, org.slug, org.kind)

    def user(self, username: str, *memberships: tuple[OrgRef, Role | str]) -> int:
        """Create a user with roles in the given organisations."""
        with session_scope(self.runtime.session_factory) as s:
            user = create_user(s, username, username.title(), TEST_PASSWORD)
            for ref, role in memberships:
                org = s.get(Organisation, ref.id)
                if org is None:
                    raise LookupError(f"organisation {ref.slug} vanished")
                add_membership(s, TEST_ACTOR, org, user, role)
            return user.id

    def token(
        self, org: OrgRef, permissions: list[str], *, days: int = 30, kind: str = "integration"
    ) -> str:
        """Issue a bearer token for ``org`` and return its plain value."""
        with session_scope(self.runtime.session_factory) as s:
            scope = system_scope(org.id, org.kind, "test")
            _token, issued = create_token(
                s,
                scope,
                self.runtime.registry,
                name="test token",
                permissions=permissions,
                days=days,
                kind=kind,
            )
            return issued.plain

    def client(self, username: str | None = None, password: str = TEST_PASSWORD) -> TestClient:
        """Return a TestClient, logged in as ``username`` when given, sending the CSRF header."""
        client = TestClient(self.app)
        client.get("/login")
        if username is not None:
            login(client, username, password)
        return client

    def token_client(self, token: str) -> TestClient:
        """Return a TestClient that authenticates with a bearer token only."""
        return TestClient(self.app, headers={"Authorization": f"Bearer {token}"})


def login(client: TestClient, username: str, password: str = TEST_PASSWORD) -> None:
    """Log ``client`` in through the real form and set the CSRF header for later calls."""
    if CSRF_COOKIE not in client.cookies:
        client.get("/login")
    csrf = client.cookies[CSRF_COOKIE]
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf, "next": "/"},
        follow_redirects=False,
    )
    if response.status_code != 303:
        raise AssertionError(f"login as {username} failed: {response.status_code}")
    # the login hands out a fresh CSRF secret with the session: send that one from now on
    client.headers["X-CSRF-Token"] = client.cookies[CSRF_COOKIE]
