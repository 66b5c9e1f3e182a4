"""Permissions of shop-floor execution (enterprises only)."""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind, Role

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})


def _p(name: str, description: str, roles: frozenset[Role]) -> Permission:
    return Permission(f"shopfloor.{name}", description, roles, ENTERPRISE)


PERMISSIONS = (
    _p("order.read", "Read production orders, lays, bundles and print bundle tickets", EVERY_ROLE),
    _p("order.write", "Create and edit production orders", MANAGERS),
    _p("order.delete", "Delete a production order that has no scans", ADMINS),
    _p("cutting.write", "Plan lays and cut them into bundles", MANAGERS),
    _p("event.write", "Send scan events (the permission of shop-floor device tokens)", MANAGERS),
    _p("event.read", "Read scan figures: WIP, output, efficiency, the line dashboard", EVERY_ROLE),
    _p("pay.read", "Read operators' piece-rate pay statements", MANAGERS),
    _p("quarantine.read", "Read quarantined scan events", MANAGERS),
    _p("quarantine.resolve", "Fix and re-apply, or discard, a quarantined scan event", MANAGERS),
)
