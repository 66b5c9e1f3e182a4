"""What every registry service shares: the entry repository, field checks, snapshots, audit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise
from loom.modules.programme.registry import RegistryRow
from loom.modules.programme.registry import messages as msg
from loom.modules.programme.registry.creditcode import normalise
from loom.modules.programme.registry.fields import COLUMNS, CellProblem, is_blank

#: the editable fields of an entry, in the sheet's column order
FIELDS = tuple(column.key for column in COLUMNS)
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


def audit(
    session: Session, scope: Scope, action: str, entry: Enterprise, before: Any = None
) -> None:
    """Record ``programme.enterprise.<action>`` with the entry's snapshot after the change."""
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


def apply_row(entry: Enterprise, row: RegistryRow) -> None:
    """Copy a clean sheet row's fields onto an entry."""
    for key in FIELDS:
        setattr(entry, key, getattr(row, key))
