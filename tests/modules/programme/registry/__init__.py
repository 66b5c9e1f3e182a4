"""Tests of the registry's pure parts; workbook builders shared by the sheet tests live here."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.programme.registry import RegistryRow, make_code

HEADERS = (
    "企业名称",
    "统一社会信用代码",
    "行业",
    "细分行业",
    "规模",
    "镇乡街道",
    "员工人数",
    "营业收入(万元)",
    "是否上云",
    "联系人",
    "联系电话",
)


def code(n: int) -> str:
    """A valid, made-up Haishu enterprise code, different for every ``n``."""
    return make_code(f"91330203MA2{n:05d}")


def good_values(n: int) -> list[object]:
    """A complete, valid sheet row for enterprise ``n``, in ``HEADERS`` order."""
    return [
        f"宁波第{n}服饰有限公司",
        code(n),
        "运动休闲服装",
        "针织运动服",
        "规上",
        "集士港镇",
        100 + n,
        Decimal("2500.50") + n,
        "是",
        "李四",
        "13805740000",
    ]


def good_row(n: int, source_row: int = 0) -> RegistryRow:
    """The row ``good_values(n)`` parses to."""
    return RegistryRow(
        name=f"宁波第{n}服饰有限公司",
        credit_code=code(n),
        sector="apparel",
        sub_sector="针织运动服",
        size="above",
        town="集士港镇",
        employees=100 + n,
        revenue_wan=Decimal("2500.50") + n,
        cloud=True,
        contact_name="李四",
        contact_phone="13805740000",
        source_row=source_row,
    )


def workbook(rows: Sequence[Sequence[object]], headers: Sequence[object] = HEADERS) -> bytes:
    """An .xlsx whose first sheet holds ``headers`` in row 1 and ``rows`` from row 2."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def first_sheet(data: bytes) -> Worksheet:
    """The first worksheet of ``data``, fully loaded (formulas, styles and comments kept)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet
