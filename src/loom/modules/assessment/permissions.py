"""Permissions of the assessment module."""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})
ASSESSOR = frozenset({OrgKind.ASSESSOR})
BUREAU = frozenset({OrgKind.BUREAU})
EVERYONE = frozenset(OrgKind)

PERMISSIONS = (
    Permission(
        "assessment.assessment.read",
        "Read assessments of or by this organisation",
        EVERY_ROLE,
        ENTERPRISE | ASSESSOR,
    ),
    Permission(
        "assessment.assessment.write", "Fill in and submit self-assessments", MANAGERS, ENTERPRISE
    ),
    Permission(
        "assessment.onsite.write", "Record on-site assessments of enterprises", MANAGERS, ASSESSOR
    ),
    Permission(
        "assessment.answers.write",
        "Answer, submit and attach evidence to the assessments one's organisation writes",
        MANAGERS,
        ENTERPRISE | ASSESSOR,
    ),
    Permission(
        "assessment.plan.run", "Plan the cheapest way to a digital level", EVERY_ROLE, ENTERPRISE
    ),
    Permission("assessment.ruleset.read", "Read the assessment rule sets", EVERY_ROLE, EVERYONE),
    Permission(
        "assessment.ruleset.manage", "Correct and publish assessment rule sets", ADMINS, BUREAU
    ),
)
