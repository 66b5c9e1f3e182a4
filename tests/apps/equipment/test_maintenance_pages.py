"""Maintenance in the browser's HTML: the due list with its badge, forms naming each bad field,
the work-order flow with its refusals, delete confirmation, search, pagination and Excel."""

from __future__ import annotations

from io import BytesIO

from babel.messages.pofile import read_po
from openpyxl import load_workbook

from loom.apps.equipment.app import HERE
from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.testing.factory import Factory
from tests.apps.equipment.test_maintenance_api import (
    API,
    PAGES,
    breakdown,
    enterprise,
    machine,
    plan,
)

with (HERE / "translations" / "zh_CN" / "LC_MESSAGES" / "maintenance.po").open("rb") as _po:
    _ZH = {m.id: m.string for m in read_po(_po, locale="zh_CN") if m.id}


def zh(msgid: str, **params: object) -> str:
    """Return the maintenance catalogue's Chinese text of ``msgid``."""
    text = str(_ZH[msgid])
    return text % params if params else text


def test_due_list_shows_the_badge_and_opens_an_order(factory: Factory) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    made = plan(client)
    page = client.get(PAGES)
    assert page.status_code == 200
    assert zh("Maintenance due") in page.text
    # one pair due today: the badge says 1, the row says "due today"
    assert 'data-testid="due-badge"' in page.text
    assert page.text.split('data-testid="due-badge"', 1)[1].split(">", 1)[1].startswith("1<")
    assert zh("due today") in page.text
    opened = client.post(f"{PAGES}/plans/{made['id']}/machines/{m}/open", follow_redirects=False)
    assert opened.status_code == 303
    detail = client.get(opened.headers["location"])
    [order] = client.get(f"{API}/work-orders").json()["items"]
    assert zh("Work order %(number)s", number=order["number"]) in detail.text
    assert 'data-testid="start-form"' in detail.text
    assert 'data-testid="due-badge"' not in client.get(PAGES).text


def test_work_order_flow_in_pages_names_bad_fields_and_refuses_illegal_moves(
    factory: Factory,
) -> None:
    client = enterprise(factory)
    order_id = breakdown(client, machine(client, "M-01"))
    url = f"{PAGES}/orders/{order_id}"
    number = client.get(f"{API}/work-orders/{order_id}").json()["number"]
    early = client.post(f"{url}/close", data={"downtime_minutes": "5"})
    assert early.status_code == 409
    refusal = zh("work order %(number)s must be started before it is closed", number=number)
    assert refusal in early.text
    assert client.post(f"{url}/start", data={"assignee": "王师傅"}).status_code == 200
    bad = client.post(f"{url}/close", data={"downtime_minutes": "abc", "parts": "针 × x"})
    assert bad.status_code == 422
    assert 'data-testid="error-downtime_minutes"' in bad.text
    assert 'data-testid="error-parts"' in bad.text
    assert zh("write each part as “name × quantity”, one per line") in bad.text
    done = client.post(
        f"{url}/close",
        data={"downtime_minutes": "40", "parts": "机针 × 2\n梭芯", "resolution": "换针"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    closed = client.get(f"{API}/work-orders/{order_id}").json()
    assert closed["status"] == "closed"
    # "梭芯" with no quantity counts one
    assert closed["parts"] == [{"part": "机针", "qty": 2}, {"part": "梭芯", "qty": 1}]
    again = client.post(f"{url}/start")
    assert again.status_code == 409
    closed_text = zh("work order %(number)s is closed: it cannot change any more", number=number)
    assert closed_text in again.text


def test_plan_form_names_each_bad_field_and_keeps_what_was_typed(factory: Factory) -> None:
    client = enterprise(factory)
    page = client.post(
        f"{PAGES}/plans/new",
        data={
            "code": "",
            "name": "月保养",
            "target": "",
            "interval_days": "x",
            "starts_on": "soon",
            "checklist": "",
        },
    )
    assert page.status_code == 422
    for name in ("code", "target", "interval_days", "starts_on", "checklist"):
        assert f'data-testid="error-{name}"' in page.text, name
    assert 'value="月保养"' in page.text
    ok = client.post(
        f"{PAGES}/plans/new",
        data={
            "code": "PM-9",
            "name": "月保养",
            "target": "type:lockstitch",
            "interval_days": "30",
            "starts_on": "2026-01-01",
            "checklist": "加油\n清洁",
            "active": "on",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    stored = client.get(f"{API}/plans").json()["items"]
    assert [(p["code"], p["checklist"]) for p in stored] == [("PM-9", ["加油", "清洁"])]


def test_delete_asks_first_and_refuses_a_used_plan(factory: Factory) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    made = plan(client)
    question = client.get(f"{PAGES}/plans/{made['id']}/delete")
    assert zh("Delete maintenance plan %(code)s? This cannot be undone.", code="PM-01") in (
        question.text
    )
    client.post(f"{API}/plans/{made['id']}/machines/{m}/work-orders")
    refused = client.post(f"{PAGES}/plans/{made['id']}/delete")
    assert refused.status_code == 409
    assert 'data-testid="refusal"' in refused.text
    fresh = plan(client, "PM-02")
    gone = client.post(f"{PAGES}/plans/{fresh['id']}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert client.get(f"{API}/plans/{fresh['id']}").status_code == 404


def test_orders_search_paginate_and_export(factory: Factory) -> None:
    client = enterprise(factory)
    m = machine(client, "M-01")
    for n in range(27):  # one more page than PAGE_SIZE = 25
        breakdown(client, m, f"Fault {n:02d}")
    first = client.get(f"{PAGES}/orders")
    assert first.text.count('data-testid="order-row"') == 25
    assert "offset=25" in first.text
    second = client.get(f"{PAGES}/orders", params={"offset": 25})
    assert second.text.count('data-testid="order-row"') == 2
    found = client.get(f"{PAGES}/orders", params={"q": "Fault 07"})
    assert found.text.count('data-testid="order-row"') == 1
    sheet = client.get(f"{PAGES}/orders.xlsx", params={"q": "Fault 0"})
    assert sheet.status_code == 200
    rows = list(load_workbook(BytesIO(sheet.content)).active.values)
    # the heading and Fault 00 … Fault 09
    assert len(rows) == 11
    assert rows[0][0] == zh("Work order")
    client.cookies.set(LOCALE_COOKIE, "en")
    english = client.get(f"{PAGES}/orders.xlsx")
    heading = next(iter(load_workbook(BytesIO(english.content)).active.values))
    assert heading[:3] == ("Work order", "Kind", "Machine")


def test_plans_export_and_empty_states(factory: Factory) -> None:
    client = enterprise(factory)
    assert zh("No maintenance plan yet.") in client.get(f"{PAGES}/plans").text
    assert zh("No work order yet.") in client.get(f"{PAGES}/orders").text
    plan(client)
    sheet = client.get(f"{PAGES}/plans.xlsx")
    rows = list(load_workbook(BytesIO(sheet.content)).active.values)
    assert rows[1][0] == "PM-01"
    assert rows[1][4] == 30  # every 30 days
