"""Checks of an uploaded master-data workbook against itself and the enterprise's library.

Each check returns what is clean and appends every problem, named by sheet, row and column;
nothing is written here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.engine import find_cycle
from loom.modules.masterdata.excel import CellError, ParsedSheet, SheetRow
from loom.modules.masterdata.excel.cells import msgid
from loom.modules.masterdata.models import Operation, Style
from loom.modules.masterdata.service import bom, operations, rates, styles
from loom.modules.masterdata.service.checks import FieldProblem

#: Chinese names typed for units and BOM kinds, besides the stored keys
UNIT_NAMES = {"米": "m", "厘米": "cm", "码": "yard", "千克": "kg", "公斤": "kg", "克": "g"}
UNIT_NAMES |= {"件": "piece", "个": "piece", "双": "pair", "对": "pair", "套": "set"}
UNIT_NAMES |= {"只": "piece", "卷": "roll", "筒": "cone", "轴": "cone"}
KIND_NAMES = {"面料": "fabric", "辅料": "trim"}


@dataclass
class Library:
    """What the enterprise has before the import, by code."""

    styles: dict[str, Style]
    operations: dict[str, Operation]
    versions: dict[int, dict[date, Decimal]]


def library(session: Session, scope: Scope) -> Library:
    """Return the enterprise's styles, operations and rate versions."""
    found = session.scalars(styles.StyleRepository(session, scope).select()).all()
    ops = session.scalars(operations.OperationRepository(session, scope).select()).all()
    versions: dict[int, dict[date, Decimal]] = defaultdict(dict)
    for row in session.scalars(rates.RateRepository(session, scope).select()):
        versions[row.operation_id][row.effective_from] = row.rate
    return Library({s.code: s for s in found}, {o.code: o for o in ops}, versions)


def _column(problem: FieldProblem) -> str:
    # "colours[2]" is the colours cell, "lines[0].consumption.M" is checked per row elsewhere
    return problem.field.split("[")[0].split(".")[0]


def _first_rows(sheet: ParsedSheet, key: str, errors: list[CellError]) -> dict[str, int]:
    """Return the first row of each code in ``key``, naming every later repeat."""
    first: dict[str, int] = {}
    for row in sheet.rows:
        code = row.text(key)
        if not code:
            continue
        if code in first:
            errors.append(
                sheet.error(
                    row.number,
                    key,
                    msgid("%(code)s is listed already in row %(row)s"),
                    {"code": code, "row": first[code]},
                )
            )
        else:
            first[code] = row.number
    return first


def check_styles(
    sheet: ParsedSheet, errors: list[CellError]
) -> dict[str, tuple[int, styles.StyleIn]]:
    """Return the sheet's styles by code, appending every bad cell."""
    first = _first_rows(sheet, "code", errors)
    found: dict[str, tuple[int, styles.StyleIn]] = {}
    for row in sheet.rows:
        data = styles.StyleIn(
            code=row.text("code"),
            name=row.text("name"),
            season=row.text("season"),
            customer=row.text("customer"),
            colours=list(row.values.get("colours") or []),  # type: ignore[call-overload]
            sizes=list(row.values.get("sizes") or []),  # type: ignore[call-overload]
        )
        for problem in styles.style_problems(data):
            if _column(problem) not in row.bad:
                errors.append(
                    sheet.error(row.number, _column(problem), problem.template, problem.params)
                )
        if first.get(data.code.strip()) == row.number:
            found[data.code.strip()] = (row.number, data)
    return found


def _machine(value: str) -> str:
    # the key as stored, or the name the shop floor uses (平车)
    for key, name in operations.MACHINE_TYPES.items():
        if value in {key, name}:
            return key
    return value


def check_operations(
    sheet: ParsedSheet, lib: Library, errors: list[CellError]
) -> dict[str, tuple[operations.OperationIn, rates.RateIn | None]]:
    """Return the sheet's operations by code with a rate version to add, if any."""
    first = _first_rows(sheet, "code", errors)
    found: dict[str, tuple[operations.OperationIn, rates.RateIn | None]] = {}
    for row in sheet.rows:
        sam, grade = row.values.get("sam"), row.values.get("skill_grade")
        data = operations.OperationIn(
            code=row.text("code"),
            name=row.text("name"),
            sam=sam if isinstance(sam, Decimal) else Decimal(1),  # a bad SAM is named already
            machine_type=_machine(row.text("machine_type")),
            skill_grade=grade if isinstance(grade, int) else 1,
        )
        for problem in operations.operation_problems(data):
            if _column(problem) not in row.bad:
                errors.append(
                    sheet.error(row.number, _column(problem), problem.template, problem.params)
                )
        rate = _check_rate(sheet, row, lib.operations.get(data.code.strip()), lib, errors)
        if first.get(data.code.strip()) == row.number:
            found[data.code.strip()] = (data, rate)
    return found


def _check_rate(
    sheet: ParsedSheet, row: SheetRow, op: Operation | None, lib: Library, errors: list[CellError]
) -> rates.RateIn | None:
    rate, day = row.values.get("rate"), row.values.get("effective_from")
    if {"rate", "effective_from"} & row.bad or (rate is None and day is None):
        return None
    if not isinstance(rate, Decimal) or not isinstance(day, date):
        missing = "rate" if rate is None else "effective_from"
        errors.append(
            sheet.error(row.number, missing, msgid("give the rate and its effective date together"))
        )
        return None
    versions = lib.versions.get(op.id, {}) if op is not None else {}
    if day in versions:
        if versions[day] != rate:
            errors.append(
                sheet.error(
                    row.number,
                    "rate",
                    msgid("the version of %(day)s has the rate %(rate)s; add a new date instead"),
                    {"day": day.isoformat(), "rate": f"{versions[day]:.4f}"},
                )
            )
        return None  # the same version again: nothing to add
    data = rates.RateIn(rate=rate, effective_from=day)
    for problem in rates.rate_problems(data, max(versions) if versions else None):
        errors.append(sheet.error(row.number, problem.field, problem.template, problem.params))
    return data


def check_routings(
    sheet: ParsedSheet, style_codes: set[str], op_codes: set[str], errors: list[CellError]
) -> dict[str, list[tuple[str, list[str]]]]:
    """Return each listed style's routing: (operation code, predecessor codes) in order."""
    groups: dict[str, list[SheetRow]] = defaultdict(list)
    for row in sheet.rows:
        code = row.text("style_code")
        if code and code not in style_codes:
            errors.append(
                sheet.error(
                    row.number,
                    "style_code",
                    msgid("no style has the code %(code)s"),
                    {"code": code},
                )
            )
        op = row.text("operation_code")
        if op and op not in op_codes:
            errors.append(
                sheet.error(
                    row.number,
                    "operation_code",
                    msgid("no operation has the code %(code)s"),
                    {"code": op},
                )
            )
        if code:
            groups[code].append(row)
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for code, rows in groups.items():
        found[code] = _check_one_routing(sheet, rows, errors)
    return found


def _check_one_routing(
    sheet: ParsedSheet, rows: list[SheetRow], errors: list[CellError]
) -> list[tuple[str, list[str]]]:
    seqs: dict[int, int] = {}
    ops: dict[str, int] = {}
    for row in rows:
        seq, op = row.values.get("seq"), row.text("operation_code")
        if isinstance(seq, int) and seq < 1:
            errors.append(sheet.error(row.number, "seq", msgid("a position from 1 on")))
        elif isinstance(seq, int) and seqs.setdefault(seq, row.number) != row.number:
            errors.append(
                sheet.error(
                    row.number,
                    "seq",
                    msgid("%(code)s is listed already in row %(row)s"),
                    {"code": seq, "row": seqs[seq]},
                )
            )
        if op and ops.setdefault(op, row.number) != row.number:
            errors.append(
                sheet.error(row.number, "operation_code", msgid("the operation is listed twice"))
            )
    graph: dict[str, list[str]] = {}
    for row in rows:
        op = row.text("operation_code")
        preds = [str(p) for p in row.values.get("predecessors") or []]  # type: ignore[attr-defined]
        for pred in preds:
            if pred == op:
                errors.append(
                    sheet.error(
                        row.number, "predecessors", msgid("an operation cannot precede itself")
                    )
                )
            elif pred not in ops:
                errors.append(
                    sheet.error(
                        row.number,
                        "predecessors",
                        msgid("%(code)s is not in this style's routing"),
                        {"code": pred},
                    )
                )
        graph[op] = list(dict.fromkeys(p for p in preds if p in ops and p != op))
    index = {op: n for n, op in enumerate(graph)}
    cycle = find_cycle({index[op]: [index[p] for p in preds] for op, preds in graph.items()})
    if cycle is not None:
        names = list(graph)
        errors.append(
            sheet.error(
                rows[0].number,
                "predecessors",
                msgid("the precedence has a cycle: %(cycle)s"),
                {"cycle": " → ".join(names[i] for i in cycle)},
            )
        )
    ordered = sorted(rows, key=_seq_key)
    return [(r.text("operation_code"), graph.get(r.text("operation_code"), [])) for r in ordered]


def _seq_key(row: SheetRow) -> tuple[int, int]:
    seq = row.values.get("seq")
    return (seq if isinstance(seq, int) else 0, row.number)


def check_bom(
    sheet: ParsedSheet, sizes_of: dict[str, list[str]], errors: list[CellError]
) -> dict[str, list[bom.LineIn]]:
    """Return each listed style's BOM; ``sizes_of`` are the styles' sizes after the import."""
    groups: dict[str, dict[str, list[SheetRow]]] = defaultdict(lambda: defaultdict(list))
    for row in sheet.rows:
        code = row.text("style_code")
        if code and code not in sizes_of:
            errors.append(
                sheet.error(
                    row.number,
                    "style_code",
                    msgid("no style has the code %(code)s"),
                    {"code": code},
                )
            )
        elif code and row.text("material_code"):
            groups[code][row.text("material_code")].append(row)
    return {
        code: _one_bom(sheet, list(materials.values()), sizes_of[code], errors)
        for code, materials in groups.items()
    }


def _one_bom(
    sheet: ParsedSheet, materials: list[list[SheetRow]], sizes: list[str], errors: list[CellError]
) -> list[bom.LineIn]:
    lines: list[bom.LineIn] = []
    at: dict[tuple[int, str], int] = {}  # (line index, size) -> row
    for index, rows in enumerate(materials):
        head = rows[0]
        fields = {
            "material_name": head.text("material_name"),
            "kind": KIND_NAMES.get(head.text("kind"), head.text("kind")),
            "unit": UNIT_NAMES.get(head.text("unit"), head.text("unit")),
        }
        consumption: dict[str, Decimal] = {}
        for row in rows:
            for key in ("material_name", "kind", "unit"):
                if row is not head and row.text(key) != head.text(key):
                    errors.append(
                        sheet.error(
                            row.number,
                            key,
                            msgid("differs from row %(row)s of this material"),
                            {"row": head.number},
                        )
                    )
            size, value = row.text("size"), row.values.get("consumption")
            if not size:
                continue
            if (index, size) in at:
                errors.append(
                    sheet.error(
                        row.number,
                        "size",
                        msgid("%(code)s is listed already in row %(row)s"),
                        {"code": size, "row": at[index, size]},
                    )
                )
                continue
            at[index, size] = row.number
            # an unreadable consumption is named already: zero keeps the size from "missing"
            consumption[size] = value if isinstance(value, Decimal) else Decimal(0)
        lines.append(bom.LineIn(head.text("material_code"), consumption=consumption, **fields))
    for problem in bom.bom_problems(lines, sizes):
        errors.append(_bom_error(sheet, problem, materials, at))
    return lines


def _bom_error(
    sheet: ParsedSheet,
    problem: FieldProblem,
    materials: list[list[SheetRow]],
    at: dict[tuple[int, str], int],
) -> CellError:
    # "lines[3].consumption.M": the row of line 3's size M, or its first row if M has none
    if not problem.field.startswith("lines["):
        return sheet.error(
            materials[0][0].number, "material_code", problem.template, problem.params
        )
    index = int(problem.field[6 : problem.field.index("]")])
    rest = problem.field[problem.field.index("]") + 2 :]
    first = materials[index][0].number
    if not rest.startswith("consumption."):
        return sheet.error(first, rest, problem.template, problem.params)
    size = rest.removeprefix("consumption.")
    if (index, size) not in at:
        return sheet.error(
            first, "size", msgid("no row for size %(size)s of this material"), {"size": size}
        )
    column = "size" if "size" in problem.params else "consumption"
    return sheet.error(at[index, size], column, problem.template, problem.params)
