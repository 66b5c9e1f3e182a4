"""Permissions of order match-making: enterprises post orders and answer invitations."""

from __future__ import annotations

from loom.kernel.authz.registry import EVERY_ROLE, MANAGERS, Permission
from loom.kernel.tenancy.models import OrgKind

ENTERPRISE = frozenset({OrgKind.ENTERPRISE})

ORDER_READ = "matching.order.read"
ORDER_POST = "matching.order.post"
INVITATION_READ = "matching.invitation.read"
INVITATION_RESPOND = "matching.invitation.respond"

PERMISSIONS: tuple[Permission, ...] = (
    Permission(
        ORDER_READ,
        "See the orders the enterprise posted, their ranking and progress",
        EVERY_ROLE,
        ENTERPRISE,
    ),
    Permission(
        ORDER_POST,
        "Post orders, rank factories, invite them and cancel orders",
        MANAGERS,
        ENTERPRISE,
    ),
    Permission(
        INVITATION_READ, "See the order invitations the enterprise received", EVERY_ROLE, ENTERPRISE
    ),
    Permission(
        INVITATION_RESPOND,
        "Accept or decline order invitations (an accepted one becomes a production order)",
        MANAGERS,
        ENTERPRISE,
    ),
)
