"""Permissions of the energy app (enterprises only)."""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind, Role

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})
READ = "energy.meter.read"
METER_WRITE = "energy.meter.write"
METER_DELETE = "energy.meter.delete"
READING_WRITE = "energy.reading.write"
READING_DELETE = "energy.reading.delete"
REVENUE_READ = "energy.revenue.read"
REVENUE_WRITE = "energy.revenue.write"
SETTINGS = "energy.settings.write"


def _p(name: str, description: str, roles: frozenset[Role]) -> Permission:
    return Permission(name, description, roles, ENTERPRISE)


PERMISSIONS: tuple[Permission, ...] = (
    _p(READ, "Read meters, readings and energy consumption figures", EVERY_ROLE),
    _p(METER_WRITE, "Add and change energy meters", MANAGERS),
    _p(METER_DELETE, "Delete an energy meter with its readings", ADMINS),
    _p(READING_WRITE, "Record meter readings by hand, by file or from metering devices", MANAGERS),
    _p(READING_DELETE, "Delete a meter reading", MANAGERS),
    _p(REVENUE_READ, "Read monthly revenue and energy per 100 CNY of revenue", MANAGERS),
    _p(REVENUE_WRITE, "Enter monthly revenue", MANAGERS),
    _p(SETTINGS, "Choose the standard-coal coefficients and the periods R1 compares", ADMINS),
)
