"""Writing registry workbooks: the error copy of an upload, the export and the template."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.programme.registry import (
    RegistryRow,
    SheetRejected,
    error_workbook,
    export_workbook,
    parse_workbook,
    template_workbook,
)
from loom.modules.programme.registry import messages as msg
from tests.modules.programme.registry import (
    HEADERS,
    code,
    first_sheet,
    good_row,
    good_values,
    workbook,
)

RED = "FFFFC7CE"


def bad_upload() -> bytes:
    """A sheet with good rows 2 and 5 and bad rows 3 (two problems) and 4 (a duplicate)."""
    bad = good_values(2)
    bad[HEADERS.index("行业")] = "纺织"
    bad[HEADERS.index("员工人数")] = -5
    return workbook([good_values(1), bad, good_values(1), good_values(3)])


def other_sheet(data: bytes, title: str) -> Worksheet:
    """The worksheet called ``title``."""
    sheet = openpyxl.load_workbook(io.BytesIO(data))[title]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_error_workbook_marks_cells_and_lists_every_message() -> None:
    upload = bad_upload()
    result = parse_workbook(upload, set())
    assert len(result.errors) == 3
    marked = error_workbook(upload, result.errors)

    sheet = first_sheet(marked)
    error_column = len(HEADERS) + 1
    assert sheet.cell(1, error_column).value == msg.ERROR_COLUMN
    assert sheet.cell(
        3, error_column
    ).value == "行业：行业“纺织”无效，应为：{}；员工人数：不能为负数".format(
        "运动休闲服装、新能源汽车零部件、家用电器、其他"
    )
    assert sheet.cell(4, error_column).value == "统一社会信用代码：与第 2 行的统一社会信用代码重复"
    assert sheet.cell(2, error_column).value is None
    sector, employees, credit = (
        HEADERS.index(h) + 1 for h in ("行业", "员工人数", "统一社会信用代码")
    )
    for row, column in ((3, sector), (3, employees), (4, credit)):
        cell = sheet.cell(row, column)
        assert cell.fill.fgColor.rgb == RED
        assert cell.comment is not None
    assert sheet.cell(3, employees).comment.text == "不能为负数"  # type: ignore[union-attr]
    assert sheet.cell(2, sector).fill.fgColor.rgb != RED
    # the user's data is untouched
    assert sheet.cell(3, employees).value == -5

    listing = other_sheet(marked, msg.ERROR_SHEET)
    lines = [tuple(row) for row in listing.iter_rows(min_row=3, values_only=True)]
    assert lines == [(e.row, e.column, e.message) for e in result.errors]
    assert listing.cell(1, 1).value == msg.ERROR_SHEET_NOTE.format(count=3)


def test_a_corrected_error_workbook_imports_and_old_marks_go() -> None:
    upload = bad_upload()
    marked = error_workbook(upload, parse_workbook(upload, set()).errors)
    book = openpyxl.load_workbook(io.BytesIO(marked))
    sheet = book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    sheet.cell(3, HEADERS.index("行业") + 1).value = "其他"
    sheet.cell(4, HEADERS.index("统一社会信用代码") + 1).value = code(4)
    buffer = io.BytesIO()
    book.save(buffer)
    corrected = buffer.getvalue()

    # one problem is left: the 错误 column of the old run is ignored, not read as data
    result = parse_workbook(corrected, set())
    assert [(e.row, e.column) for e in result.errors] == [(3, "员工人数")]
    again = first_sheet(error_workbook(corrected, result.errors))
    assert again.max_column == len(HEADERS) + 1  # the 错误 column is reused
    assert again.cell(4, len(HEADERS) + 1).value is None
    assert again.cell(3, len(HEADERS) + 1).value == "员工人数：不能为负数"
    assert again.cell(3, HEADERS.index("行业") + 1).fill.fgColor.rgb != RED
    assert again.cell(4, HEADERS.index("统一社会信用代码") + 1).comment is None
    names = openpyxl.load_workbook(io.BytesIO(error_workbook(corrected, result.errors))).sheetnames
    assert names.count(msg.ERROR_SHEET) == 1


def test_header_problems_are_listed_on_the_error_sheet() -> None:
    headers = [h for h in HEADERS if h != "规模"]
    upload = workbook(
        [[v for h, v in zip(HEADERS, good_values(1), strict=True) if h != "规模"]], headers
    )
    result = parse_workbook(upload, set())
    listing = other_sheet(error_workbook(upload, result.errors), msg.ERROR_SHEET)
    assert listing.cell(3, 3).value == "缺少必填列“规模”"


def test_error_workbook_refuses_what_is_not_a_workbook() -> None:
    with pytest.raises(SheetRejected):
        error_workbook(b"not a workbook", [])


def test_export_then_import_gives_the_same_rows() -> None:
    rows = [
        good_row(1),
        RegistryRow(
            name="宁波（海曙）新能源配件有限公司",
            credit_code=code(2),
            sector="nev_parts",
            sub_sector="",
            size="below",
            town="龙观乡",
            employees=0,
            revenue_wan=Decimal("0.05"),
            cloud=False,
            contact_name="",
            contact_phone="0574-87654321-8001",
        ),
        RegistryRow(
            name='=HYPERLINK("http://example.com")',  # must come back as text, not a formula
            credit_code=code(3),
            sector="home_appliances",
            sub_sector="小家电",
            size="above",
            town="石碶街道",
            employees=1_234_567,
            revenue_wan=Decimal("123456789012.99"),
            cloud=True,
            contact_name="王五",
            contact_phone="87654321",
        ),
    ]
    exported = export_workbook(rows)
    result = parse_workbook(exported, set())
    assert result.errors == ()
    assert result.rows == tuple(rows)
    assert first_sheet(exported).cell(4, 1).data_type == "s"


def test_export_of_nothing_is_a_header_only_sheet() -> None:
    result = parse_workbook(export_workbook([]), set())
    assert result.ok
    assert result.rows == ()


def test_template_has_headers_an_example_row_and_dropdowns() -> None:
    template = template_workbook()
    sheet = first_sheet(template)
    assert tuple(c.value for c in sheet[1]) == HEADERS
    rules = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    for header in ("行业", "规模", "镇乡街道", "是否上云"):
        letter = openpyxl.utils.get_column_letter(HEADERS.index(header) + 1)
        assert rules[f"{letter}2"].type == "list"
    town_letter = openpyxl.utils.get_column_letter(HEADERS.index("镇乡街道") + 1)
    assert "龙观乡" in str(rules[f"{town_letter}2"].formula1)
    assert msg.HELP_SHEET in openpyxl.load_workbook(io.BytesIO(template)).sheetnames

    # the example row is valid apart from being the example, which must not be imported
    assert [e.message for e in parse_workbook(template, set()).errors] == [msg.EXAMPLE_ROW]


def test_template_without_its_example_row_parses_with_no_errors() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    sheet = book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    sheet.delete_rows(2)
    buffer = io.BytesIO()
    book.save(buffer)
    result = parse_workbook(buffer.getvalue(), set())
    assert result.errors == ()
    assert result.rows == ()
