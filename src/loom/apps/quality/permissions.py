"""Permissions of the quality app (enterprises only)."""

from __future__ import annotations

from loom.kernel.authz.registry import EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind, Role

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})
#: QC inspectors are ordinary members: they record inspections, viewers only read them
INSPECTORS = frozenset({Role.ADMIN, Role.MANAGER, Role.MEMBER})

INSPECTION_READ = "quality.inspection.read"
INSPECTION_WRITE = "quality.inspection.write"
INSPECTION_DELETE = "quality.inspection.delete"
CATALOGUE_WRITE = "quality.catalogue.write"
SWITCHING_WRITE = "quality.switching.write"


def _p(name: str, description: str, roles: frozenset[Role]) -> Permission:
    return Permission(name, description, roles, ENTERPRISE)


PERMISSIONS = (
    _p(
        INSPECTION_READ,
        "Read inspections, AQL inspection reports, DHU figures and defect charts",
        EVERY_ROLE,
    ),
    _p(INSPECTION_WRITE, "Record inline, end-of-line and AQL final inspections", INSPECTORS),
    _p(INSPECTION_DELETE, "Delete a recorded inspection", MANAGERS),
    _p(CATALOGUE_WRITE, "Edit the defect catalogue", MANAGERS),
    _p(SWITCHING_WRITE, "Reset a customer's AQL switching state to normal inspection", MANAGERS),
)
