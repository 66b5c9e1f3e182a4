"""Permissions of the subsidy module."""

from __future__ import annotations

from loom.kernel.authz.registry import EVERY_ROLE, Permission
from loom.kernel.tenancy.models import OrgKind

# the bureau pays; enterprises and contractors (service providers) receive
PARTIES = frozenset({OrgKind.BUREAU, OrgKind.ENTERPRISE, OrgKind.CONTRACTOR})

PERMISSIONS = (
    Permission("subsidy.rules.read", "Read the subsidy and award rules", EVERY_ROLE, PARTIES),
    Permission(
        "subsidy.quote.run",
        "Quote a subsidy or award under the rules (nothing is recorded)",
        EVERY_ROLE,
        PARTIES,
    ),
)
