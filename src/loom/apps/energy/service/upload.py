"""Readings from an Excel or CSV file: good rows are stored, each bad row is reported.

One row is one reading. Columns are found by their headings, in Chinese or English (see
``COLUMNS``); the first row holds the headings. A bad row (unknown meter, a figure that does
not fit between its neighbours…) is reported with its row number and field and the others
are kept, so a long file need not be sent again for one typo.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import openpyxl
from sqlalchemy.orm import Session

from loom.apps.energy.models import EnergyMeter
from loom.apps.energy.service.meters import all_meters
from loom.apps.energy.service.numbers import parse_decimal
from loom.apps.energy.service.readings import ReadingIn, ReadingRefused, store
from loom.apps.energy.service.times import parse_day, parse_local_time
from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.tenancy.scope import Scope

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
#: column key → accepted headings (lower-cased); the first of each is the template's heading
COLUMNS: dict[str, tuple[str, ...]] = {
    "meter": ("表号", "meter", "meter code", "计量表"),
    "at": ("抄表时间", "read at", "time", "时间"),
    "value": ("读数", "value", "reading", "用量"),
    "event": ("事件", "event"),
    "old_final": ("旧表止码", "old final", "old meter final reading"),
    "period_start": ("起始日期", "period start"),
    "period_end": ("截止日期", "period end"),
    "note": ("备注", "note"),
}
EVENT_WORDS = {"": "", "rollover": "rollover", "翻转": "rollover", "回零": "rollover"}
EVENT_WORDS |= {"replaced": "replaced", "换表": "replaced"}


@dataclass(frozen=True)
class RowProblem:
    """One bad row: its number in the file (headings are row 1), the field and the msgid."""

    row: int
    field: str
    template: str
    params: dict[str, object] = dataclasses.field(default_factory=dict)


@dataclass
class UploadResult:
    """What a file gave: readings stored and rows refused."""

    accepted: int = 0
    rejected: list[RowProblem] = dataclasses.field(default_factory=list)


def _rows_of_xlsx(data: bytes) -> Iterator[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def _rows_of_csv(data: bytes) -> Iterator[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed("file: the CSV file is neither UTF-8 nor GB18030 text", field="file")
    yield from csv.reader(io.StringIO(text))


def read_rows(filename: str, data: bytes) -> list[list[Any]]:
    """Return the file's rows (headings first); a file that is no table raises 422."""
    if not data:
        raise ValidationFailed("file: the file is empty", field="file")
    if len(data) > MAX_BYTES:
        raise ValidationFailed("file: at most %(mb)s MB", field="file", params={"mb": 5})
    try:
        if data[:2] == b"PK":  # an .xlsx file is a zip archive
            rows = list(_rows_of_xlsx(data))
        elif filename.lower().endswith((".xlsx", ".xls")):
            raise ValidationFailed("file: not an Excel (.xlsx) workbook", field="file")
        else:
            rows = list(_rows_of_csv(data))
    except DomainError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ValidationFailed("file: not an Excel (.xlsx) workbook", field="file") from exc
    if len(rows) > MAX_ROWS + 1:
        raise ValidationFailed("file: at most %(n)s rows", field="file", params={"n": MAX_ROWS})
    return rows


def _header(row: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        heading = str(cell or "").strip().lower()
        for key, names in COLUMNS.items():
            if heading in names and key not in found:
                found[key] = index
    missing = [key for key in ("meter", "value") if key not in found]
    if missing:
        raise ValidationFailed(
            "file: the first row must name the columns; missing %(columns)s",
            field="file",
            params={"columns": ", ".join(COLUMNS[k][0] for k in missing)},
        )
    return found


def _cell(row: list[Any], columns: dict[str, int], key: str) -> Any:
    index = columns.get(key)
    if index is None or index >= len(row):
        return None
    value = row[index]
    return value.strip() if isinstance(value, str) else value


def _reading(row: list[Any], columns: dict[str, int], meter: EnergyMeter) -> ReadingIn | RowProblem:
    raw_event = str(_cell(row, columns, "event") or "").strip().lower()
    if raw_event not in EVENT_WORDS:
        return RowProblem(0, "event", "one of %(kinds)s", {"kinds": "rollover/翻转, replaced/换表"})
    return ReadingIn(
        at=parse_local_time(_cell(row, columns, "at")) if meter.mode == "register" else None,
        value=parse_decimal(_cell(row, columns, "value")),
        event=EVENT_WORDS[raw_event],
        old_final=parse_decimal(_cell(row, columns, "old_final")),
        period_start=parse_day(_cell(row, columns, "period_start")),
        period_end=parse_day(_cell(row, columns, "period_end")),
        note=str(_cell(row, columns, "note") or ""),
    )


def _problems_of(number: int, exc: DomainError) -> list[RowProblem]:
    if isinstance(exc, ReadingRefused):
        return [RowProblem(number, p.field, p.template, dict(p.params)) for p in exc.problems]
    return [RowProblem(number, exc.field or "row", exc.template, exc.params)]


def import_rows(
    session: Session, scope: Scope, filename: str, rows: list[list[Any]]
) -> UploadResult:
    """Store every good row of a table of readings; report each bad one."""
    if not rows:
        raise ValidationFailed("file: the file is empty", field="file")
    columns = _header(rows[0])
    meters = {m.code: m for m in all_meters(session, scope)}
    result = UploadResult()
    stored: list[int] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell not in (None, "") for cell in row):
            continue
        code = str(_cell(row, columns, "meter") or "").strip()
        meter = meters.get(code)
        if meter is None:
            result.rejected.append(
                RowProblem(number, "meter", "no such meter: %(code)s", {"code": code})
            )
            continue
        data = _reading(row, columns, meter)
        if isinstance(data, RowProblem):
            result.rejected.append(RowProblem(number, data.field, data.template, data.params))
            continue
        try:
            with session.begin_nested():
                stored.append(store(session, scope, meter, data, source="file").id)
        except DomainError as exc:
            result.rejected.extend(_problems_of(number, exc))
    result.accepted = len(stored)
    if stored:
        record_scoped(
            session,
            scope,
            "energy.reading.imported",
            "reading_file",
            filename[:100] or "file",
            after={"accepted": len(stored), "rejected": len(result.rejected), "ids": stored},
        )
    return result
