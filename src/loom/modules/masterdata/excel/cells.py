"""Generic cell reading for uploaded workbooks: blank cells, text, numbers, dates, lists.

Nothing here knows garments: each parser returns the value or raises ``CellProblem`` whose
message is an English msgid with parameters, so the page shows it in the reader's language.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final

MAX_BYTES: Final = 5 * 1024 * 1024
# a 5 MB upload can still inflate enormously (a zip bomb); real sheets stay far below this
MAX_UNPACKED_BYTES: Final = 200 * 1024 * 1024
#: what separates colours, sizes or predecessor codes typed into one cell
LIST_SEPARATORS: Final = re.compile(r"[,，、;；\n]+")
_INVISIBLE = "\u200b\ufeff\u00a0\u3000"


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


NOT_XLSX = msgid("The file is not an Excel workbook (.xlsx).")
TOO_LARGE = msgid("The file is larger than %(mb)s MB.")


class SheetRejected(ValueError):
    """The whole file is refused; ``template`` and ``params`` say why, as a msgid."""

    def __init__(self, template: str, params: Mapping[str, object] | None = None) -> None:
        self.template = template
        self.params = dict(params or {})
        super().__init__(template % self.params if self.params else template)


class CellProblem(ValueError):
    """One cell's value is unusable; ``template`` is an English msgid."""

    def __init__(self, template: str, params: Mapping[str, object] | None = None) -> None:
        self.template = template
        self.params = dict(params or {})
        super().__init__(template % self.params if self.params else template)


@dataclass(frozen=True)
class CellError:
    """A problem at a sheet, row (as Excel numbers it) and column (letter and header)."""

    sheet: str
    row: int
    column: str
    header: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Return the English message."""
        return self.template % dict(self.params) if self.params else self.template


def check_package(data: bytes) -> None:
    """Refuse what is not an .xlsx package, or is too large packed or unpacked."""
    limit = {"mb": MAX_BYTES // (1024 * 1024)}
    if len(data) > MAX_BYTES:
        raise SheetRejected(TOO_LARGE, limit)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except zipfile.BadZipFile as exc:
        # .xls, .csv and password-protected .xlsx files are not zip packages
        raise SheetRejected(NOT_XLSX) from exc
    if not any(member.filename == "xl/workbook.xml" for member in members):
        raise SheetRejected(NOT_XLSX)
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise SheetRejected(TOO_LARGE, limit)


def is_blank(value: object) -> bool:
    """True for an empty cell, including one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip(_INVISIBLE).strip())


def text_of(value: object) -> str:
    """Return a cell as text: whole numbers without ``.0``, strings stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip().strip(_INVISIBLE).strip()


def decimal_of(value: object) -> Decimal:
    """Return a cell as an exact decimal (a float cell is read as Excel shows it)."""
    if isinstance(value, bool | datetime | date):
        raise CellProblem(msgid("a number is expected here"))
    # repr of a float is the shortest text that reads back the same: 1.25, not 1.2500000001
    raw = repr(value) if isinstance(value, float) else text_of(value).replace(",", "")
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise CellProblem(msgid("a number is expected here")) from exc
    if not number.is_finite():
        raise CellProblem(msgid("a number is expected here"))
    return number


def int_of(value: object) -> int:
    """Return a cell as a whole number."""
    try:
        number = decimal_of(value)
    except CellProblem as exc:
        raise CellProblem(msgid("a whole number is expected here")) from exc
    if number != number.to_integral_value() or abs(number) > 2_000_000_000:
        raise CellProblem(msgid("a whole number is expected here"))
    return int(number)


def date_of(value: object) -> date:
    """Return a cell as a date: an Excel date, or text such as 2026-03-01 or 2026/3/1."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parts = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text_of(value))
    if parts is None:
        raise CellProblem(msgid("a date such as 2026-03-01 is expected here"))
    try:
        return date(int(parts[1]), int(parts[2]), int(parts[3]))
    except ValueError as exc:
        raise CellProblem(msgid("a date such as 2026-03-01 is expected here")) from exc


def list_of(value: object) -> list[str]:
    """Return a cell's labels, split at commas, 、 or semicolons; blanks dropped."""
    return [part.strip() for part in LIST_SEPARATORS.split(text_of(value)) if part.strip()]
