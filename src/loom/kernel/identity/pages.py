"""Login, logout and organisation switching for the browser."""

from __future__ import annotations

import math
import secrets
from datetime import timedelta
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from loom.kernel.audit.service import record_scoped
from loom.kernel.authz.guard import CSRF_COOKIE, csrf_protect, require
from loom.kernel.authz.principal import SESSION_COOKIE, make_session_cookie, resolve_principal
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.identity.service import (
    LockedOut,
    LoginAttempt,
    TokenRepository,
    Verdict,
    check_password,
    create_token,
    first_org_id,
    read_login,
    record_login,
    revoke_token,
)
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.admission import turn_lent
from loom.kernel.web.templating import render

router = APIRouter(include_in_schema=False)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` for extraction; pages translate it when rendering."""
    return message


WRONG_LOGIN = N_("Wrong username or password.")
TOO_MANY_FROM_CLIENT = N_("Too many failed logins from this address: wait %(n)s seconds.")
ACCOUNT_LOCKED = N_("Too many wrong passwords: this account is locked for %(n)s more minutes.")


def safe_next(target: str | None) -> str:
    """Return a local redirect target only; anything else goes home."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
async def login_form(request: Request, next: str = "/") -> Response:
    """Show the login form."""
    # async: no database and nothing blocking, so no hop to a worker thread (cheap under load)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "username": ""})


def _read_attempt(request: Request, username: str) -> LoginAttempt | None:
    with session_scope(runtime_of(request).session_factory) as db:
        return read_login(db, username)


def _record_attempt(
    request: Request, attempt: LoginAttempt | None, verdict: Verdict, password: str
) -> str | None:
    """Write the checked login; return the new session cookie, or None if refused."""
    runtime = runtime_of(request)
    settings = runtime.settings
    with session_scope(runtime.session_factory) as db:
        # read before the login is recorded, whose audit append locks the chain
        first = first_org_id(db, attempt.user_id) if attempt and verdict.ok else None
        user = record_login(
            db,
            verdict,
            max_failures=settings.login_max_failures,
            lockout=timedelta(seconds=settings.login_lockout_seconds),
            password=password,
            org_id=first,
        )
        if user is None:
            return None
        return make_session_cookie(settings.secret_key, user, first or 0)


@router.post("/login")
async def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
    _csrf: None = Depends(csrf_protect),
) -> Response:
    """Check the password and set the session cookie; throttle and lock out guessing."""
    runtime = runtime_of(request)
    settings = runtime.settings
    client = request.client.host if request.client else "unknown"
    throttle = runtime.throttle()
    again = {"next": safe_next(next), "username": username}
    wait = throttle.wait_seconds(client)
    if wait:
        refused = render(
            request,
            "login.html",
            {**again, "error": TOO_MANY_FROM_CLIENT, "error_params": {"n": wait}},
            status=429,
        )
        refused.headers["Retry-After"] = str(wait)
        return refused
    cookie: str | None = None
    try:
        if username and password:
            # Two short transactions around the slow hash check, so that no pooled connection
            # waits on argon2 (this route owns both, like a CLI command owns its session_scope);
            # meanwhile its admission turn goes to another request.
            attempt = await run_in_threadpool(_read_attempt, request, username)
            async with turn_lent(request):
                verdict = await run_in_threadpool(check_password, attempt, password)
            cookie = await run_in_threadpool(_record_attempt, request, attempt, verdict, password)
    except LockedOut as locked:
        minutes = max(1, math.ceil((locked.until - utcnow()).total_seconds() / 60))
        return render(
            request,
            "login.html",
            {**again, "error": ACCOUNT_LOCKED, "error_params": {"n": minutes}},
            status=423,
        )
    if cookie is None:
        throttle.failed(client)
        return render(request, "login.html", {**again, "error": WRONG_LOGIN}, status=400)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=settings.session_max_age_seconds,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    # a new CSRF secret with the new session: a token seen before login is worth nothing after
    response.set_cookie(
        CSRF_COOKIE,
        secrets.token_urlsafe(24),
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, _csrf: None = Depends(csrf_protect)) -> Response:
    """Forget the session cookie."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/org/switch")
def switch_org(
    request: Request,
    org_id: int = Form(...),
    scope: Scope = require("kernel.org.switch"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Make another of the user's organisations the active one."""
    principal = resolve_principal(request, db)
    if principal.user is None or not any(m.org_id == org_id for m in principal.memberships):
        raise NotFound("organisation not found", field="org_id")
    settings = runtime_of(request).settings
    record_scoped(
        db, scope, "kernel.org.switched_away", "organisation", scope.org_id, after={"to": org_id}
    )
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        make_session_cookie(settings.secret_key, principal.user, org_id),
        max_age=settings.session_max_age_seconds,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    return response


@router.get("/settings/tokens")
def tokens_view(
    request: Request,
    offset: int = 0,
    scope: Scope = require("kernel.token.read"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """List tokens with last use, and a form to issue one."""
    page = TokenRepository(db, scope).listing(max(0, offset), 50)
    grantable = [p for p in runtime_of(request).registry.all() if scope.can(p.name)]
    return render(request, "tokens.html", {"page": page, "grantable": grantable, "issued": None})


@router.post("/settings/tokens")
async def tokens_create(
    request: Request,
    scope: Scope = require("kernel.token.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Issue a token from the form and show its value once; on a refusal, show the form again."""
    form = await request.form()
    name = str(form.get("name", ""))
    kind = str(form.get("kind", "integration"))
    perms = [str(v) for v in form.getlist("permissions")]
    days_raw = str(form.get("days", "90"))
    days = int(days_raw) if days_raw.isdigit() else 0
    grantable = [p for p in runtime_of(request).registry.all() if scope.can(p.name)]
    try:
        _token, issued = create_token(
            db,
            scope,
            runtime_of(request).registry,
            name=name,
            permissions=perms,
            days=days,
            kind=kind,
        )
    except ValidationFailed as exc:
        # Nothing was written (the service checks before it adds), so the transaction stays clean.
        return render(
            request,
            "tokens.html",
            {
                "page": TokenRepository(db, scope).listing(0, 50),
                "grantable": grantable,
                "issued": None,
                "error": exc.template,
                "error_params": exc.params,
                "error_field": exc.field,
                "form": {"name": name, "kind": kind, "days": days_raw, "permissions": perms},
            },
            status=422,
        )
    page = TokenRepository(db, scope).listing(0, 50)
    return render(
        request,
        "tokens.html",
        {"page": page, "grantable": grantable, "issued": issued.plain},
        status=201,
    )


@router.post("/settings/tokens/{token_id}/revoke")
def tokens_revoke(
    token_id: int,
    scope: Scope = require("kernel.token.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Revoke a token from the tokens page."""
    revoke_token(db, scope, token_id)
    return RedirectResponse("/settings/tokens", status_code=303)
