"""Permissions of the kernel itself."""

from __future__ import annotations

from loom.kernel.authz.registry import ADMINS, EVERY_ROLE, MANAGERS, Permission

KERNEL_PERMISSIONS = [
    Permission("kernel.home.view", "See the organisation's home page", EVERY_ROLE),
    Permission("kernel.profile.view", "See one's own profile and organisations", EVERY_ROLE),
    Permission("kernel.org.switch", "Switch the active organisation", EVERY_ROLE),
    Permission("kernel.member.read", "List the organisation's members", MANAGERS),
    Permission("kernel.member.manage", "Add, change and remove members", ADMINS),
    Permission("kernel.token.read", "List API and device tokens", MANAGERS),
    Permission("kernel.token.manage", "Create and revoke API and device tokens", ADMINS),
    Permission("kernel.audit.read", "Read the organisation's audit trail", MANAGERS),
    Permission("kernel.apps.read", "List installed apps and their state", MANAGERS),
    Permission("kernel.apps.manage", "Enable, disable and configure apps", ADMINS),
    Permission("kernel.org.export", "Export all of the organisation's data", ADMINS),
]
