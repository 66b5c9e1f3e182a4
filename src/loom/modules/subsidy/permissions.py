"""Permissions of the subsidy module."""

from __future__ import annotations

from loom.kernel.authz.registry import EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind

# the bureau pays; enterprises and contractors (service providers) receive
PARTIES = frozenset({OrgKind.BUREAU, OrgKind.ENTERPRISE, OrgKind.CONTRACTOR})
# the ledger is the bureau's record of public money: only the bureau reads and changes it
BUREAU = frozenset({OrgKind.BUREAU})

PERMISSIONS = (
    Permission("subsidy.rules.read", "Read the subsidy and award rules", EVERY_ROLE, PARTIES),
    Permission(
        "subsidy.quote.run",
        "Quote a subsidy or award under the rules (nothing is recorded)",
        EVERY_ROLE,
        PARTIES,
    ),
    Permission(
        "subsidy.award.read",
        "Read the subsidy ledger and quote awards against it",
        EVERY_ROLE,
        BUREAU,
    ),
    Permission(
        "subsidy.award.manage",
        "Approve and cancel awards and record payments",
        MANAGERS,
        BUREAU,
    ),
)
