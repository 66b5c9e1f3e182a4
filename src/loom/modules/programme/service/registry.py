"""The bureau's enterprise registry: entries, links to enterprise organisations, Excel import.

Every field rule is the registry sheet's (``registry.fields``): the API, the form and the
import accept and refuse exactly the same values. The shared parts live in ``registry_base``,
links, levels and honours in ``registry_facts``; both are re-exported here for the callers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import Conflict, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise, Need, PilotApplication, Project
from loom.modules.programme.registry import ImportResult, RegistryRow, parse_workbook
from loom.modules.programme.service.registry_base import (
    FIELDS,
    EnterpriseRepository,
    Filters,
    apply_row,
    as_row,
    audit,
    clean,
    get,
    owned,
    snapshot,
)
from loom.modules.programme.service.registry_facts import (
    MAX_LEVEL,
    link,
    linkable_organisations,
    mark_smart_factory,
    record_level,
    unlink,
)

__all__ = [
    "FIELDS",
    "MAX_LEVEL",
    "EnterpriseRepository",
    "Filters",
    "ImportOutcome",
    "as_row",
    "clean",
    "create",
    "delete",
    "existing_codes",
    "get",
    "import_rows",
    "import_workbook",
    "link",
    "linkable_organisations",
    "mark_smart_factory",
    "owned",
    "record_level",
    "rows_of",
    "snapshot",
    "unlink",
    "update",
]


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


def create(session: Session, scope: Scope, values: Mapping[str, object]) -> Enterprise:
    """Add an enterprise to the scope's registry (one entry per credit code)."""
    row = clean(values)
    _refuse_taken_code(session, scope, row.credit_code)
    entry = Enterprise(org_id=scope.org_id)
    apply_row(entry, row)
    session.add(entry)
    session.flush()
    audit(session, scope, "created", entry)
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
    apply_row(entry, row)
    session.flush()
    audit(session, scope, "updated", entry, before)
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
        apply_row(entry, row)
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
