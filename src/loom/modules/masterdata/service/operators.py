"""Operators (员工) with their badge codes, lines and skills matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import or_
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import Page, TenantRepository
from loom.kernel.errors import Conflict
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operator, OperatorSkill
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.masterdata.service.lines import line_ids
from loom.modules.masterdata.service.operations import MACHINE_TYPES


@dataclass(frozen=True)
class OperatorIn:
    """An operator as a user enters it; ``code`` is the badge number."""

    code: str
    name: str
    line_id: int | None = None
    hired_on: date | None = None
    active: bool = True


@dataclass(frozen=True)
class SkillIn:
    """One cell of an operator's skills: grade 1–5 and efficiency in % of SAM speed."""

    machine_type: str
    grade: int
    efficiency: int = 100


@dataclass(frozen=True)
class MatrixRow:
    """One operator's row of the skills matrix: {machine type: skill} for the types they have."""

    operator: Operator
    skills: dict[str, OperatorSkill]


class OperatorRepository(TenantRepository[Operator]):
    """The scope's enterprise's operators."""

    model = Operator


class SkillRepository(TenantRepository[OperatorSkill]):
    """The scope's enterprise's skills-matrix cells."""

    model = OperatorSkill


def operator_problems(data: OperatorIn, known_lines: set[int]) -> list[FieldProblem]:
    """Return every bad field of an operator; ``known_lines`` are the enterprise's line ids."""
    found = [
        *text_problems("code", data.code, 40, required=True),
        *text_problems("name", data.name, 200, required=True),
    ]
    if data.line_id is not None and data.line_id not in known_lines:
        found.append(FieldProblem("line_id", "no such line"))
    return found


def skill_problems(skills: Sequence[SkillIn]) -> list[FieldProblem]:
    """Return every bad cell of an operator's skills, each named by its index."""
    found: list[FieldProblem] = []
    if len(skills) > len(MACHINE_TYPES):
        found.append(FieldProblem("skills", "at most %(n)s entries", {"n": len(MACHINE_TYPES)}))
    seen: set[str] = set()
    for index, skill in enumerate(skills):
        where = f"skills[{index}]"
        if skill.machine_type not in MACHINE_TYPES:
            found.append(
                FieldProblem(
                    f"{where}.machine_type", "one of %(kinds)s", {"kinds": ", ".join(MACHINE_TYPES)}
                )
            )
        elif skill.machine_type in seen:
            found.append(
                FieldProblem(
                    f"{where}.machine_type",
                    "%(value)s is listed twice",
                    {"value": skill.machine_type},
                )
            )
        seen.add(skill.machine_type)
        if not 1 <= skill.grade <= 5:
            found.append(FieldProblem(f"{where}.grade", "a grade from 1 to 5"))
        if not 1 <= skill.efficiency <= 200:
            found.append(FieldProblem(f"{where}.efficiency", "a percentage from 1 to 200"))
    return found


def snapshot(operator: Operator) -> dict[str, Any]:
    """Return an operator's fields as the audit trail records them."""
    return {
        "code": operator.code,
        "name": operator.name,
        "line_id": operator.line_id,
        "hired_on": operator.hired_on.isoformat() if operator.hired_on else None,
        "active": operator.active,
    }


def _check_code_free(session: Session, scope: Scope, code: str, own_id: int | None) -> None:
    stmt = OperatorRepository(session, scope).select().where(Operator.code == code)
    clash = session.scalars(stmt).first()
    if clash is not None and clash.id != own_id:
        raise Conflict(
            "code: operator badge %(code)s exists already", field="code", params={"code": code}
        )


def _validate(session: Session, scope: Scope, data: OperatorIn) -> None:
    wanted = {data.line_id} if data.line_id is not None else set()
    raise_problems(operator_problems(data, line_ids(session, scope, wanted)))


def _fill(operator: Operator, data: OperatorIn) -> None:
    operator.code = data.code.strip()
    operator.name = data.name.strip()
    operator.line_id = data.line_id
    operator.hired_on = data.hired_on
    operator.active = data.active


def create(session: Session, scope: Scope, data: OperatorIn) -> Operator:
    """Create an operator of the scope's enterprise; the badge code must be new there."""
    _validate(session, scope, data)
    _check_code_free(session, scope, data.code.strip(), None)
    operator = Operator(org_id=scope.org_id)
    _fill(operator, data)
    session.add(operator)
    session.flush()
    record_scoped(
        session,
        scope,
        "masterdata.operator.created",
        "operator",
        operator.id,
        after=snapshot(operator),
    )
    return operator


def update(session: Session, scope: Scope, operator_id: int, data: OperatorIn) -> Operator:
    """Replace an operator's fields (not the skills); another's operator answers 404."""
    operator = OperatorRepository(session, scope).get(operator_id)
    _validate(session, scope, data)
    _check_code_free(session, scope, data.code.strip(), operator.id)
    before = snapshot(operator)
    _fill(operator, data)
    after = snapshot(operator)
    if after != before:
        session.flush()
        record_scoped(
            session,
            scope,
            "masterdata.operator.updated",
            "operator",
            operator.id,
            before=before,
            after=after,
        )
    return operator


def delete(session: Session, scope: Scope, operator_id: int) -> None:
    """Delete an operator with their skills."""
    repo = OperatorRepository(session, scope)
    operator = repo.get(operator_id)
    before = snapshot(operator) | {"skills": _skill_snap(skills_of(session, scope, operator.id))}
    _clear_skills(session, scope, operator.id)
    repo.delete(operator)
    record_scoped(
        session, scope, "masterdata.operator.deleted", "operator", operator_id, before=before
    )


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    line_id: int | None = None,
    active: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[Operator]:
    """Return one page of operators by badge code, searched in code and name, by line."""
    repo = OperatorRepository(session, scope)
    stmt = repo.select().order_by(Operator.code, Operator.id)
    term = q.strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(or_(Operator.code.ilike(like), Operator.name.ilike(like)))
    if line_id is not None:
        stmt = stmt.where(Operator.line_id == line_id)
    if active is not None:
        stmt = stmt.where(Operator.active.is_(active))
    return repo.page(stmt, offset=offset, limit=limit)


def by_code(session: Session, scope: Scope, code: str) -> Operator | None:
    """Return the operator with badge ``code``, if any."""
    stmt = OperatorRepository(session, scope).select().where(Operator.code == code.strip())
    return session.scalars(stmt).first()


def _skills_select(session: Session, scope: Scope, operator_ids: Sequence[int]) -> Any:
    return (
        SkillRepository(session, scope)
        .select()
        .where(OperatorSkill.operator_id.in_(operator_ids))
        .order_by(OperatorSkill.operator_id, OperatorSkill.machine_type)
    )


def skills_of(session: Session, scope: Scope, operator_id: int) -> Sequence[OperatorSkill]:
    """Return an operator's skills by machine type (404 for another enterprise's operator)."""
    operator = OperatorRepository(session, scope).get(operator_id)
    return session.scalars(_skills_select(session, scope, [operator.id])).all()


def _skill_snap(skills: Sequence[OperatorSkill] | Sequence[SkillIn]) -> list[dict[str, Any]]:
    cells = [
        {"machine_type": s.machine_type, "grade": s.grade, "efficiency": s.efficiency}
        for s in skills
    ]
    return sorted(cells, key=lambda c: str(c["machine_type"]))


def _clear_skills(session: Session, scope: Scope, operator_id: int) -> None:
    session.execute(
        sql_delete(OperatorSkill).where(
            OperatorSkill.operator_id == operator_id, OperatorSkill.org_id == scope.org_id
        )
    )


def set_skills(
    session: Session, scope: Scope, operator_id: int, skills: Sequence[SkillIn]
) -> Sequence[OperatorSkill]:
    """Replace an operator's whole skills list; a 422 names every bad cell."""
    old = _skill_snap(skills_of(session, scope, operator_id))
    raise_problems(skill_problems(skills))
    # replace rather than update in place: the list is small and the unique key stays simple
    _clear_skills(session, scope, operator_id)
    for skill in skills:
        session.add(
            OperatorSkill(
                org_id=scope.org_id,
                operator_id=operator_id,
                machine_type=skill.machine_type,
                grade=skill.grade,
                efficiency=skill.efficiency,
            )
        )
    session.flush()
    new = _skill_snap(skills)
    if new != old:
        record_scoped(
            session,
            scope,
            "masterdata.operator.skills_set",
            "operator",
            operator_id,
            before=old,
            after=new,
        )
    return skills_of(session, scope, operator_id)


def matrix(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    line_id: int | None = None,
    active: bool | None = None,
    offset: int = 0,
    limit: int = 50,
) -> Page[MatrixRow]:
    """Return one page of the skills matrix: operators (as ``search``) × their skills."""
    page = search(session, scope, q=q, line_id=line_id, active=active, offset=offset, limit=limit)
    cells: dict[int, dict[str, OperatorSkill]] = {op.id: {} for op in page.items}
    if cells:
        for skill in session.scalars(_skills_select(session, scope, list(cells))):
            cells[skill.operator_id][skill.machine_type] = skill
    rows = [MatrixRow(operator=op, skills=cells[op.id]) for op in page.items]
    return Page(items=rows, total=page.total, offset=page.offset, limit=page.limit)
