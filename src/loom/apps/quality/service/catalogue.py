"""The defect catalogue (疵点库): each enterprise's defect codes with their class and category."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from loom.apps.quality.models import (
    CATEGORIES,
    DEFECT_CLASSES,
    AqlInspection,
    DefectType,
    InspectionDefect,
)
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems

#: common garment defects a new catalogue starts from: (code, name, class, category). Critical
#: is kept for what can hurt the wearer (a needle fragment), as buyers' AQL manuals do.
COMMON_DEFECTS: tuple[tuple[str, str, str, str], ...] = (
    ("SKIP", "跳针", "major", "sewing"),
    ("BRKT", "断线", "major", "sewing"),
    ("OPEN", "开线", "major", "sewing"),
    ("MISA", "对位不准", "major", "sewing"),
    ("PUCK", "起皱", "minor", "sewing"),
    ("UNEV", "缝线不直", "minor", "sewing"),
    ("HOLE", "破洞", "major", "fabric"),
    ("SHAD", "色差", "major", "fabric"),
    ("MEAS", "尺寸不符", "major", "measurement"),
    ("STAI", "污渍", "major", "appearance"),
    ("THRD", "线头", "minor", "appearance"),
    ("PRES", "烫痕", "minor", "appearance"),
    ("BTNL", "钉扣不牢", "major", "trims"),
    ("LABL", "唛头错误", "major", "trims"),
    ("NEED", "断针残留", "critical", "other"),
)


class DefectRepository(TenantRepository[DefectType]):
    """The scope's enterprise's defect catalogue."""

    model = DefectType


@dataclass(frozen=True)
class DefectIn:
    """A catalogue entry as a user types it."""

    code: str
    name: str
    defect_class: str
    category: str = "other"
    active: bool = True


def defect_problems(data: DefectIn) -> list[FieldProblem]:
    """Return every bad field of a catalogue entry."""
    found = [
        *text_problems("code", data.code, 20, required=True),
        *text_problems("name", data.name, 100, required=True),
    ]
    if data.defect_class not in DEFECT_CLASSES:
        found.append(
            FieldProblem("defect_class", "one of %(kinds)s", {"kinds": ", ".join(DEFECT_CLASSES)})
        )
    if data.category not in CATEGORIES:
        found.append(FieldProblem("category", "one of %(kinds)s", {"kinds": ", ".join(CATEGORIES)}))
    return found


def snapshot(row: DefectType) -> dict[str, Any]:
    """Return a catalogue entry as the audit trail records it."""
    return {
        "code": row.code,
        "name": row.name,
        "defect_class": row.defect_class,
        "category": row.category,
        "active": row.active,
    }


def _check_code_free(session: Session, scope: Scope, code: str, own_id: int | None) -> None:
    stmt = DefectRepository(session, scope).select().where(DefectType.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict("code: defect %(code)s exists already", field="code", params={"code": code})


def _fill(row: DefectType, data: DefectIn) -> None:
    row.code = data.code.strip().upper()
    row.name = data.name.strip()
    row.defect_class = data.defect_class
    row.category = data.category
    row.active = data.active


def create(session: Session, scope: Scope, data: DefectIn) -> DefectType:
    """Add a defect code to the catalogue; the code must be new there."""
    raise_problems(defect_problems(data))
    _check_code_free(session, scope, data.code.strip().upper(), None)
    row = DefectType(org_id=scope.org_id)
    _fill(row, data)
    session.add(row)
    session.flush()
    record_scoped(session, scope, "quality.defect.created", "defect", row.id, after=snapshot(row))
    return row


def update(session: Session, scope: Scope, defect_id: int, data: DefectIn) -> DefectType:
    """Replace a catalogue entry's fields; another enterprise's entry answers 404."""
    row = DefectRepository(session, scope).get(defect_id)
    raise_problems(defect_problems(data))
    _check_code_free(session, scope, data.code.strip().upper(), row.id)
    before = snapshot(row)
    _fill(row, data)
    after = snapshot(row)
    if after != before:
        session.flush()
        record_scoped(
            session, scope, "quality.defect.updated", "defect", row.id, before=before, after=after
        )
    return row


def usage(session: Session, scope: Scope, row: DefectType) -> int:
    """Return how many inspection rows and AQL reports name the defect."""
    used = session.scalar(
        select(func.count())
        .select_from(InspectionDefect)
        .where(InspectionDefect.org_id == scope.org_id, InspectionDefect.defect_id == row.id)
    )
    reports = session.scalars(
        select(AqlInspection.defects).where(AqlInspection.org_id == scope.org_id)
    )
    return (used or 0) + sum(1 for found in reports if row.code in (found or {}))


def delete(session: Session, scope: Scope, defect_id: int) -> None:
    """Delete a catalogue entry no inspection names (one in use can be deactivated instead)."""
    repo = DefectRepository(session, scope)
    row = repo.get(defect_id)
    used = usage(session, scope, row)
    if used:
        raise Conflict(
            "defect %(code)s is named by %(n)s inspection record(s): deactivate it instead",
            params={"code": row.code, "n": used},
        )
    before = snapshot(row)
    repo.delete(row)
    record_scoped(session, scope, "quality.defect.deleted", "defect", defect_id, before=before)


def seed_common(session: Session, scope: Scope) -> list[DefectType]:
    """Add the common garment defects whose codes the catalogue lacks; return the new ones."""
    repo = DefectRepository(session, scope)
    taken = set(session.scalars(select(DefectType.code).where(repo._owned())))
    added: list[DefectType] = []
    for code, name, defect_class, category in COMMON_DEFECTS:
        if code not in taken:
            added.append(create(session, scope, DefectIn(code, name, defect_class, category)))
    return added


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    defect_class: str = "",
    category: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Page[DefectType]:
    """Return one page of the catalogue by code, searched in code and name."""
    repo = DefectRepository(session, scope)
    stmt = repo.select()
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(or_(DefectType.code.ilike(like), DefectType.name.ilike(like)))
    if defect_class in DEFECT_CLASSES:
        stmt = stmt.where(DefectType.defect_class == defect_class)
    if category in CATEGORIES:
        stmt = stmt.where(DefectType.category == category)
    return repo.page(stmt.order_by(DefectType.code, DefectType.id), offset=offset, limit=limit)


def all_defects(session: Session, scope: Scope, *, active_only: bool = False) -> list[DefectType]:
    """Return the whole catalogue by code (for select boxes and lookups)."""
    stmt = DefectRepository(session, scope).select().order_by(DefectType.code)
    if active_only:
        stmt = stmt.where(DefectType.active.is_(True))
    return list(session.scalars(stmt))


def by_code(session: Session, scope: Scope, codes: Sequence[str]) -> dict[str, DefectType]:
    """Return the catalogue entries of ``codes`` (upper-cased) that exist."""
    wanted = {c.strip().upper() for c in codes if c.strip()}
    if not wanted:
        return {}
    stmt = DefectRepository(session, scope).select().where(DefectType.code.in_(wanted))
    return {row.code: row for row in session.scalars(stmt)}
