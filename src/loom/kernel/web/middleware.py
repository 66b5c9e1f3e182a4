"""Request id, CSRF cookie and security headers on every response."""

from __future__ import annotations

import re
import secrets
import uuid

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import cookie_parser
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


def _csrf_cookie_header(value: str, secure: bool) -> str:
    """Return the Set-Cookie value for a fresh CSRF token, formatted as Starlette does."""
    carrier = Response()
    carrier.set_cookie(CSRF_COOKIE, value, httponly=True, samesite="lax", secure=secure, path="/")
    return carrier.headers["set-cookie"]


class ShellMiddleware:
    """Plain ASGI middleware adding the request id, the CSRF cookie and the security headers."""

    # ``@app.middleware("http")`` (BaseHTTPMiddleware) ran every request through a task group
    # and memory streams for what is a few response headers

    def __init__(self, app: ASGIApp, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Give the request its id and CSRF token; add the shell's headers to its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        offered = headers.get("x-request-id", "")
        request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        fresh_csrf = None
        if not _has_cookie(headers, CSRF_COOKIE):
            fresh_csrf = state["csrf_token"] = secrets.token_urlsafe(24)
        csp = DOCS_CSP if scope["path"] == DOCS_PATH else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["X-Request-ID"] = request_id
                out.setdefault("X-Content-Type-Options", "nosniff")
                out.setdefault("X-Frame-Options", "DENY")
                out.setdefault("Referrer-Policy", "same-origin")
                out.setdefault("Content-Security-Policy", csp)
                if fresh_csrf is not None:
                    out.append("set-cookie", _csrf_cookie_header(fresh_csrf, self.secure_cookies))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _has_cookie(headers: Headers, name: str) -> bool:
    """Return whether the request carries a non-empty cookie ``name``, read as request.cookies."""
    cookies: dict[str, str] = {}
    for header in headers.getlist("cookie"):
        cookies.update(cookie_parser(header))
    return bool(cookies.get(name))


def install_middleware(app: FastAPI, *, secure_cookies: bool) -> None:
    """Register the shell middleware on ``app``."""
    app.add_middleware(ShellMiddleware, secure_cookies=secure_cookies)
