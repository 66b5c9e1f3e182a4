"""Walk an application's routes and find the permission each declares.

Used by the route-permission contract test and by ``loom apps check``. FastAPI keeps included
routers as lazy branches, so we walk its effective route contexts, which carry the dependencies
added at inclusion time as well as the route's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, Mount

from loom.kernel.authz.guard import Guard


@dataclass(frozen=True)
class RouteInfo:
    """One reachable route: its path, methods and declared permission."""

    path: str
    methods: tuple[str, ...]
    permission: str | None
    is_mount: bool = False


def _guards(dependant: Dependant) -> list[Guard]:
    found: list[Guard] = []
    for dep in dependant.dependencies:
        if isinstance(dep.call, Guard):
            found.append(dep.call)
        found.extend(_guards(dep))
    return found


def dependant_permission(dependant: Dependant | None) -> str | None:
    """Return the permission of the first Guard in a dependency tree, or None."""
    if dependant is None:
        return None
    guards = _guards(dependant)
    return guards[0].permission if guards else None


def walk_routes(routes: Sequence[BaseRoute]) -> list[RouteInfo]:
    """Return every route reachable from ``routes``, included routers flattened."""
    found: list[RouteInfo] = []
    for ctx in iter_route_contexts(routes):
        original = ctx.original_route
        if isinstance(original, Mount):
            found.append(RouteInfo(ctx.path or original.path, (), None, is_mount=True))
            continue
        dependant = getattr(ctx, "dependant", None)
        methods = tuple(sorted(ctx.methods or ()))
        found.append(RouteInfo(ctx.path or "", methods, dependant_permission(dependant)))
    return found
