"""Turn every error into ``{"error": {code, message, details}}`` or a page for humans."""

from __future__ import annotations

import logging
from datetime import MAXYEAR, MINYEAR, date
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from loom.kernel.errors import DomainError, NotAuthenticated
from loom.kernel.messaging.ingest import is_transient
from loom.kernel.web.templating import render

log = logging.getLogger("loom.web")

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}
#: a PostgreSQL restart or failover takes seconds; clients wait this long before they retry
RETRY_AFTER_SECONDS = 2


def wants_json(request: Request) -> bool:
    """Return whether the caller is an API client rather than a browser page."""
    return (
        request.url.path.startswith("/api/")
        or "application/json" in request.headers.get("accept", "").split(",")[0]
    )


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """Return the JSON error envelope; field errors are always a list of {field, message}."""
    return {"error": {"code": code, "message": message, "details": details}}


def _respond(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: Any = None,
    *,
    template: str | None = None,
    params: dict[str, object] | None = None,
) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(code, message, details), status_code=status)
    if status == 401 and request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return render(
        request,
        "error.html",
        {
            "status": status,
            "code": code,
            "message": message,
            "template": template or message,
            "params": params or {},
            "details": details,
        },
        status=status,
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form")]
        out.append({"field": ".".join(loc) or "body", "message": err.get("msg", "invalid")})
    return out


def database_unavailable(request: Request, exc: BaseException) -> Response:
    """Answer 503 with Retry-After: the database is down or restarting, the request may succeed."""
    # Whether a commit in flight landed is unknown, so this is no "nothing stored": retries
    # must be idempotent, as event batches are by their ids.
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    # the request's session is broken: the error page is rendered without the database's menu
    request.state.db = None
    response = _respond(
        request, 503, "unavailable", "the database is unavailable; retry in a few seconds"
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_busy(request: Request) -> Response:
    """Answer 503 with Retry-After: the request waited its turn too long and was not run."""
    log.warning("busy: refused %s %s after waiting its turn", request.method, request.url.path)
    response = _respond(request, 503, "unavailable", "the server is busy; retry in a few seconds")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


INT64_MAX = 2**63 - 1  # SQLite and PostgreSQL BIGINT store nothing larger
OUT_OF_RANGE = "a value is out of the range the database can store"


def _is_huge(value: str) -> bool:
    """Return whether ``value`` is an integer beyond 64 bits or a day at the calendar's ends."""
    try:
        return abs(int(value)) > INT64_MAX
    except ValueError:
        pass
    try:
        # the day before 0001-01-01 or after 9999-12-31 does not exist: day ranges overflow
        return date.fromisoformat(value).year in (MINYEAR, MAXYEAR)
    except ValueError:
        return False


def _out_of_range_fields(request: Request) -> list[dict[str, Any]]:
    """Name the path or query parameters holding a number too large to store (else the body)."""
    params = [*request.path_params.items(), *request.query_params.multi_items()]
    names = sorted({name for name, value in params if _is_huge(str(value))}) or ["body"]
    return [{"field": name, "message": OUT_OF_RANGE} for name in names]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        # Same shape as request validation errors: a list of {field, message}; an error that
        # lists its problems keeps them, one naming only its field gets one entry.
        details = exc.details
        if exc.field is not None and not isinstance(details, list):
            details = [{"field": exc.field, "message": exc.message}]
        return _respond(
            request,
            exc.status_code,
            exc.code,
            exc.message,
            details,
            template=exc.template,
            params=exc.params,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = _field_errors(exc)
        message = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
        return _respond(request, 422, "validation_error", message, fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = HTTP_CODES.get(exc.status_code, "error")
        return _respond(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, exc: IntegrityError) -> Response:
        log.warning("integrity error: %s", exc.orig)
        return _respond(request, 409, "conflict", "the change conflicts with existing data")

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        if is_transient(exc):
            return database_unavailable(request, exc)
        # any other driver error is a bug: the catch-all below logs it and answers 500
        return await unexpected(request, exc)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        # A number beyond 64 bits (SQLite: OverflowError) or a value PostgreSQL refuses (DataError,
        # e.g. NUL in text) is bad input that only the database noticed: 422, not 500.
        log.warning("value out of range: %s", exc)
        fields = _out_of_range_fields(request)
        message = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return _respond(request, 422, "validation_error", message, fields)

    @app.exception_handler(StatementError)
    async def statement_error(request: Request, exc: StatementError) -> Response:
        # a bind parameter that cannot be converted (e.g. a datetime past year 9999)
        if isinstance(exc.orig, OverflowError):
            return await out_of_range(request, exc)
        return await unexpected(request, exc)

    @app.exception_handler(PermissionError)
    async def foreign_write(request: Request, exc: PermissionError) -> Response:
        # Raised by the tenant write wall: answer as if the object did not exist.
        log.warning("refused cross-tenant write: %s", exc)
        return _respond(request, 404, "not_found", "not found")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        if is_transient(exc):
            # raised outside the routes (a middleware's query): still an outage, not a bug
            return database_unavailable(request, exc)
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        rid = getattr(request.state, "request_id", "")
        return _respond(request, 500, "internal_error", f"unexpected error (request {rid})")


__all__ = ["NotAuthenticated", "error_body", "install_error_handlers", "wants_json"]
