"""The registry sheet's columns and vocabularies, and how one cell becomes one value."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, Final

from loom.modules.programme.registry import messages as msg
from loom.modules.programme.registry.creditcode import InvalidCreditCode, make_code, validate

#: sector id -> the label used in sheets (the plan's three sub-industries, and the rest)
SECTORS: Final = {
    "apparel": "运动休闲服装",
    "nev_parts": "新能源汽车零部件",
    "home_appliances": "家用电器",
    "other": "其他",
}
#: size id -> label; "above" is 规模以上 (annual revenue of 20 million CNY or more)
SIZES: Final = {"above": "规上", "below": "规下"}
_SIZE_SPELLINGS: Final = {"规模以上": "above", "规模以下": "below"}
_YES: Final = frozenset({"是", "y", "yes", "true", "1", "已上云"})
_NO: Final = frozenset({"否", "n", "no", "false", "0", "未上云"})

#: the fixed code of the template's example row, so an example left in the file is caught
EXAMPLE_CREDIT_CODE: Final = make_code("91330203MA2H0001")

MAX_EMPLOYEES: Final = 9_999_999
# the registry stores revenue as NUMERIC(14, 2): twelve digits before the point
MAX_REVENUE_WAN: Final = Decimal("999999999999.99")
_CENT: Final = Decimal("0.01")
# Excel cell error values, which a cached formula result may hold
_EXCEL_ERRORS: Final = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
_INVISIBLE: Final = "\u200b\u200c\u200d\ufeff"
_MOBILE: Final = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_LANDLINE: Final = re.compile(r"(?:(0\d{2,3})-?)?([2-9]\d{6,7})(?:-(\d{1,6}))?")


@cache
def towns() -> tuple[str, ...]:
    """Haishu district's 镇乡街道, in the order of ``towns.json``."""
    text = resources.files(__package__).joinpath("towns.json").read_text(encoding="utf-8")
    names = json.loads(text)["towns"]
    return tuple(str(name) for name in names)


class CellProblem(ValueError):
    """One cell's value is unacceptable; the message is the user-facing sheet text."""


@dataclass(frozen=True)
class RegistryRow:
    """One enterprise of the registry sheet, cleaned and typed."""

    name: str
    credit_code: str
    sector: str
    sub_sector: str
    size: str
    town: str
    employees: int
    revenue_wan: Decimal
    cloud: bool
    contact_name: str
    contact_phone: str
    #: the Excel row it was read from (0 when it did not come from a sheet); not compared
    source_row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class CellError:
    """A problem at a row (as numbered in Excel) and column (its header as in the file)."""

    row: int
    column: str
    message: str


def is_blank(value: object) -> bool:
    """True for an empty cell, including one holding only spaces."""
    return value is None or (isinstance(value, str) and not _strip(value))


def _strip(text: str) -> str:
    return text.strip().strip(_INVISIBLE).strip()


def cell_text(value: object) -> str:
    """A cell as trimmed text; numbers typed into text columns come back without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        raise CellProblem(msg.NOT_A_TEXT)
    text = _strip(str(value))
    if text in _EXCEL_ERRORS:
        raise CellProblem(msg.NOT_A_TEXT)
    return text


def _compact(value: object) -> str:
    # full-width digits, letters and punctuation become ASCII; spaces and separators go
    text = unicodedata.normalize("NFKC", cell_text(value))
    return re.sub(r"[\s,]", "", text)


def yes_no(value: bool) -> str:
    """The sheet spelling of a yes/no value."""
    return "是" if value else "否"


def header_key(text: object) -> str:
    """A header reduced for matching: NFKC, no spaces, no required-marks, case-folded."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s*＊]", "", folded)


def _text(limit: int) -> Callable[[object], str]:
    def parse(value: object) -> str:
        text = cell_text(value)
        if len(text) > limit:
            raise CellProblem(msg.TOO_LONG.format(limit=limit, length=len(text)))
        return text

    return parse


def parse_credit_code(value: object) -> str:
    """A valid, normalised credit code (duplicates are the sheet's business)."""
    # Excel keeps 15 significant digits: an 18-digit code typed as a number is already lost
    if isinstance(value, int | float | Decimal) and value >= 10**15:
        raise CellProblem(msg.CODE_AS_NUMBER)
    try:
        return validate(unicodedata.normalize("NFKC", cell_text(value)))
    except InvalidCreditCode as exc:
        raise CellProblem(msg.credit_code_problem(exc)) from exc


def _choice(
    labels: dict[str, str], spellings: dict[str, str], template: str
) -> Callable[[object], str]:
    lookup = {header_key(label): key for key, label in labels.items()}
    lookup.update({header_key(key): key for key in labels})
    lookup.update({header_key(s): key for s, key in spellings.items()})

    def parse(value: object) -> str:
        text = cell_text(value)
        found = lookup.get(header_key(text))
        if found is None:
            raise CellProblem(template.format(got=text, choices="、".join(labels.values())))
        return found

    return parse


def parse_town(value: object) -> str:
    """One of Haishu's 镇乡街道 (a trailing 办事处 is tolerated and dropped)."""
    text = re.sub(r"\s", "", cell_text(value))
    name = text.removesuffix("办事处")
    if name not in towns():
        raise CellProblem(msg.UNKNOWN_TOWN.format(got=text))
    return name


def _number(value: object, not_number: str) -> Decimal:
    if isinstance(value, bool):
        raise CellProblem(not_number.format(got=cell_text(value)))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: what the user typed
        return Decimal(repr(value))
    text = _compact(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellProblem(not_number.format(got=cell_text(value))) from None
    if not number.is_finite():
        raise CellProblem(not_number.format(got=cell_text(value)))
    return number


def parse_employees(value: object) -> int:
    """A head count: a whole number, zero or more."""
    number = _number(value, msg.NOT_AN_INTEGER)
    if number < 0:
        raise CellProblem(msg.NEGATIVE)
    if number != number.to_integral_value():
        raise CellProblem(msg.NOT_AN_INTEGER.format(got=cell_text(value)))
    if number > MAX_EMPLOYEES:
        raise CellProblem(msg.TOO_BIG.format(limit=MAX_EMPLOYEES))
    return int(number)


def parse_revenue(value: object) -> Decimal:
    """Revenue in 万元: zero or more, at most two decimals."""
    number = _number(value, msg.NOT_A_NUMBER)
    if number < 0:
        raise CellProblem(msg.NEGATIVE)
    # before quantize: a huge number has no room for two decimals (InvalidOperation, a 500)
    if number > MAX_REVENUE_WAN:
        raise CellProblem(msg.TOO_BIG.format(limit=MAX_REVENUE_WAN))
    rounded = number.quantize(_CENT)
    # a float cell may carry binary noise far below a cent (1234.5600000000001): not a typo
    if abs(rounded - number) > Decimal("1e-9"):
        raise CellProblem(msg.TOO_MANY_DECIMALS)
    if rounded > MAX_REVENUE_WAN:
        raise CellProblem(msg.TOO_BIG.format(limit=MAX_REVENUE_WAN))
    return rounded


def parse_cloud(value: object) -> bool:
    """是 or 否 (also Y/N, yes/no, true/false, 1/0, or an Excel TRUE/FALSE)."""
    if isinstance(value, bool):
        return value
    text = _compact(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellProblem(msg.NOT_YES_NO.format(got=cell_text(value)))


def parse_phone(value: object) -> str:
    """A mainland mobile (11 digits) or landline number, in one canonical spelling."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    compact = re.sub(r"[\s()]", "", text.replace("转", "-"))
    compact = re.sub(r"[—–‐]", "-", compact)
    if mobile := _MOBILE.fullmatch(compact.replace("-", "")):
        return mobile.group(1)
    landline = _LANDLINE.fullmatch(compact)
    if landline is None:
        raise CellProblem(msg.BAD_PHONE.format(got=cell_text(value)))
    area, number, extension = landline.groups()
    parts = [part for part in (area, number, extension) if part]
    return "-".join(parts)


@dataclass(frozen=True)
class Column:
    """One column of the registry sheet."""

    key: str
    header: str
    aliases: tuple[str, ...]
    required: bool
    width: int
    parse: Callable[[object], Any]
    default: object = ""


COLUMNS: Final = (
    Column("name", "企业名称", ("企业名", "单位名称"), True, 36, _text(200)),
    Column("credit_code", "统一社会信用代码", ("信用代码",), True, 22, parse_credit_code),
    Column(
        "sector",
        "行业",
        ("所属行业",),
        True,
        18,
        _choice(SECTORS, {}, msg.UNKNOWN_SECTOR),
    ),
    Column("sub_sector", "细分行业", (), False, 18, _text(100)),
    Column(
        "size", "规模", ("企业规模",), True, 8, _choice(SIZES, _SIZE_SPELLINGS, msg.UNKNOWN_SIZE)
    ),
    Column("town", "镇乡街道", ("镇街", "所在镇街", "镇(乡、街道)"), True, 12, parse_town),
    Column("employees", "员工人数", ("从业人数", "职工人数"), True, 10, parse_employees),
    Column(
        "revenue_wan",
        "营业收入(万元)",
        ("营业收入", "营收(万元)"),
        True,
        16,
        parse_revenue,
    ),
    Column("cloud", "是否上云", ("上云",), True, 10, parse_cloud),
    Column("contact_name", "联系人", (), False, 10, _text(60)),
    Column("contact_phone", "联系电话", ("电话", "手机"), False, 18, parse_phone),
)
COLUMNS_BY_KEY: Final = {column.key: column for column in COLUMNS}


def match_header(text: object) -> Column | None:
    """The column a header names (Chinese header, English key or alias), if any."""
    return _HEADER_LOOKUP.get(header_key(text))


_HEADER_LOOKUP: Final = {
    header_key(spelling): column
    for column in COLUMNS
    for spelling in (column.header, column.key, *column.aliases)
}


def sheet_values(row: RegistryRow) -> tuple[object, ...]:
    """A row as the sheet shows it, in column order (what ``parse`` reads back to ``row``)."""
    return (
        row.name,
        row.credit_code,
        SECTORS.get(row.sector, row.sector),
        row.sub_sector,
        SIZES.get(row.size, row.size),
        row.town,
        row.employees,
        row.revenue_wan,
        yes_no(row.cloud),
        row.contact_name,
        row.contact_phone,
    )
