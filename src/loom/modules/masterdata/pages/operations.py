"""Pages of the operation library: search, SAM and grade, piece rates and their versions."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import Conflict, DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.excel import write_workbook
from loom.modules.masterdata.models import Operation
from loom.modules.masterdata.pages.common import (
    BASE,
    DB,
    PAGE_SIZE,
    OperationId,
    base_context,
    decimal_field,
    domain_errors,
    int_field,
    locale_of,
    machine_options,
    msgid,
    problem_errors,
    translator,
    xlsx,
)
from loom.modules.masterdata.pages.style_detail import current_rates
from loom.modules.masterdata.service import operations, rates, sheets
from loom.modules.masterdata.service.operations import MACHINE_TYPES

router = APIRouter()
READ, WRITE = "masterdata.operation.read", "masterdata.operation.write"
DELETE = "masterdata.operation.delete"
RATE_READ, RATE_WRITE = "masterdata.rate.read", "masterdata.rate.write"
FIELDS = ("code", "name", "sam", "machine_type", "skill_grade")


@router.get("/operations")
def operations_list(
    request: Request,
    q: str = Query("", max_length=100),
    machine_type: str = Query("", max_length=40),
    offset: int = Query(0, ge=0, le=10_000_000),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """List the operation library, searched by code or name and filtered by machine type."""
    chosen = machine_type if machine_type in MACHINE_TYPES else ""
    page = operations.search(db, scope, q=q, machine_type=chosen, offset=offset, limit=PAGE_SIZE)
    show_rates = scope.can(RATE_READ)
    prices = (
        current_rates(db, scope, [op.id for op in page.items], date.today()) if show_rates else {}
    )
    context = base_context(
        "operations",
        page=page,
        q=q,
        params={"machine_type": chosen},
        machines=machine_options(request),
        prices=prices,
        show_rates=show_rates,
        can_write=scope.can(WRITE),
        can_delete=scope.can(DELETE),
    )
    return render(request, "masterdata/operations_list.html", context)


@router.get("/operations.xlsx")
def operations_export(request: Request, scope: Scope = require(READ), db: Session = DB) -> Response:
    """Download the library with each operation's current rate, as the import reads it back."""
    records = sheets.export_sheets(db, scope, ["operations"], date.today())
    content = write_workbook(records, locale_of(request), {"machine_type": list(MACHINE_TYPES)})
    return xlsx(content, f"operations-{date.today().isoformat()}.xlsx")


def op_form(
    code: str = Form("", max_length=400),
    name: str = Form("", max_length=1000),
    sam: str = Form("", max_length=100),
    machine_type: str = Form("", max_length=100),
    skill_grade: str = Form("", max_length=100),
) -> dict[str, str]:
    """Collect the operation form exactly as typed."""
    return {
        "code": code,
        "name": name,
        "sam": sam,
        "machine_type": machine_type,
        "skill_grade": skill_grade,
    }


def _form_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    op_id: int | None = None,
    status: int = 200,
) -> Response:
    context = base_context(
        "operations", values=values, errors=errors, op_id=op_id, machines=machine_options(request)
    )
    return render(request, "masterdata/operations_form.html", context, status=status)


def _save(
    request: Request, db: Session, scope: Scope, values: dict[str, str], op_id: int | None
) -> Response:
    data = operations.OperationIn(
        code=values["code"],
        name=values["name"],
        sam=decimal_field(values["sam"]),
        machine_type=values["machine_type"],
        skill_grade=int_field(values["skill_grade"]),
    )
    problems = operations.operation_problems(data)
    if problems:
        return _form_page(request, values, problem_errors(request, problems), op_id, 422)
    try:
        if op_id is None:
            op_id = operations.create(db, scope, data).id
        else:
            operations.update(db, scope, op_id, data)
    except DomainError as exc:
        db.rollback()
        return _form_page(request, values, domain_errors(request, exc), op_id, exc.status_code)
    return RedirectResponse(f"{BASE}/operations/{op_id}", status_code=303)


@router.get("/operations/new")
def op_new(request: Request, scope: Scope = require(WRITE)) -> Response:
    """Show an empty operation form."""
    values = dict.fromkeys(FIELDS, "") | {"machine_type": "lockstitch", "skill_grade": "3"}
    return _form_page(request, values, {})


@router.post("/operations/new")
def op_create(
    request: Request,
    values: dict[str, str] = Depends(op_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Add the operation, or show the form again with every problem next to its field."""
    return _save(request, db, scope, values, None)


def _values(op: Operation) -> dict[str, str]:
    return {
        "code": op.code,
        "name": op.name,
        "sam": f"{op.sam.normalize():f}",
        "machine_type": op.machine_type,
        "skill_grade": str(op.skill_grade),
    }


@router.get("/operations/{op_id:int}/edit")
def op_edit(
    request: Request, op_id: OperationId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the operation form filled with the operation."""
    op = operations.OperationRepository(db, scope).get(op_id)
    return _form_page(request, _values(op), {}, op.id)


@router.post("/operations/{op_id:int}/edit")
def op_save(
    request: Request,
    op_id: OperationId,
    values: dict[str, str] = Depends(op_form),
    scope: Scope = require(WRITE),
    db: Session = DB,
) -> Response:
    """Save the edited operation, or show the form again with the problems."""
    operations.OperationRepository(db, scope).get(op_id)
    return _save(request, db, scope, values, op_id)


def _detail(
    request: Request,
    db: Session,
    scope: Scope,
    op: Operation,
    rate_values: dict[str, str] | None = None,
    rate_errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    show_rates = scope.can(RATE_READ)
    versions = list(rates.versions(db, scope, op.id)) if show_rates else []
    today = date.today()
    current = next((v for v in reversed(versions) if v.effective_from <= today), None)
    context = base_context(
        "operations",
        op=op,
        machine_label=dict(machine_options(request)).get(op.machine_type, op.machine_type),
        versions=list(reversed(versions)),
        current=current,
        today=today,
        show_rates=show_rates,
        rate_values=rate_values or {"rate": "", "effective_from": "", "note": ""},
        rate_errors=rate_errors or {},
        can_write=scope.can(WRITE),
        can_delete=scope.can(DELETE),
        can_rate=scope.can(RATE_WRITE),
    )
    return render(request, "masterdata/operation_detail.html", context, status=status)


@router.get("/operations/{op_id:int}")
def op_detail(
    request: Request, op_id: OperationId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show an operation with its current piece rate and every version."""
    return _detail(request, db, scope, operations.OperationRepository(db, scope).get(op_id))


@router.post("/operations/{op_id:int}/rates")
def op_add_rate(
    request: Request,
    op_id: OperationId,
    rate: str = Form("", max_length=100),
    effective_from: str = Form("", max_length=100),
    note: str = Form("", max_length=2000),
    scope: Scope = require(RATE_WRITE),
    db: Session = DB,
) -> Response:
    """Add a rate version, or show the operation again with the problems next to the fields."""
    op = operations.OperationRepository(db, scope).get(op_id)
    typed = {"rate": rate, "effective_from": effective_from, "note": note}
    try:
        day = date.fromisoformat(effective_from.strip())
    except ValueError:
        gettext = translator(request)
        errors = {"effective_from": gettext(msgid("a date such as 2026-03-01 is expected here"))}
        return _detail(request, db, scope, op, typed, errors, 422)
    data = rates.RateIn(rate=decimal_field(rate), effective_from=day, note=note)
    existing = rates.versions(db, scope, op.id)
    problems = rates.rate_problems(data, existing[-1].effective_from if existing else None)
    if problems:
        return _detail(request, db, scope, op, typed, problem_errors(request, problems), 422)
    rates.add_version(db, scope, op.id, data)
    return RedirectResponse(f"{BASE}/operations/{op.id}#rates", status_code=303)


def _confirm(request: Request, op: Operation, problem: str = "", status: int = 200) -> Response:
    context = base_context("operations", op=op, problem=problem)
    return render(request, "masterdata/operations_delete.html", context, status=status)


@router.get("/operations/{op_id:int}/delete")
def op_confirm_delete(
    request: Request, op_id: OperationId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Ask before deleting an operation with its rate history."""
    return _confirm(request, operations.OperationRepository(db, scope).get(op_id))


@router.post("/operations/{op_id:int}/delete")
def op_delete(
    request: Request, op_id: OperationId, scope: Scope = require(DELETE), db: Session = DB
) -> Response:
    """Delete the operation, or say which routing still uses it."""
    op = operations.OperationRepository(db, scope).get(op_id)
    try:
        operations.delete(db, scope, op_id)
    except Conflict as exc:
        db.rollback()
        return _confirm(request, op, translator(request)(exc.template, **exc.params), 409)
    return RedirectResponse(f"{BASE}/operations", status_code=303)
