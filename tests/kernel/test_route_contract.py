"""Every route declares a permission, except a short allow-list (login, health, static)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.kernel.authz.routes import RouteInfo, walk_routes
from loom.testing.plugin import both_backends

# Routes that must answer before anyone is logged in. Keep this list short and justified.
ALLOW_LIST = {
    ("GET", "/login"),  # the login form
    ("POST", "/login"),  # checks the password itself (and CSRF)
    ("POST", "/logout"),  # only forgets the caller's own cookie
    ("GET", "/lang/{code}"),  # sets the language cookie, also on the login page
    ("GET", "/api/v1/health"),  # load balancers and `loom doctor`
    ("GET", "/api/v1/openapi.json"),  # the API description
    ("HEAD", "/api/v1/openapi.json"),
    ("GET", "/api/v1/docs"),  # the API reference page
    ("HEAD", "/api/v1/docs"),
    # Prometheus scrapers: refused (401) without LOOM_METRICS_TOKEN as bearer, 404 when unset
    ("GET", "/metrics"),
}
# the shell's files, and the page scripts of the apps that ship a static_dir
STATIC_MOUNTS = {"/static", "/static/apps/assessment", "/static/apps/scheduling"}


def _routes(app: FastAPI) -> list[tuple[str, str, str | None]]:
    out = []
    for info in walk_routes(app.routes):
        if info.is_mount:
            assert info.path in STATIC_MOUNTS, f"unexpected mount {info.path}"
            continue
        out.extend((m, info.path, info.permission) for m in info.methods)
    return out


@both_backends
def test_every_route_declares_a_permission(loom_app: FastAPI) -> None:
    routes = _routes(loom_app)
    assert len(routes) > 20, "the walk found suspiciously few routes"
    missing = [(m, p) for m, p, perm in routes if perm is None and (m, p) not in ALLOW_LIST]
    assert missing == [], f"routes without a permission: {missing}"
    registry = loom_app.state.loom.registry
    unknown = [(m, p, perm) for m, p, perm in routes if perm is not None and perm not in registry]
    assert unknown == []


def test_allow_list_is_not_stale(loom_app: FastAPI) -> None:
    present = {(m, p) for m, p, _ in _routes(loom_app)}
    assert ALLOW_LIST - present == set(), "allow-list names routes that no longer exist"


def test_walk_sees_router_level_guards() -> None:
    from fastapi import APIRouter, Depends

    from loom.kernel.authz.guard import Guard

    inner = APIRouter()

    @inner.get("/x")
    def x() -> None:
        """Handle nothing."""

    outer = APIRouter()
    outer.include_router(inner, prefix="/p", dependencies=[Depends(Guard("kernel.home.view"))])
    bare = APIRouter()
    bare.include_router(inner, prefix="/q")
    assert walk_routes(outer.routes) == [RouteInfo("/p/x", ("GET",), "kernel.home.view")]
    assert walk_routes(bare.routes) == [RouteInfo("/q/x", ("GET",), None)]


@both_backends
def test_guarded_routes_refuse_anonymous_callers(loom_app: FastAPI, anon: TestClient) -> None:
    checked = 0
    for method, path, perm in _routes(loom_app):
        if perm is None or method == "HEAD":
            continue
        # Any value will do: authentication is checked before the parameter is looked up.
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = anon.request(method, url, headers={"accept": "application/json"})
        # 401 for most; 403 where the CSRF check on an unsafe method fires first.
        assert response.status_code in (401, 403), (method, path, response.status_code)
        assert "error" in response.json()
        checked += 1
    assert checked > 15


@pytest.mark.parametrize("path", ["/audit", "/settings/tokens", "/settings/apps", "/"])
def test_pages_redirect_to_login(anon: TestClient, path: str) -> None:
    response = anon.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + path.replace("/", "%2F")
