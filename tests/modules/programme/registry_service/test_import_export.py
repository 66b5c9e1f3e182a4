"""Excel through the API: all-or-nothing import with every error, export round trip, template."""

from __future__ import annotations

import io
from dataclasses import replace

import openpyxl
from fastapi.testclient import TestClient

from loom.modules.programme.registry import messages as msg
from loom.modules.programme.registry import parse_workbook
from loom.testing.factory import Factory
from tests.modules.programme.registry import good_row
from tests.modules.programme.registry_service import (
    API,
    HEADERS,
    XLSX,
    add,
    bureau,
    code,
    good_values,
    sheet_rows,
    upload,
    workbook,
)


def with_cells(n: int, **cells: object) -> list[object]:
    """``good_values(n)`` with the cells under the given headers replaced."""
    values = good_values(n)
    for header, value in cells.items():
        values[HEADERS.index(header)] = value
    return values


BAD_SHEET_ROWS = [
    good_values(1),  # row 2
    with_cells(2, 统一社会信用代码=code(2)[:17] + "0"),  # row 3: wrong check character
    with_cells(3, 镇乡街道="西湖区", 员工人数=-5),  # row 4: two problems
    with_cells(4, 统一社会信用代码=code(1)),  # row 5: repeats row 2
    with_cells(5, 统一社会信用代码=code(9)),  # row 6: already in the registry
    good_values(7),  # row 7
]


def test_a_file_with_bad_rows_reports_each_and_imports_nothing(factory: Factory) -> None:
    _district, client = bureau(factory)
    add(client, 9)
    refused = upload(client, workbook(BAD_SHEET_ROWS))
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["message"] == "5 problem(s) in the file; nothing was imported"
    # rows as Excel numbers them (the header is row 1); messages are the sheet's own texts
    assert error["details"] == [
        {
            "field": "row 3 / 统一社会信用代码",
            "message": f"第 18 位校验码应为 {code(2)[17]}，现在是 0",
        },
        {
            "field": "row 4 / 镇乡街道",
            "message": "“西湖区”不是海曙区的镇乡街道，请从下拉列表中选择",
        },
        {"field": "row 4 / 员工人数", "message": "不能为负数"},
        {"field": "row 5 / 统一社会信用代码", "message": "与第 2 行的统一社会信用代码重复"},
        {"field": "row 6 / 统一社会信用代码", "message": msg.CODE_EXISTS},
    ]
    assert client.get(API).json()["total"] == 1  # only enterprise 9, added before

    marked = upload(client, workbook(BAD_SHEET_ROWS), f"{API}/import/errors.xlsx")
    assert marked.status_code == 200
    assert marked.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(marked.content))
    errors_sheet = [tuple(r) for r in book[msg.ERROR_SHEET].iter_rows(min_row=3, values_only=True)]
    assert [(r[0], r[1]) for r in errors_sheet] == [
        (3, "统一社会信用代码"),
        (4, "镇乡街道"),
        (4, "员工人数"),
        (5, "统一社会信用代码"),
        (6, "统一社会信用代码"),
    ]

    clean = upload(client, workbook([good_values(1), good_values(2), good_values(7)]))
    assert clean.status_code == 201, clean.text
    assert clean.json()["imported"] == 3
    assert client.get(API).json()["total"] == 4


def test_unreadable_and_empty_files_are_refused_naming_the_file(factory: Factory) -> None:
    _district, client = bureau(factory)
    garbage = upload(client, b"name,code\n")
    assert garbage.status_code == 422
    assert garbage.json()["error"]["details"] == [
        {"field": "file", "message": f"file: {msg.NOT_XLSX}"}
    ]
    empty = upload(client, workbook([]))
    assert empty.status_code == 422
    assert empty.json()["error"]["details"][0]["field"] == "file"
    headers = [h for h in HEADERS if h != "镇乡街道"]
    rows = [[v for h, v in zip(HEADERS, good_values(1), strict=True) if h != "镇乡街道"]]
    missing = upload(client, workbook(rows, headers))
    assert missing.status_code == 422
    assert missing.json()["error"]["details"] == [
        {"field": "row 1 / 镇乡街道", "message": "缺少必填列“镇乡街道”"}
    ]
    assert client.get(API).json()["total"] == 0


def test_export_reads_back_to_the_same_rows_and_imports_elsewhere(factory: Factory) -> None:
    _district, client = bureau(factory)
    add(client, 1)
    add(client, 2, cloud=False, contact_phone="", sub_sector="", sector="其他")
    add(client, 3, contact_phone="0574-8700 1234")
    exported = client.get(f"{API}/export.xlsx")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == XLSX
    expected = (
        good_row(1),
        replace(good_row(2), cloud=False, contact_phone="", sub_sector="", sector="other"),
        replace(good_row(3), contact_phone="0574-87001234"),
    )
    assert parse_workbook(exported.content, set()).rows == expected

    filtered = client.get(f"{API}/export.xlsx", params={"sector": "other"})
    assert [row[0] for row in sheet_rows(filtered.content)[1:]] == ["宁波第2服饰有限公司"]

    again = upload(client, exported.content)
    assert again.status_code == 422
    assert {d["message"] for d in again.json()["error"]["details"]} == {msg.CODE_EXISTS}

    _other, elsewhere = bureau(factory, "yinzhou", "deputy")
    moved = upload(elsewhere, exported.content)
    assert moved.status_code == 201, moved.text

    def comparable(registry: TestClient) -> list[dict[str, object]]:
        skip = {"id", "created_at", "updated_at"}
        items = registry.get(API).json()["items"]
        return [{k: v for k, v in item.items() if k not in skip} for item in items]

    assert comparable(elsewhere) == comparable(client)


def test_the_template_is_the_sheet_with_an_example_to_delete(factory: Factory) -> None:
    _district, client = bureau(factory)
    template = client.get(f"{API}/template.xlsx")
    assert template.status_code == 200
    assert sheet_rows(template.content)[0][: len(HEADERS)] == HEADERS
    # importing the template as it is would import the example row: the sheet refuses it
    refused = upload(client, template.content)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == [
        {"field": "row 2 / 统一社会信用代码", "message": msg.EXAMPLE_ROW}
    ]
