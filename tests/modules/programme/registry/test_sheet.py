"""Reading the registry sheet: clean rows, and every problem with its Excel row and column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loom.modules.programme.registry import (
    MAX_BYTES,
    MAX_ROWS,
    CellError,
    SheetRejected,
    parse_workbook,
    towns,
)
from loom.modules.programme.registry import messages as msg
from tests.modules.programme.registry import HEADERS, code, good_row, good_values, workbook


def with_value(n: int, header: str, value: object, **more: object) -> list[object]:
    """``good_values(n)`` with the cell under ``header`` (and ``more`` headers) replaced."""
    values = good_values(n)
    for name, new in {header: value, **more}.items():
        values[HEADERS.index(name)] = new
    return values


def errors_of(*rows: list[object], existing: frozenset[str] = frozenset()) -> list[CellError]:
    """Parse a sheet of ``rows`` and return its errors."""
    return list(parse_workbook(workbook(rows), existing).errors)


def test_good_rows_parse_to_typed_rows() -> None:
    result = parse_workbook(workbook([good_values(1), good_values(2)]), set())
    assert result.ok
    assert result.rows == (good_row(1), good_row(2))
    assert [row.source_row for row in result.rows] == [2, 3]


def test_every_bad_row_and_field_is_reported_with_its_excel_row() -> None:
    rows = [
        good_values(1),  # row 2
        with_value(2, "统一社会信用代码", code(2)[:17] + "0"),  # row 3: wrong check character
        with_value(3, "行业", "纺织"),  # row 4: unknown sector
        with_value(4, "员工人数", -5),  # row 5: negative head count
        with_value(5, "统一社会信用代码", code(1)),  # row 6: repeats row 2's code
        with_value(6, "企业名称", "  "),  # row 7: no name (spaces only)
        good_values(7),  # row 8
        # row 9: two problems in one row, both reported
        with_value(8, "规模", "中型", 镇乡街道="西湖区"),
    ]
    result = parse_workbook(workbook(rows), set())
    expected_check = code(2)[17]
    assert list(result.errors) == [
        CellError(3, "统一社会信用代码", f"第 18 位校验码应为 {expected_check}，现在是 0"),
        CellError(
            4, "行业", "行业“纺织”无效，应为：运动休闲服装、新能源汽车零部件、家用电器、其他"
        ),
        CellError(5, "员工人数", "不能为负数"),
        CellError(6, "统一社会信用代码", "与第 2 行的统一社会信用代码重复"),
        CellError(7, "企业名称", "必填，不能为空"),
        CellError(9, "规模", "规模“中型”无效，应为：规上、规下"),
        CellError(9, "镇乡街道", "“西湖区”不是海曙区的镇乡街道，请从下拉列表中选择"),
    ]
    assert not result.ok
    # the clean rows are still returned (the caller imports nothing while errors exist)
    assert [row.credit_code for row in result.rows] == [code(1), code(7)]


def test_codes_already_in_the_registry_are_refused() -> None:
    found = errors_of(good_values(1), good_values(2), existing=frozenset({code(2).lower()}))
    assert found == [CellError(3, "统一社会信用代码", msg.CODE_EXISTS)]


def test_a_code_repeated_three_times_is_reported_on_each_repeat() -> None:
    found = errors_of(good_values(1), good_values(1), good_values(1))
    assert [(e.row, e.message) for e in found] == [
        (3, "与第 2 行的统一社会信用代码重复"),
        (4, "与第 2 行的统一社会信用代码重复"),
    ]


def test_blank_rows_are_skipped_and_row_numbers_stay_excels() -> None:
    blank: list[object] = [None] * len(HEADERS)
    spaces: list[object] = ["  "] * len(HEADERS)
    rows = [blank, good_values(1), spaces, with_value(2, "行业", "?"), blank, blank, blank]
    found = errors_of(*rows)
    assert [(e.row, e.column) for e in found] == [(5, "行业")]


def test_text_is_trimmed_and_numbers_typed_as_text_are_accepted() -> None:
    values: list[object] = [
        "  宁波第1服饰有限公司 ",
        f" {code(1).lower()} ",
        " 运动休闲服装",
        "针织运动服  ",
        "规上 ",
        " 集士港镇",
        " 101 ",
        "2,501.50",
        " 是 ",
        "李四",
        13805740000,  # a phone number typed as a number
    ]
    result = parse_workbook(workbook([values]), set())
    assert result.errors == ()
    assert result.rows == (good_row(1),)


def test_english_headers_and_aliases_are_accepted() -> None:
    english = (
        "name",
        "credit_code",
        "sector",
        "sub_sector",
        "size",
        "town",
        "employees",
        "revenue_wan",
        "cloud",
        "contact_name",
        "contact_phone",
    )
    assert parse_workbook(workbook([good_values(1)], english), set()).rows == (good_row(1),)
    variants = [*HEADERS[:7], "营业收入（万元）", "是否上云*", *HEADERS[9:]]
    assert parse_workbook(workbook([good_values(1)], variants), set()).rows == (good_row(1),)


def test_english_choice_spellings_are_accepted() -> None:
    values = with_value(1, "行业", "nev_parts", 规模="规模以下", 是否上云=False)
    (row,) = parse_workbook(workbook([values]), set()).rows
    assert (row.sector, row.size, row.cloud) == ("nev_parts", "below", False)


def test_optional_columns_may_be_blank_or_absent() -> None:
    values = good_values(1)
    for header in ("细分行业", "联系人", "联系电话"):
        values[HEADERS.index(header)] = None
    (row,) = parse_workbook(workbook([values]), set()).rows
    assert (row.sub_sector, row.contact_name, row.contact_phone) == ("", "", "")
    kept = [i for i, h in enumerate(HEADERS) if h not in ("细分行业", "联系人", "联系电话")]
    narrow = workbook([[good_values(1)[i] for i in kept]], [HEADERS[i] for i in kept])
    assert parse_workbook(narrow, set()).rows == (row,)


def test_unknown_columns_are_ignored() -> None:
    note_only: list[object] = [None] * len(HEADERS)
    rows = [[*good_values(1), "老客户"], [*note_only, "只有备注的一行"]]
    result = parse_workbook(workbook(rows, [*HEADERS, "备注"]), set())
    assert result.errors == ()
    assert result.rows == (good_row(1),)


def test_missing_and_repeated_columns_are_header_errors() -> None:
    headers = [h for h in HEADERS if h != "行业"] + ["企业名称"]
    rows = [[v for h, v in zip(HEADERS, good_values(1), strict=True) if h != "行业"] + ["x"]]
    found = errors_of_sheet(workbook(rows, headers))
    assert found == [
        CellError(1, "企业名称", "列“企业名称”出现了不止一次，请只保留一列"),
        CellError(1, "行业", "缺少必填列“行业”"),
    ]


def errors_of_sheet(data: bytes) -> list[CellError]:
    """The errors of an already built workbook."""
    result = parse_workbook(data, set())
    assert result.rows == ()
    return list(result.errors)


def test_header_may_sit_below_blank_rows() -> None:
    data = workbook([[None], HEADERS, good_values(1)], headers=[None])
    (row,) = parse_workbook(data, set()).rows
    assert row == good_row(1)
    assert row.source_row == 4


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("统一社会信用代码", 913302031234567890, msg.CODE_AS_NUMBER),
        ("统一社会信用代码", 12345, "统一社会信用代码应为 18 位，现在是 5 位"),
        ("统一社会信用代码", code(1)[:17], "统一社会信用代码应为 18 位，现在是 17 位"),
        (
            "统一社会信用代码",
            "91330203MA2O0001X8",
            "第 12 位“O”不是合法字符（只能是数字和除 I、O、Z、S、V 以外的大写字母）",
        ),
        (
            "统一社会信用代码",
            "94" + code(1)[2:],
            "第 2 位机构类别代码“4”与第 1 位登记管理部门不匹配，应为 123 之一",
        ),
        ("员工人数", 12.5, "应为整数，现在是“12.5”"),
        ("员工人数", "一百", "应为整数，现在是“一百”"),
        ("营业收入(万元)", "12.345", "最多保留两位小数"),
        ("营业收入(万元)", -1, "不能为负数"),
        ("营业收入(万元)", "NaN", "应为数字（单位：万元），现在是“NaN”"),
        ("营业收入(万元)", "10000000000000", "数值过大（最大 999999999999.99）"),
        ("是否上云", "不确定", "应填“是”或“否”，现在是“不确定”"),
        ("联系电话", "12345", "“12345”不是有效的电话号码：手机为 11 位数字，座机如 0574-87654321"),
        ("企业名称", "宁" * 201, "不能超过 200 个字（现在 201 个）"),
        ("镇乡街道", "鄞州区", "“鄞州区”不是海曙区的镇乡街道，请从下拉列表中选择"),
        ("是否上云", None, "必填，不能为空"),
    ],
)
def test_cell_problems(header: str, value: object, message: str) -> None:
    assert errors_of(with_value(1, header, value)) == [CellError(2, header, message)]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13805740000", "13805740000"),
        ("+86 138 0574 0000", "13805740000"),
        ("138-0574-0000", "13805740000"),
        ("0574-87654321", "0574-87654321"),
        ("(0574)87654321", "0574-87654321"),
        ("057487654321", "0574-87654321"),
        ("0574－87654321转8001", "0574-87654321-8001"),
        ("87654321", "87654321"),
    ],
)
def test_phone_spellings(typed: str, stored: str) -> None:
    (row,) = parse_workbook(workbook([with_value(1, "联系电话", typed)]), set()).rows
    assert row.contact_phone == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(2501.5, Decimal("2501.50")), (1234.5600000000001, Decimal("1234.56")), (7, Decimal(7))],
)
def test_revenue_cells(typed: object, stored: Decimal) -> None:
    (row,) = parse_workbook(workbook([with_value(1, "营业收入(万元)", typed)]), set()).rows
    assert row.revenue_wan == stored


def test_every_haishu_town_is_accepted() -> None:
    names = towns()
    assert len(names) == 17
    rows = [with_value(n, "镇乡街道", name) for n, name in enumerate(names)]
    rows.append(with_value(99, "镇乡街道", "石碶街道办事处"))
    result = parse_workbook(workbook(rows), set())
    assert result.errors == ()
    assert [row.town for row in result.rows] == [*names, "石碶街道"]


def test_too_large_a_file_is_refused_before_reading() -> None:
    with pytest.raises(SheetRejected, match="5 MB"):
        parse_workbook(b"PK\x03\x04" + bytes(MAX_BYTES), set())


def test_too_many_rows_are_refused() -> None:
    rows = [[f"企业{n}"] for n in range(MAX_ROWS + 1)]
    with pytest.raises(SheetRejected, match="10000"):
        parse_workbook(workbook(rows, ["企业名称"]), set())


def test_exactly_the_limit_is_read() -> None:
    rows = [[f"企业{n}"] for n in range(MAX_ROWS)]
    result = parse_workbook(workbook(rows, ["企业名称"]), set())
    assert {e.row for e in result.errors} == {1}  # only the missing columns


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,credit_code\n", msg.NOT_XLSX),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), msg.NOT_XLSX),  # an old .xls
        (workbook([], headers=[]), msg.EMPTY_SHEET),
        (workbook([["a", "b"]], headers=["甲", "乙"]), msg.NO_HEADER),
    ],
)
def test_unreadable_files_are_refused_with_a_message(data: bytes, message: str) -> None:
    with pytest.raises(SheetRejected) as caught:
        parse_workbook(data, set())
    assert str(caught.value) == message
