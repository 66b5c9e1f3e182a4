"""Tenancy rules: create organisations, manage memberships."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record, record_scoped
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.identity.models import User
from loom.kernel.identity.service import create_user
from loom.kernel.tenancy.models import Membership, Organisation, OrgKind, Role
from loom.kernel.tenancy.scope import Actor, Scope


def _choices(kind: type[enum.StrEnum]) -> str:
    return ", ".join(member.value for member in kind)


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def create_organisation(
    session: Session, actor: Actor, *, slug: str, name: str, kind: OrgKind | str
) -> Organisation:
    """Create an organisation (a tenant); recorded in the system chain and its own."""
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise ValidationFailed("slug: 2-63 lower-case letters, digits or '-'", field="slug")
    if not name.strip():
        raise ValidationFailed("name: required", field="name")
    try:
        kind = OrgKind(kind)
    except ValueError as exc:
        raise ValidationFailed(
            "kind: one of %(choices)s", field="kind", params={"choices": _choices(OrgKind)}
        ) from exc
    if session.scalar(select(func.count()).where(Organisation.slug == slug)):
        raise Conflict("organisation slug %(slug)s is taken", field="slug", params={"slug": slug})
    org = Organisation(slug=slug, name=name.strip(), kind=kind)
    session.add(org)
    session.flush()
    after = {"slug": slug, "name": org.name, "kind": kind.value}
    record(
        session,
        org_id=None,
        actor=actor,
        action="kernel.org.created",
        target_type="organisation",
        target_id=org.id,
        after=after,
    )
    record(
        session,
        org_id=org.id,
        actor=actor,
        action="kernel.org.created",
        target_type="organisation",
        target_id=org.id,
        after=after,
    )
    return org


def add_membership(
    session: Session, actor: Actor, org: Organisation, user: User, role: Role | str
) -> Membership:
    """Give ``user`` a role in ``org``."""
    try:
        role = Role(role)
    except ValueError as exc:
        raise ValidationFailed(
            "role: one of %(choices)s", field="role", params={"choices": _choices(Role)}
        ) from exc
    exists = session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.org_id == org.id)
    )
    if exists is not None:
        raise Conflict(
            "%(name)s is already a member", field="username", params={"name": user.username}
        )
    membership = Membership(user_id=user.id, org_id=org.id, role=role)
    session.add(membership)
    session.flush()
    record(
        session,
        org_id=org.id,
        actor=actor,
        action="kernel.member.added",
        target_type="membership",
        target_id=membership.id,
        after={"user": user.username, "role": role.value},
    )
    return membership


def list_members(session: Session, scope: Scope) -> list[tuple[Membership, User]]:
    """Return the scope organisation's members with their users."""
    stmt = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.org_id == scope.org_id)
        .order_by(User.username)
    )
    return [(m, u) for m, u in session.execute(stmt)]


def change_role(session: Session, scope: Scope, membership_id: int, role: str) -> Membership:
    """Change a member's role; an organisation always keeps one admin."""
    membership = session.get(Membership, membership_id)
    if membership is None or membership.org_id != scope.org_id:
        raise NotFound("member not found")
    try:
        new_role = Role(role)
    except ValueError as exc:
        raise ValidationFailed(
            "role: one of %(choices)s", field="role", params={"choices": _choices(Role)}
        ) from exc
    if (
        membership.role == Role.ADMIN
        and new_role != Role.ADMIN
        and _admin_count(session, scope.org_id) <= 1
    ):
        raise ValidationFailed("role: the last admin cannot be demoted", field="role")
    before = {"role": membership.role.value}
    membership.role = new_role
    session.flush()
    record_scoped(
        session,
        scope,
        "kernel.member.role_changed",
        "membership",
        membership.id,
        before=before,
        after={"role": new_role.value},
    )
    return membership


def _admin_count(session: Session, org_id: int) -> int:
    stmt = select(func.count()).where(Membership.org_id == org_id, Membership.role == Role.ADMIN)
    return session.scalar(stmt) or 0


def organisation_of(session: Session, scope: Scope) -> Organisation:
    """Return the scope's organisation."""
    org = session.get(Organisation, scope.org_id)
    if org is None:
        raise NotFound("organisation not found")
    return org


def organisation_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Return the names of the organisations with ``ids`` (``None`` skipped), in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))
    )
    return {row.id: row.name for row in rows}


def add_member(
    session: Session,
    scope: Scope,
    *,
    username: str,
    role: str,
    display_name: str = "",
    password: str = "",
) -> Membership:
    """Add a member: a new user when a password is given, else an existing user by name."""
    org = organisation_of(session, scope)
    name = username.strip().lower()
    user = session.scalar(select(User).where(User.username == name))
    if password:
        if user is not None:
            raise Conflict(
                "username %(name)s is taken; leave the password empty to add that user",
                field="username",
                params={"name": name},
            )
        user = create_user(session, name, display_name, password)
    elif user is None:
        raise NotFound(
            "no user named %(name)s; give a password to create the account",
            field="username",
            params={"name": name},
        )
    return add_membership(session, scope.actor, org, user, role)


def remove_member(session: Session, scope: Scope, membership_id: int) -> None:
    """Remove a member; an organisation always keeps one admin."""
    membership = session.get(Membership, membership_id)
    if membership is None or membership.org_id != scope.org_id:
        raise NotFound("member not found")
    if membership.role == Role.ADMIN and _admin_count(session, scope.org_id) <= 1:
        raise ValidationFailed("the last admin cannot be removed", field="membership_id")
    before = {"user_id": membership.user_id, "role": membership.role.value}
    session.delete(membership)
    session.flush()
    record_scoped(
        session, scope, "kernel.member.removed", "membership", membership_id, before=before
    )
