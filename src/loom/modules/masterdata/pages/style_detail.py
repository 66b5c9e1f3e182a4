"""Pages of one style: colour × size matrix, routing with SAM totals, BOM and requirements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.masterdata.engine import rate_valid_on
from loom.modules.masterdata.models import Operation, PieceRate, Style
from loom.modules.masterdata.pages.common import (
    BASE,
    DB,
    StyleId,
    base_context,
    machine_options,
    msgid,
    translator,
)
from loom.modules.masterdata.service import bom, operations, rates, routing, styles
from loom.modules.masterdata.service.checks import FieldProblem

router = APIRouter()
READ, WRITE = "masterdata.style.read", "masterdata.style.write"
#: a message of the routing form: msgid and its parameters
Said = tuple[str, dict[str, object]]
BLANK_ROWS = 5  # empty rows offered at the end of the routing form
MAX_FORM_ROWS = routing.MAX_STEPS + BLANK_ROWS


@dataclass(frozen=True)
class StepView:
    """One routing step as the page shows it."""

    seq: int
    op: Operation
    predecessors: list[str]
    rate: Decimal | None


def current_rates(
    db: Session, scope: Scope, op_ids: Sequence[int], day: date
) -> dict[int, Decimal]:
    """Return the piece rate in force on ``day`` of each operation that has one."""
    stmt = rates.RateRepository(db, scope).select().where(PieceRate.operation_id.in_(op_ids))
    versions: dict[int, list[tuple[date, Decimal]]] = {}
    for row in db.scalars(stmt):
        versions.setdefault(row.operation_id, []).append((row.effective_from, row.rate))
    found = {op_id: rate_valid_on(pairs, day) for op_id, pairs in versions.items()}
    return {op_id: rate for op_id, rate in found.items() if rate is not None}


def _steps(db: Session, scope: Scope, style: Style) -> list[StepView]:
    stored = routing.steps_of(db, scope, style.id)
    ids = [s.operation_id for s in stored]
    ops = operations.OperationRepository(db, scope)
    by_id = {op.id: op for op in db.scalars(ops.select().where(Operation.id.in_(ids)))}
    prices = current_rates(db, scope, ids, date.today())
    return [
        StepView(
            s.seq,
            by_id[s.operation_id],
            [by_id[p].code for p in s.predecessors if p in by_id],
            prices.get(s.operation_id),
        )
        for s in stored
    ]


def _quantities(
    style: Style, query: Mapping[str, str]
) -> tuple[dict[str, dict[str, int]], dict[str, str], dict[str, str]]:
    """Read the calculator's boxes ``q-<colour>-<size>`` (by position): pieces and problems."""
    pieces: dict[str, dict[str, int]] = {}
    typed: dict[str, str] = {}
    bad: dict[str, str] = {}
    for ci, colour in enumerate(style.colours):
        for si, size in enumerate(style.sizes):
            name = f"q-{ci}-{si}"
            raw = query.get(name, "").strip()
            typed[name] = raw
            if not raw:
                continue
            if not raw.isdigit() or len(raw) > 9:
                bad[name] = msgid("a whole number of pieces")
                continue
            pieces.setdefault(colour, {})[size] = int(raw)
    return pieces, typed, bad


def _requirements(
    request: Request, db: Session, scope: Scope, style: Style, lines: Sequence[Any]
) -> dict[str, Any]:
    query = dict(request.query_params)
    if not any(key.startswith("q-") for key in query):
        return {"typed": {}, "calc_errors": [], "materials": None}
    pieces, typed, bad = _quantities(style, query)
    gettext = translator(request)
    problems: list[str] = [gettext(text) for text in sorted(set(bad.values()))]
    found: list[FieldProblem] = bom.quantity_problems(style, pieces, lines)
    problems += [
        f"{p.field.removeprefix('quantities.')}: {gettext(p.template, **p.params)}" for p in found
    ]
    materials = None if problems else bom.requirements(db, scope, style.id, pieces)
    total = sum(sum(per_size.values()) for per_size in pieces.values())
    return {
        "typed": typed,
        "bad": bad,
        "calc_errors": problems,
        "materials": materials,
        "pieces": total,
    }


@router.get("/styles/{style_id:int}")
def style_detail(
    request: Request, style_id: StyleId, scope: Scope = require(READ), db: Session = DB
) -> Response:
    """Show a style: its matrix, routing with SAM totals, BOM and the requirement calculator."""
    style = styles.StyleRepository(db, scope).get(style_id)
    steps = _steps(db, scope, style)
    lines = bom.lines_of(db, scope, style.id)
    priced = [s.rate for s in steps if s.rate is not None]
    context = base_context(
        "styles",
        style=style,
        steps=steps,
        sam_total=sum((s.op.sam for s in steps), Decimal(0)),
        rate_total=sum(priced, Decimal(0)),
        unpriced=len(steps) - len(priced),
        lines=lines,
        machine_label=dict(machine_options(request)),
        can_write=scope.can(WRITE),
        can_delete=scope.can("masterdata.style.delete"),
        **_requirements(request, db, scope, style, lines),
    )
    return render(request, "masterdata/style_detail.html", context)


def _rows_of(style_steps: Sequence[StepView]) -> list[dict[str, str]]:
    rows = [
        {"seq": str(s.seq), "op": s.op.code, "preds": ", ".join(s.predecessors)}
        for s in style_steps
    ]
    return rows + [{"seq": "", "op": "", "preds": ""} for _ in range(BLANK_ROWS)]


def _routing_page(
    request: Request,
    db: Session,
    scope: Scope,
    style: Style,
    rows: list[dict[str, str]],
    errors: dict[int, list[str]],
    status: int = 200,
) -> Response:
    ops = db.scalars(operations.OperationRepository(db, scope).select().order_by(Operation.code))
    context = base_context("styles", style=style, rows=rows, errors=errors, ops=list(ops))
    return render(request, "masterdata/style_routing.html", context, status=status)


@router.get("/styles/{style_id:int}/routing")
def routing_edit(
    request: Request, style_id: StyleId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Show the routing form: one row per operation, its position and predecessors."""
    style = styles.StyleRepository(db, scope).get(style_id)
    return _routing_page(request, db, scope, style, _rows_of(_steps(db, scope, style)), {})


def _form_rows(form: Mapping[str, Any]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for index in range(MAX_FORM_ROWS):
        if f"op-{index}" not in form:
            break
        rows.append(
            {
                "seq": str(form.get(f"seq-{index}", "")).strip(),
                "op": str(form.get(f"op-{index}", "")).strip(),
                "preds": str(form.get(f"preds-{index}", "")).strip(),
            }
        )
    return rows


def _parse_routing(
    rows: list[dict[str, str]], by_code: Mapping[str, Operation]
) -> tuple[list[routing.StepIn], list[int], dict[int, list[Said]]]:
    """Return the steps in position order, the form row of each, and each row's problems."""
    errors: dict[int, list[Said]] = {}
    used = [(i, r) for i, r in enumerate(rows) if r["op"] or r["preds"]]
    for index, row in used:
        if not row["op"]:
            errors.setdefault(index, []).append((msgid("enter the operation code"), {}))
        elif row["op"] not in by_code:
            errors.setdefault(index, []).append((msgid("no operation has this code"), {}))
        if row["seq"] and not row["seq"].isdigit():
            errors.setdefault(index, []).append((msgid("a position from 1 on"), {}))
    # rows without a position keep their place after the numbered ones
    ordered = sorted(
        used, key=lambda p: (int(p[1]["seq"]) if p[1]["seq"].isdigit() else 10**9, p[0])
    )
    listed = {r["op"] for _i, r in ordered}
    steps: list[routing.StepIn] = []
    order: list[int] = []
    for index, row in ordered:
        preds: list[int] = []
        for code in [c.strip() for c in row["preds"].replace("，", ",").split(",") if c.strip()]:
            if code not in listed:
                errors.setdefault(index, []).append(
                    (msgid("%(code)s is not in this style's routing"), {"code": code})
                )
            elif code in by_code:
                preds.append(by_code[code].id)
        if row["op"] in by_code:
            steps.append(routing.StepIn(by_code[row["op"]].id, preds))
            order.append(index)
    return steps, order, errors


@router.post("/styles/{style_id:int}/routing")
async def routing_save(
    request: Request, style_id: StyleId, scope: Scope = require(WRITE), db: Session = DB
) -> Response:
    """Replace the routing, or show the form again with each row's problems."""
    style = styles.StyleRepository(db, scope).get(style_id)
    rows = _form_rows(await request.form())
    ops = operations.OperationRepository(db, scope)
    by_code = {op.code: op for op in db.scalars(ops.select())}
    steps, order, errors = _parse_routing(rows, by_code)
    gettext = translator(request)
    shown = {i: [gettext(m, **p) for m, p in texts] for i, texts in errors.items()}
    if not errors:
        codes = {op.id: op.code for op in by_code.values()}
        for problem in routing.routing_problems(steps, set(codes)):
            row = _row_of(problem.field, order)
            params = dict(problem.params)
            if "cycle" in params:  # ids mean nothing to a user: name the operations
                ids = [int(i) for i in str(params["cycle"]).split(" → ")]
                params["cycle"] = " → ".join(codes.get(i, "?") for i in ids)
            shown.setdefault(row, []).append(gettext(problem.template, **params))
    if shown:
        return _routing_page(request, db, scope, style, rows, shown, 422)
    try:
        routing.set_routing(db, scope, style.id, steps)
    except DomainError as exc:
        db.rollback()
        return _routing_page(
            request,
            db,
            scope,
            style,
            rows,
            {-1: [gettext(exc.template, **exc.params)]},
            exc.status_code,
        )
    return RedirectResponse(f"{BASE}/styles/{style.id}#routing", status_code=303)


def _row_of(field: str, order: list[int]) -> int:
    # "steps[3].predecessors" is the fourth step in position order: its form row
    if field.startswith("steps[") and "]" in field:
        return order[int(field[6 : field.index("]")])]
    return -1
