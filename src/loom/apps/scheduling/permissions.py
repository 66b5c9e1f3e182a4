"""Permissions of production scheduling (enterprises only)."""

from __future__ import annotations

from loom.kernel.authz.registry import EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind, Role

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})


def _p(name: str, description: str, roles: frozenset[Role]) -> Permission:
    return Permission(f"scheduling.{name}", description, roles, ENTERPRISE)


PERMISSIONS = (
    _p("plan.read", "Read production plans, the Gantt chart and the capacity load", EVERY_ROLE),
    _p("plan.write", "Plan orders on lines, run what-if scenarios and adopt a plan", MANAGERS),
    _p(
        "calendar.write", "Edit lines' scheduling profiles: calendars, holidays, overtime", MANAGERS
    ),
    _p("milestone.read", "Read time-and-action milestones and their alerts", EVERY_ROLE),
    _p(
        "milestone.write",
        "Edit time-and-action templates and record milestone completion",
        MANAGERS,
    ),
)
