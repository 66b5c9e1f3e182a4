"""The milestone pages: the board with its alert badge, Excel export, timeline and template."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from loom.kernel.web.i18n import LOCALE_COOKIE
from tests.apps.scheduling.milestones.helpers import PAGES, TA, days, new_order, stages, today


def _english(client: TestClient) -> TestClient:
    client.cookies.set(LOCALE_COOKIE, "en")
    return client


def test_the_board_shows_the_alert_badge_and_alerts_first(admin: TestClient) -> None:
    _english(admin)
    empty = admin.get(PAGES)
    assert empty.status_code == 200
    assert "No order to follow yet" in empty.text
    assert re.search(r'data-testid="alert-count"[^>]*>No open alert<', empty.text)
    new_order(admin, days(60), "PO-CALM")
    new_order(admin, days(10), "PO-LATE")
    page = admin.get(PAGES)
    assert page.status_code == 200
    # PO-LATE: fabric 11 days, cutting 4 days, sewing start 2 days overdue
    assert re.search(r'data-testid="alert-count"[^>]*>3 open alerts<', page.text)
    body = page.text
    assert body.index("row-PO-LATE-fabric") < body.index("row-PO-LATE-cutting")
    assert body.index("row-PO-LATE-sewing_start") < body.index("row-PO-CALM-fabric")
    assert "Critical: 1" in body
    assert "Major: 1" in body
    assert "Minor: 1" in body
    # 12 stages on pages of 25: no pagination; filters narrow the table
    assert 'class="pagination"' not in body
    only = admin.get(PAGES, params={"stage": "shipping", "q": "calm"}).text
    assert "row-PO-CALM-shipping" in only
    assert "row-PO-LATE" not in only
    none = admin.get(PAGES, params={"status": "done"}).text
    assert "No milestone matches these filters." in none
    admin.cookies.set(LOCALE_COOKIE, "zh_CN")
    chinese = admin.get(PAGES).text
    assert "3 个未处理预警" in chinese


def test_the_board_pages_through_many_stages(admin: TestClient) -> None:
    _english(admin)
    style = new_order(admin, days(60), "PO-00")["style_id"]
    for n in range(1, 5):
        new_order(admin, days(60 + n), f"PO-0{n}", style_id=style)
    first = admin.get(PAGES).text
    # 5 orders × 6 stages = 30 rows: 25 on the first page
    assert first.count('data-testid="row-') == 25
    assert "1–25 of 30" in first
    second = admin.get(PAGES, params={"offset": 25}).text
    assert second.count('data-testid="row-') == 5


def test_the_excel_export_lists_the_filtered_board(admin: TestClient) -> None:
    _english(admin)
    new_order(admin, days(10), "PO-LATE", customer="Acme")
    got = admin.get(f"{PAGES}.xlsx", params={"status": "alerts"})
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(got.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Order number", "Customer", "Due date", "Milestone")
    assert [(r[0], r[3], r[8], r[9]) for r in rows[1:]] == [
        ("PO-LATE", "Fabric in house", 11, "Critical"),
        ("PO-LATE", "Cutting done", 4, "Major"),
        ("PO-LATE", "Sewing start", 2, "Minor"),
    ]


def test_the_timeline_records_a_stage_and_names_bad_fields(admin: TestClient) -> None:
    _english(admin)
    order = new_order(admin, date(2099, 12, 31))
    url = f"{PAGES}/orders/{order['id']}"
    page = admin.get(url)
    assert page.status_code == 200
    assert 'id="ta-timeline"' in page.text
    assert "Sewing finish" in page.text
    tomorrow = (today() + timedelta(days=1)).isoformat()
    refused = admin.post(
        f"{url}/cutting",
        data={"target_date": "someday", "actual_date": tomorrow, "note": ""},
    )
    assert refused.status_code == 422
    assert 'data-testid="error-cutting.target_date"' in refused.text
    assert 'data-testid="error-cutting.actual_date"' in refused.text
    assert "cannot be later than today" in refused.text
    assert 'value="someday"' in refused.text  # what was typed stays in the box
    yesterday = (today() - timedelta(days=1)).isoformat()
    saved = admin.post(
        f"{url}/cutting",
        data={"target_date": "2099-12-20", "actual_date": yesterday, "note": "提前"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    got = stages(admin, order["id"])["cutting"]
    assert (got["target_date"], got["actual_date"], got["note"]) == (
        "2099-12-20",
        yesterday,
        "提前",
    )
    assert "template: 2099-12-17" in admin.get(url).text
    assert admin.post(f"{url}/dyeing", data={}).status_code == 404


def test_the_template_form(admin: TestClient) -> None:
    _english(admin)
    page = admin.get(f"{PAGES}/template")
    assert page.status_code == 200
    assert 'name="fabric" type="number" min="-365" max="60" value="-21"' in page.text
    form = {
        "fabric": "-21",
        "cutting": "-25",
        "sewing_start": "soon",
        "sewing_finish": "-5",
        "finishing": "-3",
        "shipping": "0",
    }
    refused = admin.post(f"{PAGES}/template", data=form)
    assert refused.status_code == 422
    assert 'data-testid="error-sewing_start"' in refused.text
    assert 'value="soon"' in refused.text
    form["sewing_start"] = "-12"
    ordered = admin.post(f"{PAGES}/template", data=form)
    assert ordered.status_code == 422
    assert 'data-testid="error-cutting"' in ordered.text
    form["cutting"] = "-15"
    saved = admin.post(f"{PAGES}/template", data=form, follow_redirects=False)
    assert saved.status_code == 303
    assert admin.get(f"{TA}/template").json()["cutting"] == -15
    assert "The template was saved." in admin.get(saved.headers["location"]).text


def test_the_derive_button_reports_what_it_found(admin: TestClient) -> None:
    _english(admin)
    new_order(admin, days(30))
    done = admin.post(f"{PAGES}/derive", follow_redirects=False)
    assert done.status_code == 303
    page = admin.get(done.headers["location"]).text
    assert "0 actual dates taken from the shop floor." in page
