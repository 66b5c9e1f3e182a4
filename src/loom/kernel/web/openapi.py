"""Make the OpenAPI description tell the truth about errors: Loom's envelope and its status codes.

FastAPI documents only the success code and a 422 in its own ``{"detail": …}`` shape, while every
Loom error is ``{"error": {code, message, details}}`` (see ``loom.kernel.web.errors``). The
description is post-processed once: each documented 422 gets the envelope, and each operation
gains the codes its route shape can produce (a guard: 401 and 403; an app router or a path
parameter: 404; an unsafe method: 409, from the IntegrityError handler). A route that can answer
something else declares it itself with ``responses=error_responses(…)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel

from loom.kernel.authz.guard import AppEnabled, Guard

ERROR_REF = "#/components/schemas/ErrorOut"
UNSAFE = frozenset({"post", "put", "patch", "delete"})
FASTAPI_422 = ("HTTPValidationError", "ValidationError")
CONVERTOR = re.compile(r"\{(\w+):\w+\}")


def documented_path(path: str) -> str:
    """Return a route path as OpenAPI shows it: ``{id:int}`` becomes ``{id}``."""
    return CONVERTOR.sub(r"{\1}", path)


class FieldErrorOut(BaseModel):
    """One problem with one field of the request (some errors add facts, e.g. a limit)."""

    field: str
    message: str = ""


class ErrorBodyOut(BaseModel):
    """What went wrong: a stable code, a readable message and, for bad input, the fields."""

    code: str
    message: str
    details: list[FieldErrorOut] | dict[str, Any] | None


class ErrorOut(BaseModel):
    """The envelope of every error answer."""

    error: ErrorBodyOut


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Return a route's ``responses=`` entries for extra error codes, in the envelope's shape."""
    return {code: {"model": ErrorOut, "description": HTTPStatus(code).phrase} for code in codes}


def download_responses(media_type: str) -> dict[int | str, dict[str, Any]]:
    """Return ``responses=`` for a route whose 200 is a file of ``media_type``, not JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": "The file", "content": {media_type: binary}}}


def batch_body(max_records: int, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return ``openapi_extra`` for a batch endpoint that judges each record on its own.

    The batch is any JSON array: a record that does not fit is listed in the answer's
    ``rejected`` and the others are stored, so the record's schema is documentation
    (``x-record``), not a condition of the request.
    """
    items: dict[str, Any] = {
        "description": "one record; a record that does not fit x-record is listed in rejected"
    }
    if record is not None:
        items["x-record"] = record
    schema = {"type": "array", "maxItems": max_records, "items": items}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _uses(dependant: Dependant | None, kind: type) -> bool:
    if dependant is None:
        return False
    return any(isinstance(d.call, kind) or _uses(d, kind) for d in dependant.dependencies)


def _route_shapes(app: FastAPI) -> dict[tuple[str, str], tuple[bool, bool]]:
    """Map (method, path) to (guarded, behind an app's enablement check)."""
    shapes: dict[tuple[str, str], tuple[bool, bool]] = {}
    for ctx in iter_route_contexts(app.routes):
        dependant = getattr(ctx, "dependant", None)
        shape = (_uses(dependant, Guard), _uses(dependant, AppEnabled))
        for method in ctx.methods or ():
            shapes[(method.lower(), documented_path(ctx.path or ""))] = shape
    return shapes


def _error(code: int) -> dict[str, Any]:
    return {
        "description": HTTPStatus(code).phrase,
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def _document_errors(
    operation: dict[str, Any], method: str, path: str, shape: tuple[bool, bool]
) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    if "422" in responses:
        # FastAPI's own 422 shape is never sent: the handler answers in the envelope
        responses["422"] = _error(422)
    guarded, app_route = shape
    codes = []
    if "requestBody" in operation:
        codes.append(400)  # a body that is not UTF-8 is refused before validation
    if "requestBody" in operation or operation.get("parameters"):
        codes.append(422)
    if guarded:
        codes += [401, 403]
    if app_route or "{" in path:
        codes.append(404)
    if method in UNSAFE:
        codes.append(409)
    for code in codes:
        responses.setdefault(str(code), _error(code))


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """Return the app's OpenAPI document with Loom's errors documented."""
    document = get_openapi(
        title=app.title, version=app.version, routes=app.routes, description=app.description
    )
    shapes = _route_shapes(app)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            shape = shapes.get((method, path), (False, False))
            _document_errors(operation, method, path, shape)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_422:
        schemas.pop(name, None)
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error_schema.pop("$defs", {}))
    schemas["ErrorOut"] = error_schema
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve the post-processed description (built once, on the first request for it)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    setter: Callable[[], dict[str, Any]] = openapi
    app.openapi = setter  # type: ignore[method-assign]
