"""Route guard: every route declares the permission it needs through ``require``."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from loom.kernel.authz.principal import (
    Principal,
    bearer_of,
    principal_from_token,
    resolve_principal,
)
from loom.kernel.authz.registry import PermissionRegistry
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import reads_apart
from loom.kernel.errors import NotFound, PermissionDenied
from loom.kernel.plugins.enablement import is_enabled
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Actor, Scope

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_COOKIE = "loom_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


async def csrf_protect(request: Request) -> None:
    """Refuse unsafe cookie-authenticated requests without the double-submit CSRF token."""
    if request.method in SAFE_METHODS or bearer_of(request) is not None:
        return
    expected = request.cookies.get(CSRF_COOKIE, "")
    provided = request.headers.get(CSRF_HEADER, "")
    if not provided and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        provided = value if isinstance(value, str) else ""
    if not expected or not secrets.compare_digest(expected, provided):
        raise PermissionDenied("the form's security token is missing or stale; reload the page")


def permissions_of(request: Request, principal: Principal) -> frozenset[str]:
    """Return the permissions the principal holds in its active organisation."""
    registry = runtime_of(request).registry
    if principal.token is not None:
        return _token_permissions(principal.token.permissions, registry)
    assert principal.role is not None
    return registry.granted(principal.role, principal.org.kind)


def _token_permissions(listed: list[str], registry: PermissionRegistry) -> frozenset[str]:
    # a permission the token lists but no installed app registers grants nothing
    return frozenset(p for p in listed if p in registry)


def mint_scope(request: Request, principal: Principal) -> Scope:
    """Mint the tenant scope for an authenticated principal (authz is the only minter)."""
    actor = Actor(
        kind="user" if principal.user is not None else "token",
        label=principal.label,
        user_id=principal.user.id if principal.user is not None else None,
        token_id=principal.token.id if principal.token is not None else None,
    )
    return Scope._mint(
        org_id=principal.org.id,
        org_kind=principal.org.kind,
        actor=actor,
        permissions=permissions_of(request, principal),
        request_id=getattr(request.state, "request_id", ""),
    )


def system_scope(org_id: int, org_kind: Any, reason: str) -> Scope:
    """Mint a scope for the CLI and background jobs, acting as the system."""
    return Scope._mint(
        org_id=org_id,
        org_kind=org_kind,
        actor=Actor(kind="system", label=f"system:{reason}"),
        permissions=frozenset({"*"}),
        request_id="",
    )


def token_scope(
    session: Session, plain: str, registry: PermissionRegistry, *, request_id: str = ""
) -> Scope:
    """Mint the scope of a plain bearer token outside HTTP (e.g. MQTT); raise NotAuthenticated.

    The checks are those of a request's bearer token: well-formed, known, unrevoked, unexpired,
    of an active organisation. The caller checks the permission it needs on the scope.
    """
    principal = principal_from_token(session, plain)
    assert principal.token is not None
    return Scope._mint(
        org_id=principal.org.id,
        org_kind=principal.org.kind,
        actor=Actor(kind="token", label=principal.label, token_id=principal.token.id),
        permissions=_token_permissions(principal.token.permissions, registry),
        request_id=request_id,
    )


class Guard:
    """Dependency that authenticates, checks one permission and binds the tenant scope."""

    def __init__(self, permission: str) -> None:
        self.permission = permission

    async def __call__(
        self,
        request: Request,
        db: Session = Depends(get_db, scope="function"),
    ) -> Scope:
        # called here, not declared as a sub-dependency: the same check in the same order
        # (after the session, before the permission), without FastAPI solving one more dependant
        await csrf_protect(request)
        if self.permission not in runtime_of(request).registry:
            raise RuntimeError(f"route declares unregistered permission {self.permission!r}")
        # Async: an app's pages resolved the principal in AppEnabled already, and the rest is
        # pure, so the request saves a thread hop; only a database read goes to a thread.
        cached = getattr(request.state, "principal", None)
        principal = (
            cached
            if isinstance(cached, Principal)
            else await run_in_threadpool(resolve_principal, request, db)
        )
        scope = mint_scope(request, principal)
        if self.permission not in scope.permissions:
            raise PermissionDenied(
                "you need the permission %(name)s for this", params={"name": self.permission}
            )
        bind_scope(db, scope)
        request.state.scope = scope
        request.state.db = db  # pages build their navigation from the same transaction
        return scope

    def __repr__(self) -> str:
        return f"Guard({self.permission!r})"


def require(permission: str) -> Any:
    """Declare the permission a route needs; returns the dependency yielding its Scope."""
    return Depends(Guard(permission))


class AppEnabled:
    """Router-level dependency: an app's routes answer 404 where the app is disabled."""

    def __init__(self, slug: str) -> None:
        self.slug = slug

    def __call__(self, request: Request, db: Session = Depends(get_db, scope="function")) -> None:
        principal = resolve_principal(request, db)
        spec = runtime_of(request).apps.get(self.slug)
        with reads_apart(db):
            enabled = spec is not None and is_enabled(db, principal.org, spec)
        if not enabled:
            raise NotFound("not found")
