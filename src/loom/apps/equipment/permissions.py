"""Permissions of the equipment app (enterprises only).

One tuple per part of the app, joined in ``PERMISSIONS``: the maintenance part adds its own
tuple next to ``TELEMETRY`` without touching these.
"""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind, Role

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})


def _p(name: str, description: str, roles: frozenset[Role]) -> Permission:
    return Permission(f"equipment.{name}", description, roles, ENTERPRISE)


TELEMETRY_WRITE = "equipment.telemetry.write"
OEE_READ = "equipment.oee.read"
SETTINGS_WRITE = "equipment.telemetry.configure"

TELEMETRY: tuple[Permission, ...] = (
    _p(
        "telemetry.write",
        "Send machine telemetry (the permission of machine device tokens)",
        MANAGERS,
    ),
    _p("oee.read", "Read machine OEE, state timelines and the downtime Pareto", EVERY_ROLE),
    _p(
        "telemetry.configure",
        "Set machines' ideal cycle times for OEE performance",
        MANAGERS,
    ),
)

MAINTENANCE_READ = "equipment.maintenance.read"

MAINTENANCE: tuple[Permission, ...] = (
    _p("maintenance.read", "Read maintenance plans, work orders and spot inspections", EVERY_ROLE),
    _p(
        "maintenance.write",
        "Edit maintenance plans and inspection checklists; open, assign and cancel work orders",
        MANAGERS,
    ),
    _p(
        "maintenance.record",
        "Record spot-inspection rounds, report breakdowns, start and close work orders",
        frozenset({Role.ADMIN, Role.MANAGER, Role.MEMBER}),
    ),
    _p(
        "maintenance.delete", "Delete maintenance plans, work orders, checklists and rounds", ADMINS
    ),
)

PERMISSIONS: tuple[Permission, ...] = (*TELEMETRY, *MAINTENANCE)
