"""The HTML pages: list, search, forms that keep what was typed, detail, receipts, delete."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.authz.guard import CSRF_COOKIE
from tests.helpers import API, PAGES, add_receipt, create_job, job_count


def _form(**overrides: str) -> dict[str, str]:
    values = {
        "partner": "Shanghai Stitch",
        "process": "printing",
        "reference": "ST-77",
        "qty_sent": "250",
        "sent_on": "2026-03-02",
        "due_on": "2026-03-12",
        "note": "",
    }
    values.update(overrides)
    return values


def test_empty_list_explains_what_to_do(admin: TestClient) -> None:
    page = admin.get(f"{PAGES}/")
    assert page.status_code == 200
    assert "目前没有在外的裁片" in page.text  # the empty state, in the default zh_CN
    assert 'href="/apps/subcontract/jobs/new"' in page.text
    admin.cookies.set("loom_lang", "en")
    english = admin.get(f"{PAGES}/").text
    assert "No pieces are out yet." in english
    assert "Sub-contracting" in english


def test_list_shows_figures_search_and_filter(admin: TestClient) -> None:
    late = create_job(admin, partner="Hengli Embroidery", qty_sent=100)
    add_receipt(admin, late["id"], received=30, defective=5)
    create_job(admin, partner="Blue Wash", reference="DN-1", process="washing")
    page = admin.get(f"{PAGES}/").text
    assert "Hengli Embroidery" in page
    assert "Blue Wash" in page
    row = page[page.index("Hengli Embroidery") :].split("</tr>")[0]
    # 100 sent, 30 back good, 5 spoilt, 100 - 35 = 65 still out, due 2026-03-09: overdue.
    assert [int(n) for n in re.findall(r"<td>(\d+)</td>", row)] == [100, 30, 5, 65]
    assert "已逾期" in row
    searched = admin.get(f"{PAGES}/", params={"q": "blue"}).text
    assert "Blue Wash" in searched
    assert "Hengli Embroidery" not in searched
    nothing = admin.get(f"{PAGES}/", params={"status": "closed"}).text
    assert "没有符合条件的外协单" in nothing


def test_pagination_links_keep_the_filters(admin: TestClient) -> None:
    for n in range(26):  # one more than a page of 25
        create_job(admin, reference=f"PO-{n:02d}")
    first = admin.get(f"{PAGES}/", params={"status": "open", "q": "PO"}).text
    assert "第 1–25 条，共 26 条" in first
    assert 'href="/apps/subcontract/?q=PO&amp;status=open&amp;offset=25"' in first
    second = admin.get(f"{PAGES}/", params={"status": "open", "q": "PO", "offset": 25}).text
    assert "第 26–26 条，共 26 条" in second
    assert 'href="/apps/subcontract/?q=PO&amp;status=open&amp;offset=0"' in second


def test_new_job_form_is_prefilled_and_protected(admin: TestClient) -> None:
    admin.put("/api/v1/apps/subcontract/settings", json={"default_due_days": 3})
    page = admin.get(f"{PAGES}/jobs/new").text
    sent = re.search(r'name="sent_on" type="date" value="([\d-]+)"', page)
    due = re.search(r'name="due_on" type="date" value="([\d-]+)"', page)
    assert sent is not None
    assert due is not None
    assert date.fromisoformat(due.group(1)) - date.fromisoformat(sent.group(1)) == timedelta(3)
    token = admin.cookies[CSRF_COOKIE]
    assert f'name="csrf_token" value="{token}"' in page


def test_create_through_the_form(admin: TestClient) -> None:
    response = admin.post(f"{PAGES}/jobs", data=_form(), follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/apps/subcontract/jobs/\d+", location)
    detail = admin.get(location).text
    assert "Shanghai Stitch" in detail
    assert "ST-77" in detail
    assert "印花" in detail  # printing
    job = admin.get(f"{API}/jobs").json()["items"][0]
    assert (job["qty_sent"], job["due_on"]) == (250, "2026-03-12")


def test_form_without_the_csrf_token_is_refused(admin: TestClient) -> None:
    del admin.headers["X-CSRF-Token"]
    refused = admin.post(f"{PAGES}/jobs", data=_form(), follow_redirects=False)
    assert refused.status_code == 403
    token = admin.cookies[CSRF_COOKIE]
    accepted = admin.post(
        f"{PAGES}/jobs", data={**_form(), "csrf_token": token}, follow_redirects=False
    )
    assert accepted.status_code == 303
    assert job_count(admin) == 1


def _field_error(page: str, name: str) -> str:
    block = page[page.index(f'id="f-{name}"') :].split("</div>")[0]
    found = re.search(r'<small class="error">([^<]+)</small>', block)
    return found.group(1) if found else ""


def test_bad_form_is_shown_again_with_what_was_typed(admin: TestClient) -> None:
    typed = _form(partner="Shanghai <Stitch>", qty_sent="0", note="rush order")
    response = admin.post(f"{PAGES}/jobs", data=typed)
    assert response.status_code == 422
    page = response.text
    assert 'value="Shanghai &lt;Stitch&gt;"' in page  # kept, and escaped
    assert ">rush order</textarea>" in page
    assert '<option value="printing" selected>' in page
    assert _field_error(page, "qty_sent") == "请输入件数（整数，至少为 1）。"
    assert _field_error(page, "partner") == ""
    assert job_count(admin) == 0


def test_rule_errors_land_on_their_field(admin: TestClient) -> None:
    response = admin.post(f"{PAGES}/jobs", data=_form(due_on="2026-03-01"))
    assert response.status_code == 422
    assert _field_error(response.text, "due_on") == "应回日期不能早于发出日期。"
    assert 'value="2026-03-01"' in response.text
    assert job_count(admin) == 0


def test_receipts_through_the_detail_page(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=100)
    url = f"{PAGES}/jobs/{job['id']}"
    good: dict[str, Any] = {"qty_received": "60", "qty_defective": "", "received_on": "2026-03-08"}
    assert admin.post(f"{url}/receipts", data=good, follow_redirects=False).status_code == 303
    too_many = {"qty_received": "41", "qty_defective": "0", "received_on": "2026-03-09"}
    refused = admin.post(f"{url}/receipts", data=too_many)
    assert refused.status_code == 422
    # 60 back already + 41 = 101 > 100 sent; 40 still out.
    expected = "合格件加次品将达到 101 件，超过发出的 100 件；目前只有 40 件未收回。"
    assert _field_error(refused.text, "qty_received") == expected
    assert 'id="f-qty_received" name="qty_received" type="number" value="41"' in refused.text
    receipts = admin.get(f"{API}/jobs/{job['id']}/receipts").json()
    assert [r["qty_received"] for r in receipts] == [60]


def test_detail_offers_close_and_a_confirmed_delete(admin: TestClient) -> None:
    job = create_job(admin)
    add_receipt(admin, job["id"], received=5)
    url = f"{PAGES}/jobs/{job['id']}"
    page = admin.get(url).text
    delete_form = re.search(r'<form[^>]+action="[^"]+/delete"[^>]*data-confirm="([^"]+)"', page)
    assert delete_form is not None
    assert delete_form.group(1) == "删除这条收货记录？其件数将重新计为未收回。"
    assert 'data-confirm="删除该外协单及其全部收货记录？此操作无法撤销。"' in page

    closed = admin.post(f"{url}/status", data={"status": "closed"}, follow_redirects=False)
    assert closed.status_code == 303
    page = admin.get(url).text
    assert 'data-testid="reopen-job"' in page
    assert 'data-testid="receipt-form"' not in page

    gone = admin.post(f"{url}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert gone.headers["location"] == f"{PAGES}/"
    assert admin.get(url).status_code == 404
    assert admin.get(f"{API}/receipts").json()["total"] == 0


def test_edit_form_saves_and_refuses(admin: TestClient) -> None:
    job = create_job(admin, qty_sent=100)
    add_receipt(admin, job["id"], received=80)
    url = f"{PAGES}/jobs/{job['id']}/edit"
    form = admin.get(url).text
    assert 'value="Hengli Embroidery"' in form
    refused = admin.post(url, data=_form(qty_sent="79"))
    assert refused.status_code == 422
    assert _field_error(refused.text, "qty_sent") == "已收回 80 件，发出件数不能少于此数。"
    saved = admin.post(url, data=_form(qty_sent="80", note=""), follow_redirects=False)
    assert saved.status_code == 303
    got = admin.get(f"{API}/jobs/{job['id']}").json()
    assert (got["partner"], got["qty_sent"], got["outstanding"]) == ("Shanghai Stitch", 80, 0)


def test_nav_shows_the_app(admin: TestClient) -> None:
    home = admin.get("/").text
    assert '<a href="/apps/subcontract/"' in home
    assert "外协加工" in home
