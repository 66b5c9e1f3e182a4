"""Request id, CSRF cookie and security headers on every response."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from loom.kernel.authz.guard import CSRF_COOKIE

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


#: Scripts come only from this site (no inline scripts, handlers or eval: templates use
#: data attributes that loom.js and the apps' static scripts act on). Inline *styles* stay
#: allowed: they cannot run code, and ECharts and htmx set them at run time.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
#: FastAPI's interactive API docs load Swagger UI from its CDN with an inline bootstrap script;
#: that one page gets what it needs and nothing else does.
DOCS_PATH = "/api/v1/docs"
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


def install_middleware(app: FastAPI, *, secure_cookies: bool) -> None:
    """Register the shell middleware on ``app``."""

    @app.middleware("http")
    async def shell(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        offered = request.headers.get("x-request-id", "")
        request.state.request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
        fresh_csrf = None
        if not request.cookies.get(CSRF_COOKIE):
            fresh_csrf = secrets.token_urlsafe(24)
            request.state.csrf_token = fresh_csrf
        response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            DOCS_CSP if request.url.path == DOCS_PATH else CSP,
        )
        if fresh_csrf is not None:
            response.set_cookie(
                CSRF_COOKIE,
                fresh_csrf,
                httponly=True,
                samesite="lax",
                secure=secure_cookies,
                path="/",
            )
        return response
