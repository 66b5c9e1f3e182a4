"""The tenant scope: proof that a caller acts inside one organisation.

Repositories refuse to run without a scope, and only ``loom.kernel.authz`` mints one, after it
has authenticated the caller and checked the route's permission. Nothing else may call
``Scope._mint``; a contract test greps the source tree for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loom.kernel.tenancy.models import OrgKind

_MINT_KEY = object()


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a user, an API or device token, or the system (CLI, jobs)."""

    kind: str  # "user" | "token" | "system"
    label: str
    user_id: int | None = None
    token_id: int | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """An authenticated caller acting inside one organisation with a set of permissions."""

    org_id: int
    org_kind: OrgKind
    actor: Actor
    permissions: frozenset[str]
    request_id: str = ""
    _key: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._key is not _MINT_KEY:
            raise TypeError("a Scope can only be minted by loom.kernel.authz")

    @classmethod
    def _mint(
        cls,
        *,
        org_id: int,
        org_kind: OrgKind,
        actor: Actor,
        permissions: frozenset[str],
        request_id: str = "",
    ) -> Scope:
        return cls(org_id, org_kind, actor, permissions, request_id, _MINT_KEY)

    def can(self, permission: str) -> bool:
        """Return whether this scope holds ``permission``."""
        return permission in self.permissions or "*" in self.permissions
