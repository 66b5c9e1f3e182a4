"""Request id, CSRF cookie and security headers on every response."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from loom.kernel.authz.guard import CSRF_COOKIE

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


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
