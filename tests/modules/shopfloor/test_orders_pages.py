"""The order pages: board, form with its messages, detail, cutting forms, export, Chinese."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tests.modules.shopfloor.conftest import SHOPFLOOR, seed_style_with_routing
from tests.modules.shopfloor.helpers_orders import add_lay, create_order

PAGES = "/apps/shopfloor/orders"


@pytest.fixture(autouse=True)
def english(admin: TestClient) -> None:
    """Show the pages in English (zh_CN is the default); one test switches back."""
    admin.cookies.set("loom_lang", "en")


def _sheet(content: bytes) -> Worksheet:
    sheet = load_workbook(BytesIO(content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _form(style_id: int, **changes: str) -> dict[str, str]:
    # qty-{colour index}-{size index}: 白 is colour 0, S/M/L/XL sizes 0..3
    form = {
        "style_id": str(style_id),
        "number": "PO-WEB",
        "customer": "Acme",
        "line_id": "",
        "due_date": "2026-12-31",
        "status": "open",
        "note": "",
        "qty-0-0": "10",
        "qty-0-1": "20",
        "qty-1-3": "5",
    }
    return form | changes


def test_an_empty_board_says_what_to_do(admin: TestClient) -> None:
    page = admin.get(PAGES)
    assert page.status_code == 200
    assert "No production order yet" in page.text
    assert 'data-testid="export"' not in page.text


def test_the_form_creates_an_order_from_the_style_grid(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    grid = admin.get(f"{PAGES}/new", params={"style_id": style_id})
    assert 'name="qty-1-3"' in grid.text  # 2 colours × 4 sizes
    done = admin.post(f"{PAGES}/new", data=_form(style_id), follow_redirects=False)
    assert done.status_code == 303
    order = admin.get(f"{SHOPFLOOR}/orders").json()["items"][0]
    assert order["quantities"] == {"白": {"S": 10, "M": 20}, "蓝": {"XL": 5}}
    assert done.headers["location"] == f"{PAGES}/{order['id']}"


def test_the_form_shows_every_problem_next_to_its_field(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    bad = _form(style_id, number="", due_date="next week", **{"qty-0-0": "ten"})
    page = admin.post(f"{PAGES}/new", data=bad)
    assert page.status_code == 422
    for testid in ("error-number", "error-due_date", "error-quantities.白.S"):
        assert f'data-testid="{testid}"' in page.text
    assert 'value="ten"' in page.text  # what was typed comes back
    nothing = {k: v for k, v in _form(style_id).items() if not k.startswith("qty")}
    page = admin.post(f"{PAGES}/new", data=nothing)
    assert "order at least one piece" in page.text
    create_order(admin, style_id, "PO-WEB")
    taken = admin.post(f"{PAGES}/new", data=_form(style_id))
    assert taken.status_code == 409
    assert "order PO-WEB exists already" in taken.text


def test_the_form_speaks_chinese(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    admin.cookies.set("loom_lang", "zh_CN")
    page = admin.post(f"{PAGES}/new", data=_form(style_id, number=""))
    assert "订单有字段需要更正" in page.text
    assert "不能为空" in page.text
    board = admin.get(PAGES).text
    assert "生产订单" in board
    assert "新建生产订单" in board


def test_the_board_marks_late_orders_and_exports_them(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    past = (date.today() - timedelta(days=2)).isoformat()
    create_order(admin, style_id, "PO-LATE", due_date=past)
    create_order(admin, style_id, "PO-OK", due_date="2099-01-01")
    board = admin.get(PAGES).text
    assert '<tr class="late" data-testid="order-PO-LATE">' in board
    assert '<tr class="" data-testid="order-PO-OK">' in board
    assert board.count('data-testid="late"') == 1
    sheet = admin.get(f"{PAGES}.xlsx")
    assert sheet.status_code == 200
    rows = list(_sheet(sheet.content).iter_rows(values_only=True))
    assert rows[0][0] == "Order number"
    by_number = {r[0]: r for r in rows[1:]}
    # 白 S50 M120 L80 + 蓝 M40 = 290 pieces, nothing finished, one late
    assert by_number["PO-LATE"][6:10] == (290, 0, 0, "late")
    assert by_number["PO-OK"][9] in ("", None)
    filtered = admin.get(f"{PAGES}.xlsx", params={"q": "OK"})
    assert len(list(_sheet(filtered.content).iter_rows())) == 2


def test_plan_preview_apply_and_cut_through_the_pages(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    detail = f"{PAGES}/{order['id']}"
    limits = {"max_plies": "60", "max_marker": "4", "min_plies": "1"}
    preview = admin.post(f"{detail}/plan", data={**limits, "action": "preview"})
    assert 'data-testid="suggestion"' in preview.text
    assert admin.get(f"{SHOPFLOOR}/orders/{order['id']}/lays").json() == []
    applied = admin.post(
        f"{detail}/plan", data={**limits, "action": "apply"}, follow_redirects=False
    )
    assert applied.status_code == 303
    lays = admin.get(f"{SHOPFLOOR}/orders/{order['id']}/lays").json()
    assert len(lays) == 4  # see test_cutting: 3 lays of 白, 1 of 蓝
    confirm = admin.get(f"{detail}/lays/{lays[3]['id']}/cut", params={"bundle_size": 15})
    # 蓝: 40 plies of M1 in bundles of 15 → 15, 15, 10
    assert confirm.text.count("<tr><td>M</td>") == 3
    done = admin.post(f"{detail}/lays/{lays[3]['id']}/cut", data={"bundle_size": "15"})
    assert done.status_code == 200  # followed to the order page
    assert 'data-testid="cell-蓝-M">40 / 40' in done.text
    twice = admin.post(f"{detail}/lays/{lays[3]['id']}/cut", data={"bundle_size": "15"})
    assert twice.status_code == 409
    assert 'data-testid="cut-refused"' in twice.text
    bad = admin.post(
        f"{detail}/plan", data={"max_plies": "0", "max_marker": "x", "action": "preview"}
    )
    assert bad.status_code == 422
    assert 'data-testid="error-max_plies"' in bad.text
    assert 'data-testid="error-max_marker"' in bad.text


def test_lays_by_hand_edit_and_delete_through_the_pages(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    detail = f"{PAGES}/{order['id']}"
    refused = admin.post(f"{detail}/lays", data={"colour": "白", "plies": "", "ratio-0": "1"})
    assert refused.status_code == 422
    assert 'data-testid="error-plies"' in refused.text
    added = admin.post(
        f"{detail}/lays",
        data={"colour": "白", "plies": "12", "ratio-1": "2"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    lay = admin.get(f"{SHOPFLOOR}/orders/{order['id']}/lays").json()[0]
    assert (lay["plies"], lay["ratios"]) == (12, {"M": 2})
    form = admin.get(f"{detail}/lays/{lay['id']}/edit")
    assert 'name="ratio-1" value="2"' in form.text
    admin.post(
        f"{detail}/lays/{lay['id']}/edit", data={"colour": "蓝", "plies": "7", "ratio-1": "1"}
    )
    assert admin.get(f"{SHOPFLOOR}/lays/{lay['id']}").json()["colour"] == "蓝"
    assert "Delete lay 1" in admin.get(f"{detail}/lays/{lay['id']}/delete").text
    admin.post(f"{detail}/lays/{lay['id']}/delete")
    assert admin.get(f"{SHOPFLOOR}/lays/{lay['id']}").status_code == 404


def test_delete_asks_first_and_refuses_an_order_with_bundles(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    ask = admin.get(f"{PAGES}/{order['id']}/delete")
    assert 'data-testid="delete-question"' in ask.text
    lay = add_lay(admin, order["id"], "白", 5, {"S": 1})
    admin.post(f"{SHOPFLOOR}/lays/{lay['id']}/cut", json={"bundle_size": 5})
    refused = admin.post(f"{PAGES}/{order['id']}/delete")
    assert refused.status_code == 409
    assert "has cut bundles" in refused.text
    other = create_order(admin, style_id, "PO-GONE")
    gone = admin.post(f"{PAGES}/{other['id']}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert admin.get(f"{SHOPFLOOR}/orders/{other['id']}").status_code == 404


def test_the_edit_form_keeps_the_order(admin: TestClient) -> None:
    style_id = seed_style_with_routing(admin)["style"]["id"]
    order = create_order(admin, style_id)
    form = admin.get(f"{PAGES}/{order['id']}/edit").text
    assert 'value="PO-001"' in form
    assert 'name="qty-0-1" value="120"' in form
    saved = admin.post(
        f"{PAGES}/{order['id']}/edit",
        data=_form(style_id, number="PO-001", status="sewing"),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert admin.get(f"{SHOPFLOOR}/orders/{order['id']}").json()["status"] == "sewing"
