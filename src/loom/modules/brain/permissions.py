"""Permissions of the industry brain."""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})
BUREAU = frozenset({OrgKind.BUREAU})

CONSENT_READ = "brain.consent.read"
CONSENT_WRITE = "brain.consent.write"
READS_READ = "brain.reads.read"
INDEX_READ = "brain.index.read"
CAPACITY_READ = "brain.capacity.read"

PERMISSIONS: tuple[Permission, ...] = (
    Permission(
        CONSENT_READ,
        "See what the enterprise shares with the industry brain",
        EVERY_ROLE,
        ENTERPRISE,
    ),
    Permission(
        CONSENT_WRITE,
        "Grant, change or revoke sharing with the industry brain",
        ADMINS,
        ENTERPRISE,
    ),
    Permission(
        READS_READ, "See who read the enterprise's shared data, and when", MANAGERS, ENTERPRISE
    ),
    Permission(
        INDEX_READ,
        "See industry indices built from consented data (figures of fewer than 3 enterprises "
        "hidden)",
        EVERY_ROLE,
        BUREAU | ENTERPRISE,
    ),
    Permission(
        CAPACITY_READ,
        "See the capacity map: free sewing capacity of the enterprises that share it",
        EVERY_ROLE,
        BUREAU,
    ),
)
