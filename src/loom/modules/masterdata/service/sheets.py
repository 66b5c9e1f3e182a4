"""Excel import and export of the master data: styles, operations with rates, routings, BOMs.

An import is all or nothing per workbook: every cell is checked against the file and the
library first, every problem is named by sheet, row and column, and only a clean workbook is
written, through the same service functions (and audit trail) as the API.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from loom.kernel.errors import DomainError
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.engine import rate_valid_on
from loom.modules.masterdata.excel import (
    BOM,
    OPERATIONS,
    ROUTINGS,
    STYLES,
    CellError,
    SheetSpec,
    parse_workbook,
)
from loom.modules.masterdata.models import BomLine, Operation, RoutingStep, Style
from loom.modules.masterdata.service import bom, operations, rates, routing, styles
from loom.modules.masterdata.service.sheet_checks import (
    Library,
    check_bom,
    check_operations,
    check_routings,
    check_styles,
    library,
)

Record = dict[str, object]


@dataclass
class ImportOutcome:
    """Every problem of the workbook, or what a clean one changed."""

    errors: list[CellError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


# -- export ----------------------------------------------------------------------------------


def export_sheets(
    session: Session, scope: Scope, kinds: Sequence[str], today: date
) -> list[tuple[SheetSpec, list[Record]]]:
    """Return the records of the chosen sheets; rates are those in force on ``today``.

    Rates are left out for a caller without ``masterdata.rate.read``.
    """
    lib = library(session, scope)
    codes = {op.id: op.code for op in lib.operations.values()}
    by_id = {s.id: s for s in lib.styles.values()}
    out: list[tuple[SheetSpec, list[Record]]] = []
    if "styles" in kinds:
        rows: list[Record] = [
            {"code": s.code, "name": s.name, "season": s.season, "customer": s.customer}
            | {"colours": list(s.colours), "sizes": list(s.sizes)}
            for s in sorted(lib.styles.values(), key=lambda s: s.code)
        ]
        out.append((STYLES, rows))
    if "operations" in kinds:
        priced = scope.can("masterdata.rate.read")
        out.append((OPERATIONS, [_op_record(op, lib, today, priced) for op in _sorted(lib)]))
    if "routings" in kinds:
        steps = session.scalars(routing.StepRepository(session, scope).select()).all()
        ordered = sorted(steps, key=lambda s: (by_id[s.style_id].code, s.seq))
        out.append((ROUTINGS, [_step_record(s, by_id, codes) for s in ordered]))
    if "bom" in kinds:
        lines = session.scalars(bom.BomRepository(session, scope).select()).all()
        ordered_lines = sorted(lines, key=lambda b: (by_id[b.style_id].code, b.id))
        out.append((BOM, [r for b in ordered_lines for r in _bom_records(b, by_id)]))
    return out


def _sorted(lib: Library) -> list[Operation]:
    return sorted(lib.operations.values(), key=lambda o: o.code)


def _op_record(op: Operation, lib: Library, today: date, priced: bool) -> Record:
    versions = lib.versions.get(op.id, {})
    day = rate_valid_on(((d, d) for d in versions), today)
    record: Record = {"code": op.code, "name": op.name, "sam": op.sam}
    record |= {"machine_type": op.machine_type, "skill_grade": op.skill_grade}
    if day is not None and priced:
        record |= {"rate": versions[day], "effective_from": day}
    return record


def _step_record(step: RoutingStep, by_id: Mapping[int, Style], codes: Mapping[int, str]) -> Record:
    preds = [codes[p] for p in step.predecessors if p in codes]
    return {
        "style_code": by_id[step.style_id].code,
        "seq": step.seq,
        "operation_code": codes.get(step.operation_id, ""),
        "predecessors": preds,
    }


def _bom_records(line: BomLine, by_id: Mapping[int, Style]) -> list[Record]:
    head: Record = {"style_code": by_id[line.style_id].code, "material_code": line.material_code}
    head |= {"material_name": line.material_name, "kind": line.kind, "unit": line.unit}
    return [
        head | {"size": size, "consumption": Decimal(value)}
        for size, value in line.consumption.items()
    ]


# -- import ----------------------------------------------------------------------------------


def import_workbook(session: Session, scope: Scope, data: bytes) -> ImportOutcome:
    """Import a whole workbook, or nothing and every problem; raises ``SheetRejected``.

    On problems the caller rolls the session back (a service may refuse after a flush).
    """
    book = parse_workbook(data)
    outcome = ImportOutcome(errors=book.errors)
    lib = library(session, scope)
    sheets = book.sheets
    new_styles = check_styles(sheets["styles"], outcome.errors) if "styles" in sheets else {}
    new_ops = (
        check_operations(sheets["operations"], lib, outcome.errors)
        if "operations" in sheets
        else {}
    )
    style_codes = set(lib.styles) | set(new_styles)
    op_codes = set(lib.operations) | set(new_ops)
    steps = (
        check_routings(sheets["routings"], style_codes, op_codes, outcome.errors)
        if "routings" in sheets
        else {}
    )
    sizes = {code: list(s.sizes) for code, s in lib.styles.items()}
    sizes |= {code: [z.strip() for z in data.sizes] for code, (_row, data) in new_styles.items()}
    boms = check_bom(sheets["bom"], sizes, outcome.errors) if "bom" in sheets else {}
    if not outcome.errors:
        try:
            _apply(session, scope, lib, outcome, new_styles, new_ops, steps, boms)
        except DomainError as exc:  # a rule the checks above did not foresee: nothing is kept
            outcome.errors.append(CellError("", 0, "", "", exc.template, exc.params))
    outcome.errors.sort(key=_order)
    return outcome


def _order(error: CellError) -> tuple[int, int, int, str]:
    # sheets in workbook order, then rows, then columns A…Z, AA…
    titles = [{s.zh, s.en} for s in (STYLES, OPERATIONS, ROUTINGS, BOM)]
    sheet = next((n for n, names in enumerate(titles) if error.sheet in names), len(titles))
    return (sheet, error.row, len(error.column), error.column)


def _apply(
    session: Session,
    scope: Scope,
    lib: Library,
    outcome: ImportOutcome,
    new_styles: Mapping[str, tuple[int, styles.StyleIn]],
    new_ops: Mapping[str, tuple[operations.OperationIn, rates.RateIn | None]],
    steps: Mapping[str, list[tuple[str, list[str]]]],
    boms: Mapping[str, list[bom.LineIn]],
) -> None:
    style_ids = {code: s.id for code, s in lib.styles.items()}
    for code, (_row, data) in new_styles.items():
        if code in style_ids:
            styles.update(session, scope, style_ids[code], data)
            outcome.counts["styles_updated"] += 1
        else:
            style_ids[code] = styles.create(session, scope, data).id
            outcome.counts["styles_created"] += 1
    op_ids = {code: op.id for code, op in lib.operations.items()}
    for code, (op_data, rate) in new_ops.items():
        if code in op_ids:
            operations.update(session, scope, op_ids[code], op_data)
            outcome.counts["operations_updated"] += 1
        else:
            op_ids[code] = operations.create(session, scope, op_data).id
            outcome.counts["operations_created"] += 1
        if rate is not None:
            rates.add_version(session, scope, op_ids[code], rate)
            outcome.counts["rates_added"] += 1
    for code, listed in steps.items():
        wanted = [routing.StepIn(op_ids[op], [op_ids[p] for p in preds]) for op, preds in listed]
        routing.set_routing(session, scope, style_ids[code], wanted)
        outcome.counts["routings_set"] += 1
    for code, lines in boms.items():
        bom.set_bom(session, scope, style_ids[code], lines)
        outcome.counts["boms_set"] += 1
