"""The guard checks CSRF itself (not as a sub-dependency): same checks, same order, same errors."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from loom.kernel.authz.guard import CSRF_COOKIE, require
from loom.kernel.authz.principal import session_serializer
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.tenancy.scope import Scope
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends

#: a permission the viewer of an enterprise lacks (checked in the test, not assumed)
MANAGE = "kernel.token.manage"


@pytest.fixture
def guarded(loom_app: FastAPI) -> list[int]:
    """A form-handling route behind ``require(MANAGE)``; returns the org ids it ran for."""
    ran: list[int] = []

    def change(scope: Scope = require(MANAGE)) -> dict[str, str]:
        ran.append(scope.org_id)
        return {"changed": "yes"}

    loom_app.add_api_route("/api/v1/__test/change", change, methods=["POST"])
    return ran


@both_backends
def test_a_form_token_passes_and_a_wrong_or_missing_one_is_refused(
    factory: Factory, guarded: list[int]
) -> None:
    org = factory.org("garments")
    factory.user("mira", (org, Role.ADMIN))
    client = factory.client("mira")
    del client.headers["X-CSRF-Token"]  # the form field only, as an HTML form sends it
    token = client.cookies[CSRF_COOKIE]
    assert client.post("/api/v1/__test/change", data={"csrf_token": token}).json() == {
        "changed": "yes"
    }
    for data in ({"csrf_token": "stale"}, {}):
        refused = client.post("/api/v1/__test/change", data=data)
        assert refused.status_code == 403
        assert "security token" in refused.json()["error"]["message"]
    assert guarded == [org.id]  # the refused requests never reached the handler


def test_csrf_is_checked_before_the_permission(
    loom_app: FastAPI, factory: Factory, guarded: list[int]
) -> None:
    org = factory.org("garments")
    factory.user("vera", (org, Role.VIEWER))
    assert MANAGE not in loom_app.state.loom.registry.granted(Role.VIEWER, OrgKind.ENTERPRISE)
    client = factory.client("vera")
    del client.headers["X-CSRF-Token"]
    without = client.post("/api/v1/__test/change", data={})
    assert without.status_code == 403
    assert "security token" in without.json()["error"]["message"]
    token = client.cookies[CSRF_COOKIE]
    with_token = client.post("/api/v1/__test/change", data={"csrf_token": token})
    assert with_token.status_code == 403
    assert MANAGE in with_token.json()["error"]["message"]
    assert guarded == []


def test_a_get_behind_a_guard_needs_no_csrf_token(factory: Factory) -> None:
    org = factory.org("garments")
    factory.user("mira", (org, Role.ADMIN))
    client = factory.client("mira")
    del client.headers["X-CSRF-Token"]
    assert client.get("/api/v1/me").status_code == 200  # a GET behind a guard


def test_one_signer_per_secret() -> None:
    signer = session_serializer("secret-one")
    assert session_serializer("secret-one") is signer
    other = session_serializer("secret-two")
    assert other is not signer
    # the cached signer keeps nothing between uses: another secret's cookie still fails
    cookie = other.dumps({"u": 1, "o": 2, "e": 0})
    assert other.loads(cookie) == {"u": 1, "o": 2, "e": 0}
    with pytest.raises(Exception, match="Signature"):
        signer.loads(cookie)
