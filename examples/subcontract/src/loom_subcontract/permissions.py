"""Permissions of the sub-contracting app (every name starts with the slug)."""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind

_FACTORIES = frozenset({OrgKind.ENTERPRISE})

JOB_READ = "subcontract.job.read"
JOB_WRITE = "subcontract.job.write"
JOB_DELETE = "subcontract.job.delete"

PERMISSIONS = (
    Permission(JOB_READ, "See sub-contracting jobs and their receipts", EVERY_ROLE, _FACTORIES),
    Permission(JOB_WRITE, "Send out, change and close jobs; record receipts", MANAGERS, _FACTORIES),
    Permission(JOB_DELETE, "Delete jobs and receipts", ADMINS, _FACTORIES),
)
