"""What the registry knows beyond the sheet: the linked organisation, digital level, honours."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise, PilotApplication, Project
from loom.modules.programme.service.projects import sync_parties
from loom.modules.programme.service.registry_base import audit, owned, snapshot

MAX_LEVEL = 4


def linkable_organisations(session: Session, scope: Scope, entry: Enterprise) -> list[Organisation]:
    """Return the active enterprise organisations no other entry of this registry links to."""
    taken = select(Enterprise.enterprise_org_id).where(
        Enterprise.org_id == scope.org_id,
        Enterprise.enterprise_org_id.is_not(None),
        Enterprise.id != entry.id,
    )
    stmt = select(Organisation).where(
        Organisation.kind == OrgKind.ENTERPRISE,
        Organisation.is_active.is_(True),
        Organisation.id.not_in(taken),
    )
    return list(session.scalars(stmt.order_by(Organisation.name)))


def _set_link(session: Session, scope: Scope, entry: Enterprise, org_id: int | None) -> None:
    before = snapshot(entry)
    entry.enterprise_org_id = org_id
    # The enterprise takes part in its applications and project through this column too:
    # a link made (or undone) after they exist must reach them, or it would see half its file.
    applications = select(PilotApplication).where(
        PilotApplication.enterprise_id == entry.id, PilotApplication.org_id == entry.org_id
    )
    for application in session.scalars(applications):
        application.enterprise_org_id = org_id
    projects = select(Project).where(
        Project.enterprise_id == entry.id, Project.org_id == entry.org_id
    )
    for project in session.scalars(projects):
        project.enterprise_org_id = org_id
        sync_parties(session, project)
    session.flush()
    audit(session, scope, "linked" if org_id else "unlinked", entry, before)


def link(session: Session, scope: Scope, enterprise_id: int, org_id: int) -> Enterprise:
    """Link an entry to the enterprise organisation it is, which then sees its entry."""
    entry = owned(session, scope, enterprise_id)
    org = session.get(Organisation, org_id)
    if org is None or org.kind != OrgKind.ENTERPRISE or not org.is_active:
        raise ValidationFailed(
            "org_id: %(id)s is not an active enterprise organisation",
            field="org_id",
            params={"id": org_id},
        )
    other = session.scalars(
        select(Enterprise).where(
            Enterprise.org_id == scope.org_id,
            Enterprise.enterprise_org_id == org_id,
            Enterprise.id != entry.id,
        )
    ).first()
    if other is not None:
        raise Conflict(
            "org_id: %(org)s is already linked to %(name)s",
            field="org_id",
            params={"org": org.name, "name": other.name},
        )
    if entry.enterprise_org_id != org_id:
        _set_link(session, scope, entry, org_id)
    return entry


def unlink(session: Session, scope: Scope, enterprise_id: int) -> Enterprise:
    """Undo an entry's link; the organisation no longer sees the entry."""
    entry = owned(session, scope, enterprise_id)
    if entry.enterprise_org_id is not None:
        _set_link(session, scope, entry, None)
    return entry


def _not_future(day: date, today: date, field: str) -> None:
    if day > today:
        raise ValidationFailed(
            "%(field)s: the date %(day)s is in the future",
            field=field,
            params={"field": field, "day": day.isoformat()},
        )


def record_level(
    session: Session,
    scope: Scope,
    enterprise_id: int,
    *,
    level: int,
    assessed_on: date,
    today: date | None = None,
) -> Enterprise:
    """Record a digital level assessed outside Loom (0 = below level 1); source "recorded"."""
    entry = owned(session, scope, enterprise_id)
    if not 0 <= level <= MAX_LEVEL:
        raise ValidationFailed(
            "level: a level from 0 (not graded) to %(max)s",
            field="level",
            params={"max": MAX_LEVEL},
        )
    _not_future(assessed_on, today or date.today(), "assessed_on")
    if entry.level_on is not None and entry.level_on > assessed_on:
        # the registry keeps the latest known level; an older assessment would hide a newer one
        raise Conflict(
            "assessed_on: a level assessed on %(known)s is already recorded",
            field="assessed_on",
            params={"known": entry.level_on.isoformat()},
        )
    before = snapshot(entry)
    entry.digital_level = level
    entry.level_source = "recorded"
    entry.level_on = assessed_on
    session.flush()
    audit(session, scope, "level_recorded", entry, before)
    return entry


def mark_smart_factory(
    session: Session,
    scope: Scope,
    enterprise_id: int,
    named_on: date | None,
    today: date | None = None,
) -> Enterprise:
    """Record the date the enterprise was named a digital workshop / smart factory (or clear it)."""
    entry = owned(session, scope, enterprise_id)
    if named_on is not None:
        _not_future(named_on, today or date.today(), "smart_factory_on")
    before = snapshot(entry)
    entry.smart_factory_on = named_on
    session.flush()
    audit(session, scope, "smart_factory_marked", entry, before)
    return entry
