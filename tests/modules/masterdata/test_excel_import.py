"""Excel import and export over the pages: round trips, every bad cell named, all or nothing."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import openpyxl
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import Role
from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.modules.masterdata.service.operations import MACHINE_TYPES
from loom.testing.factory import Factory, OrgRef
from tests.modules.masterdata.helpers import API, create_op
from tests.modules.masterdata.pages.helpers import PAGES, seed_shirt, zh
from tests.modules.masterdata.test_excel import book

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STYLE_HEAD = ["款号", "款名", "季节", "客户", "颜色", "尺码"]
OP_HEAD = ["工序编号", "工序名称", "标准工时(分钟)", "机种", "技能等级", "工价(元/件)", "生效日期"]
ROUTE_HEAD = ["款号", "顺序", "工序编号", "前道工序"]
BOM_HEAD = ["款号", "物料编号", "物料名称", "类别", "单位", "尺码", "单耗"]


def upload(client: TestClient, data: bytes, name: str = "基础数据.xlsx") -> Any:
    """Post a workbook to the import page."""
    return client.post(f"{PAGES}/import", files={"file": (name, data, XLSX)})


def error_rows(page: str) -> list[tuple[str, str, str, str]]:
    """Return (sheet, row, column, problem) of every row of the page's error table."""
    rows = re.findall(r'<tr data-testid="error-row">(.*?)</tr>', page, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [tuple(html.unescape(c).strip() for c in row) for row in cells]  # type: ignore[misc]


def values(content: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Return every sheet's rows as values."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {s.title: list(s.iter_rows(values_only=True)) for s in workbook.worksheets}


def test_an_export_imports_into_another_factory_unchanged(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    seed_shirt(admin)
    exported = admin.get(f"{PAGES}/export.xlsx")
    assert exported.status_code == 200
    assert exported.headers["content-type"] == XLSX
    sheets = values(exported.content)
    # hand-checked against seed_shirt: OP-030 has no rate, so its rate cells are empty
    assert sheets["工序"][1:] == [
        ("OP-010", "上领", 1.25, "lockstitch", 3, 0.3, sheets["工序"][1][6]),
        ("OP-020", "绱袖", 0.8, "overlock", 3, 0.25, sheets["工序"][2][6]),
        ("OP-030", "钉扣", 0.45, "button", 2, None, None),
    ]
    assert sheets["工艺路线"][1:] == [
        ("ST-001", 1, "OP-010", None),
        ("ST-001", 2, "OP-020", "OP-010"),
        ("ST-001", 3, "OP-030", "OP-020"),
    ]
    assert sheets["物料清单"][1] == ("ST-001", "F-01", "府绸", "fabric", "m", "S", 1.2)
    assert len(sheets["物料清单"]) == 1 + 6  # two materials × three sizes

    other = factory.org("other-garments", name="Other Garment Co")
    factory.user("otto", (other, Role.ADMIN))
    otto = factory.client("otto")
    done = upload(otto, exported.content)
    assert done.status_code == 200, done.text
    assert 'data-testid="imported"' in done.text
    assert values(otto.get(f"{PAGES}/export.xlsx").content) == sheets

    # importing the same file again changes nothing, so it leaves no audit event
    events = admin.get("/api/v1/audit", params={"q": "masterdata.", "limit": 200}).json()["total"]
    again = upload(admin, exported.content)
    assert again.status_code == 200, again.text
    after = admin.get("/api/v1/audit", params={"q": "masterdata.", "limit": 200}).json()["total"]
    assert after == events


def test_a_workbook_builds_styles_operations_routings_and_boms(admin: TestClient) -> None:
    data = book(
        ("款式", [STYLE_HEAD, ["ST-9", "卫衣", "2026AW", "", "黑", "M, L"]]),
        (
            "工序",
            [
                OP_HEAD,
                ["A1", "合肩", 0.5, "锁边/包缝", 2, 0.12, "2026-01-01"],
                ["A2", "上袖", 1.1, "overlock", 3, None, None],
            ],
        ),
        ("工艺路线", [ROUTE_HEAD, ["ST-9", 2, "A2", "A1"], ["ST-9", 1, "A1", None]]),
        (
            "物料清单",
            [
                BOM_HEAD,
                ["ST-9", "F9", "毛圈布", "面料", "米", "M", 1.1],
                ["ST-9", "F9", "毛圈布", "面料", "米", "L", 1.25],
            ],
        ),
    )
    done = upload(admin, data)
    assert done.status_code == 200, done.text
    style = admin.get(f"{API}/styles", params={"q": "ST-9"}).json()["items"][0]
    assert (style["colours"], style["sizes"]) == (["黑"], ["M", "L"])
    steps = admin.get(f"{API}/styles/{style['id']}/routing").json()["steps"]
    ops = {o["code"]: o for o in admin.get(f"{API}/operations").json()["items"]}
    # ordered by the sequence column, not by the rows' order in the sheet
    assert [(s["seq"], s["operation_id"], s["predecessors"]) for s in steps] == [
        (1, ops["A1"]["id"], []),
        (2, ops["A2"]["id"], [ops["A1"]["id"]]),
    ]
    assert ops["A1"]["machine_type"] == "overlock"  # 锁边/包缝 is the overlock's Chinese name
    rates = admin.get(f"{API}/operations/{ops['A1']['id']}/rates").json()
    assert [(r["rate"], r["effective_from"]) for r in rates] == [("0.1200", "2026-01-01")]
    lines = admin.get(f"{API}/styles/{style['id']}/bom").json()["lines"]
    assert lines == [
        {
            "material_code": "F9",
            "material_name": "毛圈布",
            "kind": "fabric",
            "unit": "m",
            "consumption": {"M": "1.1000", "L": "1.2500"},
        }
    ]


def test_every_bad_cell_is_named_and_nothing_is_imported(admin: TestClient) -> None:
    create_op(admin, "OLD", name="旧工序")
    rate = {"rate": "0.50", "effective_from": "2026-02-01"}
    assert (
        admin.post(f"{API}/operations/{create_op(admin, 'R1')['id']}/rates", json=rate).status_code
        == 201
    )
    data = book(
        (
            "款式",
            [
                STYLE_HEAD,
                ["ST-1", "衬衫", "", "", "白", "S, M"],
                ["ST-1", "重复", "", "", "", ""],
                ["ST-2", "", "", "", "", "S,S"],
            ],
        ),
        (
            "工序",
            [
                OP_HEAD,
                ["N1", "新工序", 0, "飞机", 6, None, None],
                ["R1", "上领", 1.2, "lockstitch", 3, 0.4, "2026-01-15"],
                ["N2", "钉扣", 0.3, "button", 1, 0.2, None],
            ],
        ),
        (
            "工艺路线",
            [
                ROUTE_HEAD,
                ["ST-1", 1, "N1", "N2"],
                ["ST-1", 2, "N2", "N1"],
                ["ST-X", 1, "NOPE", None],
            ],
        ),
        (
            "物料清单",
            [
                BOM_HEAD,
                ["ST-1", "F1", "府绸", "布", "米", "S", 1.2],
                ["ST-1", "F1", "府绸", "面料", "米", "XL", 1.3],
            ],
        ),
    )
    refused = upload(admin, data)
    assert refused.status_code == 422
    found = error_rows(refused.text)
    assert (
        zh(
            "%(num)s problems in the workbook %(name)s; nothing was imported.",
            num=len(found),
            name="基础数据.xlsx",
        )
        in refused.text
    )
    # expected by hand from the rows above, in sheet, row, column order
    assert found == [
        (
            "款式",
            "3",
            "A 款号",
            zh("%(code)s is listed already in row %(row)s", code="ST-1", row=2),
        ),
        ("款式", "4", "B 款名", zh("a value is required here")),
        ("款式", "4", "F 尺码", zh("%(value)s is listed twice", value="S")),
        ("工序", "2", "C 标准工时(分钟)", zh("standard minutes above 0 and at most 9999.9999")),
        (
            "工序",
            "2",
            "D 机种",
            zh(
                "one of %(kinds)s",
                kinds=", ".join(MACHINE_TYPES),
            ),
        ),
        ("工序", "2", "E 技能等级", zh("a grade from 1 to 5")),
        (
            "工序",
            "3",
            "G 生效日期",
            zh("must be after %(latest)s, the latest version's date", latest="2026-02-01"),
        ),
        ("工序", "4", "G 生效日期", zh("give the rate and its effective date together")),
        (
            "工艺路线",
            "2",
            "D 前道工序",
            zh("the precedence has a cycle: %(cycle)s", cycle="N1 → N2 → N1"),
        ),
        ("工艺路线", "4", "A 款号", zh("no style has the code %(code)s", code="ST-X")),
        ("工艺路线", "4", "C 工序编号", zh("no operation has the code %(code)s", code="NOPE")),
        ("物料清单", "2", "D 类别", zh("one of %(kinds)s", kinds="fabric, trim")),
        ("物料清单", "2", "F 尺码", zh("no row for size %(size)s of this material", size="M")),
        ("物料清单", "3", "D 类别", zh("differs from row %(row)s of this material", row=2)),
        ("物料清单", "3", "F 尺码", zh("%(size)s is not a size of this style", size="XL")),
    ]
    # all or nothing: the good style ST-1 and operation R1's new name were not kept either
    assert admin.get(f"{API}/styles").json()["total"] == 0
    names = {o["code"]: o["name"] for o in admin.get(f"{API}/operations").json()["items"]}
    assert names == {"OLD": "旧工序", "R1": "上领"}
    assert names["R1"] == "上领"


def test_problems_read_in_english_too(admin: TestClient) -> None:
    admin.cookies.set(LOCALE_COOKIE, "en")
    refused = upload(
        admin, book(("Operations", [["Operation code", "Operation name"], ["X", "y"]]))
    )
    assert refused.status_code == 422
    # a missing column has no letter; it is named by its Chinese header, as in the template
    assert error_rows(refused.text)[0] == (
        "Operations",
        "1",
        "标准工时(分钟)",
        "the column 标准工时(分钟) is missing",
    )


def test_a_file_that_is_no_workbook_is_refused(admin: TestClient) -> None:
    refused = upload(admin, b"not a workbook", "list.csv")
    assert refused.status_code == 422
    assert zh("The file is not an Excel workbook (.xlsx).") in refused.text
    assert zh("The file %(name)s cannot be imported:", name="list.csv") in refused.text


def test_an_empty_template_imports_nothing_and_says_so(admin: TestClient) -> None:
    template = admin.get(f"{PAGES}/template/all.xlsx")
    assert template.status_code == 200
    refused = upload(admin, template.content, "模板.xlsx")
    assert refused.status_code == 422
    assert zh("The workbook has no rows to import.") in refused.text
    assert admin.get(f"{API}/styles").json()["total"] == 0
