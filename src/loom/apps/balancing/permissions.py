"""Permissions of the balancing app (enterprises only)."""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind, Role

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})
READ = "balancing.plan.read"
WRITE = "balancing.plan.write"
PUBLISH = "balancing.plan.publish"
DELETE = "balancing.plan.delete"


def _p(name: str, description: str, roles: frozenset[Role]) -> Permission:
    return Permission(name, description, roles, ENTERPRISE)


PERMISSIONS: tuple[Permission, ...] = (
    _p(READ, "Read line-balancing plans, compare them and export them to Excel", EVERY_ROLE),
    _p(WRITE, "Balance a style on a line and edit balancing plans by hand", MANAGERS),
    _p(PUBLISH, "Publish a balancing plan to its production line", MANAGERS),
    _p(DELETE, "Delete a line-balancing plan", ADMINS),
)
