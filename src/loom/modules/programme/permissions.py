"""Permissions of the programme console.

The bureau runs the programme; enterprises, contractors and assessors act on the projects and
applications they take part in (participant records), each within their role.
"""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind, Role

BUREAU = frozenset({OrgKind.BUREAU})
ENTERPRISE = frozenset({OrgKind.ENTERPRISE})
CONTRACTOR = frozenset({OrgKind.CONTRACTOR})
ASSESSOR = frozenset({OrgKind.ASSESSOR})
EVERYONE = frozenset(OrgKind)
PARTIES = BUREAU | ENTERPRISE | CONTRACTOR | ASSESSOR


def _p(
    name: str, description: str, roles: frozenset[Role], kinds: frozenset[OrgKind]
) -> Permission:
    return Permission(f"programme.{name}", description, roles, kinds)


PERMISSIONS = (
    _p("plan.read", "Read the action plan: phases, batches, quotas, targets", EVERY_ROLE, EVERYONE),
    _p("plan.manage", "Correct and republish the action plan as data", ADMINS, BUREAU),
    _p("registry.read", "Read the enterprise registry", EVERY_ROLE, BUREAU | ENTERPRISE),
    _p("registry.write", "Add, edit, import and link registry enterprises", MANAGERS, BUREAU),
    _p("pilot.read", "Read pilot applications and their scores", EVERY_ROLE, BUREAU | ENTERPRISE),
    _p("pilot.manage", "Record and score pilot applications, select pilots", MANAGERS, BUREAU),
    _p(
        "contractor.read",
        "Read general-contractor applications",
        EVERY_ROLE,
        BUREAU | CONTRACTOR,
    ),
    _p("contractor.apply", "Apply to be a general contractor", MANAGERS, CONTRACTOR),
    _p("contractor.manage", "Score contractor applications and choose", MANAGERS, BUREAU),
    _p("needs.read", "Read the N+X survey, scenarios and lists", EVERY_ROLE, BUREAU | CONTRACTOR),
    _p("needs.manage", "Record survey needs, scenarios and publish the lists", MANAGERS, BUREAU),
    _p("project.read", "Read the transformation projects one takes part in", EVERY_ROLE, PARTIES),
    _p("project.write", "Create projects and edit their contract and scenarios", MANAGERS, BUREAU),
    _p(
        "project.invest",
        "Record a project's investment lines and evidence",
        MANAGERS,
        BUREAU | ENTERPRISE | CONTRACTOR,
    ),
    _p("project.approve", "Approve a project (立项)", MANAGERS, BUREAU),
    _p("project.start", "Start implementing a project", MANAGERS, BUREAU | CONTRACTOR),
    _p(
        "project.request_acceptance",
        "Ask for acceptance of a finished project",
        MANAGERS,
        ENTERPRISE | CONTRACTOR,
    ),
    _p("project.begin_review", "Open the on-site review of a project", MANAGERS, BUREAU),
    _p("project.accept", "Decide acceptance of a project", MANAGERS, BUREAU),
    _p("project.require_rectification", "Send a project back for rectification", MANAGERS, BUREAU),
    _p(
        "project.resume",
        "Resume a project after rectification",
        MANAGERS,
        BUREAU | CONTRACTOR | ENTERPRISE,
    ),
    _p("project.withdraw", "Withdraw a project", MANAGERS, BUREAU),
    _p("project.designate", "Name accepted pilots regional or municipal samples", MANAGERS, BUREAU),
    _p("onsite.record", "Record an on-site assessment on a project", MANAGERS, ASSESSOR),
    _p("product.read", "Read the 小快轻准 product catalogue", EVERY_ROLE, EVERYONE),
    _p("product.publish", "Publish and withdraw one's products", MANAGERS, CONTRACTOR),
    _p("product.mark", "Mark products excellent", MANAGERS, BUREAU),
    _p("kpi.read", "Read the targets dashboard", EVERY_ROLE, BUREAU),
    _p(
        "analytics.read",
        "Read programme analytics: levels gained and subsidy effect",
        EVERY_ROLE,
        BUREAU,
    ),
    _p("showcase.read", "Read the showcase cases one takes part in", EVERY_ROLE, PARTIES),
    _p(
        "showcase.manage",
        "Write up accepted projects and mark them showcase cases",
        MANAGERS,
        BUREAU,
    ),
)
