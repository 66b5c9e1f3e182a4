"""The bureau's enterprise registry: entries, links to enterprise organisations, Excel import.

Every field rule is the registry sheet's (``registry.fields``): the API, the form and the
import accept and refuse exactly the same values.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict, NotFound, ValidationFailed
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise, Need, PilotApplication, Project
from loom.modules.programme.registry import ImportResult, RegistryRow, parse_workbook
from loom.modules.programme.registry import messages as msg
from loom.modules.programme.registry.creditcode import normalise
from loom.modules.programme.registry.fields import COLUMNS, CellProblem, is_blank
from loom.modules.programme.service.projects import sync_parties

#: the editable fields of an entry, in the sheet's column order
FIELDS = tuple(column.key for column in COLUMNS)
MAX_LEVEL = 4
#: what the registry knows beyond the sheet's fields, audited with them
_FACTS = ("enterprise_org_id", "digital_level", "level_source", "level_on", "smart_factory_on")


@dataclass(frozen=True)
class Filters:
    """What the registry list is narrowed by; empty values do not filter."""

    q: str = ""
    sector: str = ""
    size: str = ""
    town: str = ""
    linked: bool | None = None


class EnterpriseRepository(TenantRepository[Enterprise]):
    """Registry entries the bureau owns; an enterprise organisation sees only its own entry."""

    model = Enterprise

    def filtered(self, filters: Filters) -> Select[Enterprise]:
        """Return the select of entries matching ``filters``, by name."""
        stmt = self.select()
        text = filters.q.strip()
        if text:
            stmt = stmt.where(
                or_(
                    Enterprise.name.ilike(f"%{text}%"),
                    Enterprise.credit_code.ilike(f"%{normalise(text)}%"),
                )
            )
        for column, value in (
            (Enterprise.sector, filters.sector),
            (Enterprise.size, filters.size),
            (Enterprise.town, filters.town),
        ):
            if value:
                stmt = stmt.where(column == value)
        if filters.linked is True:
            stmt = stmt.where(Enterprise.enterprise_org_id.is_not(None))
        elif filters.linked is False:
            stmt = stmt.where(Enterprise.enterprise_org_id.is_(None))
        return stmt.order_by(Enterprise.name, Enterprise.id)

    def listing(self, filters: Filters, *, offset: int = 0, limit: int = 50) -> Page[Enterprise]:
        """Return one page of entries matching ``filters``."""
        return self.page(self.filtered(filters), offset=offset, limit=limit)

    def matching(self, filters: Filters) -> list[Enterprise]:
        """Return every entry matching ``filters`` (for the Excel export)."""
        return list(self.session.scalars(self.filtered(filters)))


def get(session: Session, scope: Scope, enterprise_id: int) -> Enterprise:
    """Return an entry the bureau owns or the enterprise is linked to (404 otherwise)."""
    return EnterpriseRepository(session, scope).get(enterprise_id)


def owned(session: Session, scope: Scope, enterprise_id: int) -> Enterprise:
    """Return an entry of the scope's own registry; a linked enterprise gets 404 too."""
    entry = get(session, scope, enterprise_id)
    if entry.org_id != scope.org_id:
        raise NotFound("Enterprise %(id)s not found", params={"id": enterprise_id})
    return entry


def as_row(entry: Enterprise) -> RegistryRow:
    """Return an entry as the registry sheet's row."""
    return RegistryRow(**{key: getattr(entry, key) for key in FIELDS})


def snapshot(entry: Enterprise) -> dict[str, Any]:
    """Return the audited view of an entry."""
    return {key: getattr(entry, key) for key in (*FIELDS, *_FACTS)}


def _audit(
    session: Session, scope: Scope, action: str, entry: Enterprise, before: Any = None
) -> None:
    action = f"programme.enterprise.{action}"
    record_scoped(
        session, scope, action, "enterprise", entry.id, before=before, after=snapshot(entry)
    )


def clean(values: Mapping[str, object]) -> RegistryRow:
    """Check every field with the sheet's own rules; one ValidationFailed lists every problem."""
    parsed: dict[str, object] = {}
    details: list[dict[str, str]] = []
    for column in COLUMNS:
        value = values.get(column.key)
        if is_blank(value):
            if column.required:
                details.append({"field": column.key, "message": f"{column.key}: {msg.REQUIRED}"})
            parsed[column.key] = column.default
            continue
        try:
            parsed[column.key] = column.parse(value)
        except CellProblem as problem:
            details.append({"field": column.key, "message": f"{column.key}: {problem}"})
    if details:
        raise ValidationFailed(
            "check these fields: %(fields)s",
            details=details,
            params={"fields": ", ".join(d["field"] for d in details)},
        )
    return RegistryRow(**parsed)  # type: ignore[arg-type]


def _refuse_taken_code(session: Session, scope: Scope, code: str, but: int | None = None) -> None:
    stmt = select(Enterprise).where(
        Enterprise.org_id == scope.org_id, Enterprise.credit_code == code
    )
    if but is not None:
        stmt = stmt.where(Enterprise.id != but)
    taken = session.scalars(stmt).first()
    if taken is not None:
        raise Conflict(
            "credit_code: %(code)s is already in the registry as %(name)s",
            field="credit_code",
            params={"code": code, "name": taken.name},
        )


def _apply(entry: Enterprise, row: RegistryRow) -> None:
    for key in FIELDS:
        setattr(entry, key, getattr(row, key))


def create(session: Session, scope: Scope, values: Mapping[str, object]) -> Enterprise:
    """Add an enterprise to the scope's registry (one entry per credit code)."""
    row = clean(values)
    _refuse_taken_code(session, scope, row.credit_code)
    entry = Enterprise(org_id=scope.org_id)
    _apply(entry, row)
    session.add(entry)
    session.flush()
    _audit(session, scope, "created", entry)
    return entry


def update(
    session: Session, scope: Scope, enterprise_id: int, changes: Mapping[str, object]
) -> Enterprise:
    """Change some fields of an entry; the result is checked as a whole, like a sheet row."""
    entry = owned(session, scope, enterprise_id)
    before = snapshot(entry)
    current = {key: getattr(entry, key) for key in FIELDS}
    row = clean({**current, **{k: v for k, v in changes.items() if k in FIELDS}})
    if row.credit_code != entry.credit_code:
        _refuse_taken_code(session, scope, row.credit_code, but=entry.id)
    _apply(entry, row)
    session.flush()
    _audit(session, scope, "updated", entry, before)
    return entry


def _count(session: Session, model: Any, enterprise: Enterprise) -> int:
    stmt = select(func.count()).where(
        model.enterprise_id == enterprise.id, model.org_id == enterprise.org_id
    )
    return session.scalar(stmt) or 0


def delete(session: Session, scope: Scope, enterprise_id: int) -> None:
    """Remove an entry that nothing refers to yet; pilots keep their history."""
    entry = owned(session, scope, enterprise_id)
    uses = {
        "applications": _count(session, PilotApplication, entry),
        "projects": _count(session, Project, entry),
        "needs": _count(session, Need, entry),
    }
    if any(uses.values()):
        raise Conflict(
            "%(name)s cannot be deleted while pilot applications (%(applications)s), "
            "projects (%(projects)s) or survey needs (%(needs)s) refer to it",
            field="enterprise",
            params={"name": entry.name, **uses},
        )
    before = snapshot(entry)
    session.delete(entry)
    session.flush()
    record_scoped(
        session, scope, "programme.enterprise.deleted", "enterprise", enterprise_id, before=before
    )


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
    _audit(session, scope, "linked" if org_id else "unlinked", entry, before)


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
    _audit(session, scope, "level_recorded", entry, before)
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
    _audit(session, scope, "smart_factory_marked", entry, before)
    return entry


def existing_codes(session: Session, scope: Scope) -> set[str]:
    """Return the credit codes already in the scope's registry."""
    stmt = select(Enterprise.credit_code).where(Enterprise.org_id == scope.org_id)
    return set(session.scalars(stmt))


def import_rows(
    session: Session, scope: Scope, rows: Sequence[RegistryRow], *, source: str = ""
) -> list[Enterprise]:
    """Add clean sheet rows all together, or none; one audit event names every entry added."""
    if not rows:
        raise ValidationFailed("file: the sheet holds no enterprise", field="file")
    known = existing_codes(session, scope)
    counts = Counter(row.credit_code for row in rows)
    # parse_workbook already refused these; rows may come from elsewhere, or a parallel import
    repeated = sorted(code for code, n in counts.items() if code in known or n > 1)
    if repeated:
        raise Conflict(
            "credit_code: already in the registry or repeated: %(codes)s",
            field="credit_code",
            params={"codes": ", ".join(repeated[:10])},
        )
    entries = []
    for row in rows:
        entry = Enterprise(org_id=scope.org_id)
        _apply(entry, row)
        entries.append(entry)
    session.add_all(entries)
    session.flush()
    summary = {"count": len(entries), "entries": [[e.id, e.credit_code, e.name] for e in entries]}
    action = "programme.enterprise.imported"
    record_scoped(session, scope, action, "enterprise_import", source or "rows", after=summary)
    return entries


@dataclass(frozen=True)
class ImportOutcome:
    """An upload's parse result, and the entries added when it was clean."""

    result: ImportResult
    created: list[Enterprise]


def import_workbook(session: Session, scope: Scope, data: bytes) -> ImportOutcome:
    """Read an uploaded registry sheet and import it if every row is clean (else nothing).

    Raises ``SheetRejected`` when the file cannot be read at all.
    """
    result = parse_workbook(data, existing_codes(session, scope))
    if not result.ok:
        return ImportOutcome(result, [])
    digest = hashlib.sha256(data).hexdigest()[:16]
    return ImportOutcome(result, import_rows(session, scope, result.rows, source=digest))


def rows_of(entries: Iterable[Enterprise]) -> list[RegistryRow]:
    """Return entries as sheet rows (for the export)."""
    return [as_row(entry) for entry in entries]
