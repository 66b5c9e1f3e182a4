"""Operation library pages: search by machine type, current rate, versions, forms, deletion."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import openpyxl
from fastapi.testclient import TestClient

from loom.kernel.web.i18n import LOCALE_COOKIE
from tests.modules.masterdata.helpers import API, create_op
from tests.modules.masterdata.pages.helpers import PAGES, seed_shirt, zh

EMPTY_LIBRARY = (
    "The operation library is empty. Add operations with your own standard minutes, "
    "or import them from the Excel template."
)
DELETE_QUESTION = (
    "Delete operation %(code)s (%(name)s) with its piece-rate history? This cannot be undone."
)


def _rate(client: TestClient, op_id: int, rate: str, day: date) -> None:
    made = client.post(
        f"{API}/operations/{op_id}/rates", json={"rate": rate, "effective_from": day.isoformat()}
    )
    assert made.status_code == 201, made.text


def test_the_library_searches_by_code_name_and_machine_type(admin: TestClient) -> None:
    empty = admin.get(f"{PAGES}/operations").text
    assert zh(EMPTY_LIBRARY) in empty
    seed_shirt(admin)
    page = admin.get(f"{PAGES}/operations").text
    assert page.count('data-testid="operation-row"') == 3
    assert "锁边/包缝" in page
    assert "1.2500" in page
    assert "0.3000" in page
    overlock = admin.get(f"{PAGES}/operations", params={"machine_type": "overlock"}).text
    assert overlock.count('data-testid="operation-row"') == 1
    assert "绱袖" in overlock
    by_name = admin.get(f"{PAGES}/operations", params={"q": "钉扣"}).text
    assert by_name.count('data-testid="operation-row"') == 1
    assert "OP-030" in by_name
    by_code = admin.get(f"{PAGES}/operations", params={"q": "op-01"}).text
    assert by_code.count('data-testid="operation-row"') == 1
    assert "上领" in by_code
    assert (
        zh("No operation matches this search.")
        in admin.get(f"{PAGES}/operations", params={"machine_type": "bartack"}).text
    )
    admin.cookies.set(LOCALE_COOKIE, "en")
    english = admin.get(f"{PAGES}/operations").text
    assert "Overlock" in english
    assert "Current piece rate (CNY)" in english
    assert "锁边/包缝" not in english


def test_the_operation_page_shows_the_rate_in_force_and_its_history(admin: TestClient) -> None:
    op = create_op(admin)
    today = date.today()
    _rate(admin, op["id"], "0.30", today - timedelta(days=60))
    _rate(admin, op["id"], "0.35", today - timedelta(days=1))
    _rate(admin, op["id"], "0.40", today + timedelta(days=30))
    page = admin.get(f"{PAGES}/operations/{op['id']}").text
    assert page.count('data-testid="rate-row"') == 3
    # yesterday's version is in force; next month's is scheduled
    assert re.search(r'data-testid="current-rate">0\.3500', page)
    assert zh("in force") in page
    assert zh("scheduled") in page
    listed = admin.get(f"{PAGES}/operations").text
    assert "0.3500" in listed
    assert "0.4000" not in listed


def test_adding_a_rate_version_names_bad_fields(admin: TestClient) -> None:
    op = create_op(admin)
    _rate(admin, op["id"], "0.30", date(2026, 1, 1))
    url = f"{PAGES}/operations/{op['id']}/rates"
    bad = admin.post(url, data={"rate": "0.12345", "effective_from": "2025-12-31", "note": ""})
    assert bad.status_code == 422
    assert re.search(r'data-testid="error-rate">' + zh("at most four decimals"), bad.text)
    assert (
        zh("must be after %(latest)s, the latest version's date", latest="2026-01-01") in bad.text
    )
    no_date = admin.post(url, data={"rate": "0.4", "effective_from": "", "note": ""})
    assert no_date.status_code == 422
    assert zh("a date such as 2026-03-01 is expected here") in no_date.text
    added = admin.post(
        url,
        data={"rate": "0.4", "effective_from": "2026-03-01", "note": "调价"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    versions = admin.get(f"{API}/operations/{op['id']}/rates").json()
    assert [(v["rate"], v["effective_from"], v["note"]) for v in versions] == [
        ("0.3000", "2026-01-01", ""),
        ("0.4000", "2026-03-01", "调价"),
    ]


def test_the_operation_form_names_every_bad_field(admin: TestClient) -> None:
    form = {"code": "OP-1", "name": "", "sam": "1.23456", "machine_type": "jet", "skill_grade": "7"}
    bad = admin.post(f"{PAGES}/operations/new", data=form)
    assert bad.status_code == 422
    for field, text in (
        ("name", zh("must not be empty")),
        ("sam", zh("at most four decimals")),
        ("skill_grade", zh("a grade from 1 to 5")),
    ):
        assert re.search(f'data-testid="error-{field}">{re.escape(text)}', bad.text), field
    assert 'data-testid="error-machine_type"' in bad.text
    good = form | {"name": "上领", "sam": "1.2", "machine_type": "lockstitch", "skill_grade": "3"}
    made = admin.post(f"{PAGES}/operations/new", data=good, follow_redirects=False)
    assert made.status_code == 303
    op = admin.get(f"{API}/operations").json()["items"][0]
    assert (op["sam"], op["skill_grade"]) == ("1.2000", 3)
    edited = admin.post(f"{PAGES}/operations/{op['id']}/edit", data=good | {"sam": "abc"})
    assert zh("standard minutes above 0 and at most 9999.9999") in edited.text


def test_an_operation_in_a_routing_is_not_deleted(admin: TestClient) -> None:
    shirt = seed_shirt(admin)
    used = shirt.ops[0]["id"]
    ask = admin.get(f"{PAGES}/operations/{used}/delete").text
    assert (
        zh(
            DELETE_QUESTION,
            code="OP-010",
            name="上领",
        )
        in ask
    )
    refused = admin.post(f"{PAGES}/operations/{used}/delete")
    assert refused.status_code == 409
    assert 'data-testid="delete-refused"' in refused.text
    assert admin.get(f"{API}/operations/{used}").status_code == 200
    free = create_op(admin, "OP-099")
    assert (
        admin.post(f"{PAGES}/operations/{free['id']}/delete", follow_redirects=False).status_code
        == 303
    )
    assert admin.get(f"{API}/operations/{free['id']}").status_code == 404


def test_the_library_exports_with_current_rates(admin: TestClient) -> None:
    seed_shirt(admin)
    exported = admin.get(f"{PAGES}/operations.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content))["工序"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("工序编号", "工序名称", "标准工时(分钟)")
    assert [r[0] for r in rows[1:]] == ["OP-010", "OP-020", "OP-030"]
    assert (rows[1][5], rows[1][6].date()) == (0.3, date(2025, 1, 1))  # type: ignore[union-attr]
