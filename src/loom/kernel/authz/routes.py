"""Find the permission a route declares, for the contract test and ``loom apps check``."""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from loom.kernel.authz.guard import Guard


def _guards(dependant: Dependant) -> list[Guard]:
    found: list[Guard] = []
    for dep in dependant.dependencies:
        if isinstance(dep.call, Guard):
            found.append(dep.call)
        found.extend(_guards(dep))
    return found


def route_permission(route: APIRoute) -> str | None:
    """Return the permission of the route's Guard, or None when it declares none."""
    guards = _guards(route.dependant)
    return guards[0].permission if guards else None
