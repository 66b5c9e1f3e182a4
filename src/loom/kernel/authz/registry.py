"""The permission registry: dotted names, descriptions and the roles that hold them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from loom.kernel.tenancy.models import OrgKind, Role

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

ALL_KINDS = frozenset(OrgKind)
EVERY_ROLE = frozenset(Role)
MANAGERS = frozenset({Role.ADMIN, Role.MANAGER})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Permission:
    """A dotted permission, the roles granted it by default and the organisation kinds it fits."""

    name: str
    description: str
    roles: frozenset[Role] = ADMINS
    org_kinds: frozenset[OrgKind] = field(default=ALL_KINDS)

    def __post_init__(self) -> None:
        if not NAME_PATTERN.match(self.name):
            raise ValueError(f"permission name {self.name!r} must be dotted lower-case words")


class PermissionRegistry:
    """All permissions known to this Loom instance (kernel, modules and apps)."""

    def __init__(self) -> None:
        self._permissions: dict[str, Permission] = {}
        # every request asks for its role's grants: a scan of all permissions, kept until
        # the next register
        self._granted: dict[tuple[Role, OrgKind], frozenset[str]] = {}

    def register(self, permissions: Iterable[Permission]) -> None:
        """Add permissions; the same name twice with different meaning is an error."""
        for perm in permissions:
            known = self._permissions.get(perm.name)
            if known is not None and known != perm:
                raise ValueError(f"permission {perm.name!r} registered twice, differently")
            self._permissions[perm.name] = perm
        self._granted.clear()

    def __contains__(self, name: object) -> bool:
        return name in self._permissions

    def get(self, name: str) -> Permission:
        """Return the permission named ``name``."""
        return self._permissions[name]

    def all(self) -> list[Permission]:
        """Return every permission, sorted by name."""
        return sorted(self._permissions.values(), key=lambda p: p.name)

    def granted(self, role: Role, org_kind: OrgKind) -> frozenset[str]:
        """Return the names granted to ``role`` in an organisation of ``org_kind``."""
        found = self._granted.get((role, org_kind))
        if found is None:
            found = self._granted[(role, org_kind)] = frozenset(
                p.name
                for p in self._permissions.values()
                if role in p.roles and org_kind in p.org_kinds
            )
        return found
