"""The master-data workbook on its own: cells, headers in either language, templates."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from loom.modules.masterdata.excel import (
    OPERATIONS,
    SHEETS,
    STYLES,
    SheetRejected,
    parse_workbook,
    template_workbook,
    write_workbook,
)
from loom.modules.masterdata.excel.cells import (
    CellProblem,
    date_of,
    decimal_of,
    int_of,
    list_of,
    text_of,
)


def book(*sheets: tuple[str, Sequence[Sequence[object]]]) -> bytes:
    """Return an .xlsx with the given sheets and rows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_cells_are_read_as_a_person_typed_them() -> None:
    # a float cell 1.25 is exactly 1.25, not the binary 1.25000000000000004…
    assert decimal_of(1.25) == Decimal("1.25")
    assert decimal_of(0.1) == Decimal("0.1")
    assert decimal_of("1,234.5") == Decimal("1234.5")
    assert int_of(3.0) == 3
    assert text_of(1001.0) == "1001"
    assert date_of("2026/3/1") == date(2026, 3, 1)
    assert date_of(datetime(2026, 3, 1, 0, 0)) == date(2026, 3, 1)
    assert list_of("白，蓝、 红;黑") == ["白", "蓝", "红", "黑"]
    for parse, value in (
        (decimal_of, "abc"),
        (int_of, 2.5),
        (date_of, "2026-02-30"),
        (decimal_of, True),
    ):
        with pytest.raises(CellProblem):
            parse(value)


def test_chinese_and_english_headers_are_both_understood() -> None:
    data = book(
        (
            "Styles",
            [
                ["Style code", "Style name", "Colours", "Sizes", "备注"],
                ["ST-1", "衬衫", "白, 蓝", "S,M"],
            ],
        ),
        (
            "工序",
            [
                ["工序编号", "工序名称", "标准工时（分钟）", "机种", "技能等级"],
                ["OP-1", "上领", 1.25, "平车", 3],
            ],
        ),
        ("说明", [["anything"]]),
    )
    parsed = parse_workbook(data)
    assert parsed.errors == []
    assert set(parsed.sheets) == {"styles", "operations"}
    style = parsed.sheets["styles"].rows[0]
    assert (style.number, style.values["code"], style.values["colours"]) == (
        2,
        "ST-1",
        ["白", "蓝"],
    )
    op = parsed.sheets["operations"].rows[0]
    # the full-width brackets of the header match the half-width ones of the layout
    assert op.values["sam"] == Decimal("1.25")
    assert parsed.sheets["operations"].columns["sam"] == ("C", "标准工时（分钟）")


def test_unreadable_cells_and_missing_columns_are_named_by_row_and_column() -> None:
    data = book(
        (
            "工序",
            [
                [None],
                ["工序编号", "工序名称", "标准工时(分钟)", "技能等级", "工价(元/件)", "生效日期"],
                ["OP-1", "上领", "一点五", 3.5, 0.3, "下周"],
                [None, None, None, None, None, None],
                ["", "绱袖", 0.8, 2, None, None],
            ],
        )
    )
    parsed = parse_workbook(data)
    found = [(e.sheet, e.row, e.column, e.header, e.template) for e in parsed.errors]
    # headers are on row 2 (row 1 is blank); the blank row 4 is skipped, not reported
    assert found == [
        ("工序", 2, "", "机种", "the column %(header)s is missing"),
        ("工序", 3, "C", "标准工时(分钟)", "a number is expected here"),
        ("工序", 3, "D", "技能等级", "a whole number is expected here"),
        ("工序", 3, "F", "生效日期", "a date such as 2026-03-01 is expected here"),
        ("工序", 5, "A", "工序编号", "a value is required here"),
    ]


def test_files_that_are_no_workbook_are_refused_whole() -> None:
    with pytest.raises(SheetRejected) as not_xlsx:
        parse_workbook(b"code,name\nST-1,shirt\n")
    assert not_xlsx.value.template == "The file is not an Excel workbook (.xlsx)."
    with pytest.raises(SheetRejected) as unknown:
        parse_workbook(book(("Sheet1", [["a", "b"]])))
    assert "款式" in unknown.value.template


def test_written_records_read_back_the_same() -> None:
    records = [
        {"code": "OP-1", "name": "上领", "sam": Decimal("1.2500"), "machine_type": "lockstitch"}
        | {"skill_grade": 3, "rate": Decimal("0.3"), "effective_from": date(2025, 1, 1)},
        {"code": "OP-2", "name": "绱袖", "sam": Decimal("0.8"), "machine_type": "overlock"}
        | {"skill_grade": 2},
    ]
    for locale in ("zh_CN", "en"):
        parsed = parse_workbook(write_workbook([(OPERATIONS, records)], locale))
        assert parsed.errors == []
        rows = parsed.sheets["operations"].rows
        assert rows[0].values == {**records[0], "sam": Decimal("1.25")}
        assert rows[1].values == {**records[1], "rate": None, "effective_from": None}


def test_templates_ship_headers_and_instructions_but_no_time_data() -> None:
    content = template_workbook(
        SHEETS,
        "zh_CN",
        lambda text: text,
        {"machine_type": ["lockstitch"]},
        {"Machine types": [("lockstitch", "平车")]},
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["款式", "工序", "工艺路线", "物料清单", "Instructions"]
    for title in workbook.sheetnames[:4]:
        sheet = workbook[title]
        assert isinstance(sheet, Worksheet)
        assert sheet.max_row == 1, f"{title} holds data rows"
    assert [c.value for c in workbook["工序"][1]] == [
        "工序编号",
        "工序名称",
        "标准工时(分钟)",
        "机种",
        "技能等级",
        "工价(元/件)",
        "生效日期",
    ]
    # no number anywhere in the template: no SAM, rate or consumption is suggested
    numbers = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float)
    ]
    assert numbers == []
    # an empty template reads back as nothing to import
    assert all(not s.rows for s in parse_workbook(content).sheets.values())


def test_a_style_sheet_in_english_has_english_headers() -> None:
    content = write_workbook(
        [(STYLES, [{"code": "ST-1", "name": "衬衫", "sizes": ["S", "M"]}])], "en"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Styles"]
    assert [c.value for c in sheet[1]] == [
        "Style code",
        "Style name",
        "Season",
        "Customer",
        "Colours",
        "Sizes",
    ]
    assert [c.value for c in sheet[2]] == ["ST-1", "衬衫", None, None, None, "S, M"]
