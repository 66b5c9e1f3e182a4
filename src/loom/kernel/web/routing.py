"""Routers that refuse paths outside their prefix at once, instead of trying every route."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope


def _route_path(scope: Scope) -> str:
    # starlette's get_route_path, inlined: this runs for every gate on every request
    path: str = scope["path"]
    root = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class PrefixRouter(APIRouter):
    """An ``APIRouter`` whose routes all live under ``gate``; any other path is no match.

    FastAPI matches a request against included routers one route at a time, ~6 µs a route: a
    page of the last app in the list was tried against all 700 routes first (12 ms measured for
    /apps/shopfloor/orders). With every app's routers behind a gate, a request looks only at
    the routes of its own prefix.
    """

    def __init__(self, gate: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.gate = gate.rstrip("/")

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Refuse paths outside the gate; delegate the rest to FastAPI's matching."""
        path = _route_path(scope)
        if not (path == self.gate or path.startswith(self.gate + "/")):
            return Match.NONE, {}
        return super().matches(scope)


def gated(router: APIRouter, gate: str, prefix: str = "", **include: Any) -> PrefixRouter:
    """Return ``router`` included at ``prefix`` inside a gate on ``gate`` (its full path)."""
    outer = PrefixRouter(gate)
    outer.include_router(router, prefix=prefix or gate, **include)
    return outer
