"""Permissions of the garment master data (enterprises only)."""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind, Role

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})


def _p(name: str, description: str, roles: frozenset[Role]) -> Permission:
    return Permission(f"masterdata.{name}", description, roles, ENTERPRISE)


PERMISSIONS = (
    _p("style.read", "Read styles, their colour × size matrix and routings", EVERY_ROLE),
    _p("style.write", "Create and edit styles and set their routings", MANAGERS),
    _p("style.delete", "Delete a style with its routing", ADMINS),
    _p("operation.read", "Read the operation library", EVERY_ROLE),
    _p("operation.write", "Create and edit operations (SAM, machine, skill grade)", MANAGERS),
    _p("operation.delete", "Delete an operation no routing uses", ADMINS),
    _p("rate.read", "Read piece rates and their versions", EVERY_ROLE),
    _p("rate.write", "Add a new piece-rate version with its effective date", MANAGERS),
    _p("line.read", "Read production lines and their workstations", EVERY_ROLE),
    _p("line.write", "Create and edit production lines and their workstations", MANAGERS),
    _p("line.delete", "Delete a production line or workstation nothing uses", ADMINS),
    _p("operator.read", "Read operators and the skills matrix", EVERY_ROLE),
    _p("operator.write", "Create and edit operators and set their skills", MANAGERS),
    _p("operator.delete", "Delete an operator with their skills", ADMINS),
    _p("machine.read", "Read the machine ledger", EVERY_ROLE),
    _p("machine.write", "Add and edit machines and place them on lines", MANAGERS),
    _p("machine.delete", "Delete a machine from the ledger", ADMINS),
)
