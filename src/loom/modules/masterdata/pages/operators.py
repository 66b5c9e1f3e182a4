"""Pages of the operators and their skills matrix (operators × machine types)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.excel import write_workbook
from loom.modules.masterdata.excel.layout import Column, SheetSpec
from loom.modules.masterdata.models import Operator, ProductionLine
from loom.modules.masterdata.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    RowId,
    base_context,
    domain_errors,
    int_field,
    locale_of,
    machine_options,
    msgid,
    problem_errors,
    translator,
    xlsx,
)
from loom.modules.masterdata.service import lines, operators
from loom.modules.masterdata.service.checks import FieldProblem
from loom.modules.masterdata.service.operations import MACHINE_TYPES

router = APIRouter()
READ, WRITE = "masterdata.operator.read", "masterdata.operator.write"
DELETE = "masterdata.operator.delete"
FIELDS = ("code", "name", "line_id", "hired_on", "active")


def line_choices(db: Session, scope: Scope) -> list[ProductionLine]:
    """Return the enterprise's lines by code, for select boxes."""
    repo = lines.LineRepository(db, scope)
    return list(db.scalars(repo.select().order_by(ProductionLine.code)))


@router.get("/operators")
def operators_matrix(
    request: Request,
    q: str = Query("", max_length=100),
    line_id: int | None = Query(None, ge=1, le=2_147_483_647),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show the skills matrix: one row per operator, one column per machine type."""
    page = operators.matrix(db, scope, q=q, line_id=line_id, offset=offset, limit=PAGE_SIZE)
    all_lines = line_choices(db, scope)
    context = base_context(
        "operators",
        page=page,
        q=q,
        params={"line_id": line_id or ""},
        machines=machine_options(request),
        lines=all_lines,
        line_codes={line.id: line.code for line in all_lines},
        can_write=scope.can(WRITE),
        can_delete=scope.can(DELETE),
    )
    return render(request, "masterdata/operators_matrix.html", context)


@router.get("/operators.xlsx")
def operators_export(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Download the operators with their skills matrix (grade and efficiency per machine)."""
    zh = locale_of(request) == "zh_CN"
    gettext = translator(request)
    columns = [
        Column("code", "工号", msgid("Badge code")),
        Column("name", "姓名", msgid("Operator name")),
        Column("line", "产线", msgid("Line code")),
        Column("active", "在职", msgid("Active")),
    ]
    for key, label in machine_options(request):
        # a cell reads "grade/efficiency %", e.g. 4/110
        columns.append(Column(key, label, label, width=12))
    spec = SheetSpec("operators", "员工技能矩阵", gettext(msgid("Skills matrix")), tuple(columns))
    codes = {line.id: line.code for line in line_choices(db, scope)}
    records: list[dict[str, object]] = []
    page = operators.matrix(db, scope, offset=0, limit=1_000_000)
    for row in page.items:
        record: dict[str, object] = {
            "code": row.operator.code,
            "name": row.operator.name,
            "line": codes.get(row.operator.line_id or 0, ""),
            "active": ("是" if zh else "yes") if row.operator.active else ("否" if zh else "no"),
        }
        for key, skill in row.skills.items():
            record[key] = f"{skill.grade}/{skill.efficiency}"
        records.append(record)
    content = write_workbook([(spec, records)], locale_of(request))
    return xlsx(content, f"operators-{date.today().isoformat()}.xlsx")


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    operator_id: int | None,
    status: int = 200,
) -> Response:
    context = base_context(
        "operators",
        values=values,
        errors=errors,
        operator_id=operator_id,
        lines=line_choices(db, scope),
        machines=machine_options(request),
    )
    return render(request, "masterdata/operators_form.html", context, status=status)


def _read(form: Mapping[str, Any]) -> dict[str, str]:
    keys = [*FIELDS, *(f"grade-{m}" for m in MACHINE_TYPES), *(f"eff-{m}" for m in MACHINE_TYPES)]
    return {key: str(form.get(key, ""))[:400] for key in keys}


def _inputs(
    values: Mapping[str, str],
) -> tuple[operators.OperatorIn, list[operators.SkillIn], list[FieldProblem]]:
    found: list[FieldProblem] = []
    hired: date | None = None
    if values["hired_on"].strip():
        try:
            hired = date.fromisoformat(values["hired_on"].strip())
        except ValueError:
            found.append(
                FieldProblem("hired_on", msgid("a date such as 2026-03-01 is expected here"))
            )
    line = values["line_id"].strip()
    data = operators.OperatorIn(
        code=values["code"],
        name=values["name"],
        line_id=int_field(line) if line else None,
        hired_on=hired,
        active=bool(values["active"]),
    )
    skills = [
        operators.SkillIn(
            m, int_field(values[f"grade-{m}"]), int_field(values[f"eff-{m}"] or "100")
        )
        for m in MACHINE_TYPES
        if values[f"grade-{m}"].strip()
    ]
    return data, skills, found


def _skill_field(problem: FieldProblem, skills: list[operators.SkillIn]) -> FieldProblem:
    # "skills[2].efficiency" is the efficiency box of that skill's machine type
    if problem.field.startswith("skills[") and "]." in problem.field:
        index = int(problem.field[7 : problem.field.index("]")])
        part = problem.field.split("].", 1)[1]
        prefix = "eff" if part == "efficiency" else "grade"
        return FieldProblem(
            f"{prefix}-{skills[index].machine_type}", problem.template, problem.params
        )
    return problem


async def _save(request: Request, db: Session, scope: Scope, operator_id: int | None) -> Response:
    values = _read(await request.form())
    data, skills, found = _inputs(values)
    known = lines.line_ids(db, scope, {data.line_id} if data.line_id else set())
    found += operators.operator_problems(data, known)
    found += [_skill_field(p, skills) for p in operators.skill_problems(skills)]
    if found:
        return _form_page(
            request, db, scope, values, problem_errors(request, found), operator_id, 422
        )
    try:
        if operator_id is None:
            operator_id = operators.create(db, scope, data).id
        else:
            operators.update(db, scope, operator_id, data)
        operators.set_skills(db, scope, operator_id, skills)
    except DomainError as exc:
        db.rollback()
        errors = domain_errors(request, exc)
        return _form_page(request, db, scope, values, errors, operator_id, exc.status_code)
    return RedirectResponse(f"{BASE}/operators", status_code=303)


@router.get("/operators/new")
def operator_new(request: Request, scope: Scope = require(WRITE), db: Session = DB) -> Response:
    """Show an empty operator form with an empty skills row."""
    values = _read({"active": "on"})
    return _form_page(request, db, scope, values, {}, None)


@router.post("/operators/new")
async def operator_create(
    request: Request, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Add the operator with their skills, or show the form again with the problems."""
    return await _save(request, db, scope, None)


def _values(operator: Operator, skills: Any) -> dict[str, str]:
    form: dict[str, str] = {
        "code": operator.code,
        "name": operator.name,
        "line_id": str(operator.line_id or ""),
        "hired_on": operator.hired_on.isoformat() if operator.hired_on else "",
        "active": "on" if operator.active else "",
    }
    for skill in skills:
        form[f"grade-{skill.machine_type}"] = str(skill.grade)
        form[f"eff-{skill.machine_type}"] = str(skill.efficiency)
    return _read(form)


@router.get("/operators/{operator_id:int}/edit")
def operator_edit(
    request: Request, operator_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the operator form with their row of the skills matrix."""
    operator = operators.OperatorRepository(db, scope).get(operator_id)
    values = _values(operator, operators.skills_of(db, scope, operator.id))
    return _form_page(request, db, scope, values, {}, operator.id)


@router.post("/operators/{operator_id:int}/edit")
async def operator_save(
    request: Request, operator_id: RowId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Save the operator and their skills, or show the form again with the problems."""
    operators.OperatorRepository(db, scope).get(operator_id)
    return await _save(request, db, scope, operator_id)


@router.get("/operators/{operator_id:int}/delete")
def operator_confirm_delete(
    request: Request, operator_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting an operator with their skills."""
    operator = operators.OperatorRepository(db, scope).get(operator_id)
    context = base_context("operators", operator=operator)
    return render(request, "masterdata/operators_delete.html", context)


@router.post("/operators/{operator_id:int}/delete")
def operator_delete(
    operator_id: RowId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the operator with their skills."""
    operators.delete(db, scope, operator_id)
    return RedirectResponse(f"{BASE}/operators", status_code=303)
