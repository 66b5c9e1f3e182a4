"""Domain errors that the web layer turns into JSON or HTML responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """Base for errors a user can act on; never a 500."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        details: Any = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        # ``message`` is an English msgid with %(name)s placeholders, so pages can translate it.
        self.template = message
        self.params = dict(params or {})
        self.message = message % self.params if self.params else message
        super().__init__(self.message)
        self.field = field
        self.details = details


class ValidationFailed(DomainError):
    """Input is well-formed but breaks a rule; names the field."""

    status_code = 422
    code = "validation_error"


class NotFound(DomainError):
    """The object does not exist for this caller (also used for other tenants' objects)."""

    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    """The change collides with existing data, for example a duplicate key."""

    status_code = 409
    code = "conflict"


class NotAuthenticated(DomainError):
    """No valid session or token was presented."""

    status_code = 401
    code = "not_authenticated"


class PermissionDenied(DomainError):
    """The caller is known but lacks the permission the route declares."""

    status_code = 403
    code = "permission_denied"
