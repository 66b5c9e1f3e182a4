"""The plan pages: run a plan by form, its Gantt chart and load, what-if forms, the inputs."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import openpyxl
from fastapi.testclient import TestClient

from loom.kernel.web.i18n import LOCALE_COOKIE
from tests.apps.scheduling.plans.conftest import PAGES, SCHEDULING, Seed, run_plan


def _csrf(client: TestClient) -> str:
    page = client.get(PAGES + "/plans").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _post(client: TestClient, url: str, data: dict[str, str]) -> object:
    return client.post(url, data={"csrf_token": _csrf(client), **data}, follow_redirects=False)


def _gantt(html: str) -> dict:
    found = re.search(r"data-gantt='([^']+)'", html)
    assert found is not None
    return json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"'))


def test_plan_by_form_and_see_the_gantt_chart(admin: TestClient, seeded: Seed) -> None:
    response = _post(
        admin, f"{PAGES}/plans", {"start": "2026-12-07", "time_limit": "2", "name": "W50"}
    )
    assert response.status_code == 303
    detail = admin.get(response.headers["location"])
    assert detail.status_code == 200
    assert 'data-testid="gantt"' in detail.text
    gantt = _gantt(detail.text)
    assert gantt["lines"] == ["L1", "L2"]
    bars = {b["order"]: b for b in gantt["bars"]}
    # conftest: A runs Tue–Wed on L1 (bar to Thursday 00:00), a day late
    assert (bars["PO-A"]["line"], bars["PO-A"]["start"], bars["PO-A"]["end"]) == (
        0,
        "2026-12-08",
        "2026-12-10",
    )
    assert bars["PO-A"]["late"] == 1
    assert bars["PO-C"]["late"] == 0
    # Sunday 12-13 (the chart runs to the last finish's Sunday) is no line's working day
    assert {"line": 0, "day": "2026-12-13"} in gantt["closed"]
    assert {"line": 1, "day": "2026-12-13"} in gantt["closed"]
    assert 'id="plan-load"' in detail.text
    assert detail.text.count('data-testid="allocation-row"') == 3


def test_the_run_form_names_bad_fields(admin: TestClient, seeded: Seed) -> None:
    response = _post(admin, f"{PAGES}/plans", {"start": "tomorrow", "time_limit": "999"})
    assert response.status_code == 422
    assert 'data-testid="error-start"' in response.text
    response = _post(admin, f"{PAGES}/plans", {"start": "2026-12-07", "time_limit": "999"})
    assert response.status_code == 422
    assert 'data-testid="error-time_limit"' in response.text


def test_what_if_by_form(admin: TestClient, seeded: Seed) -> None:
    plan = run_plan(admin)
    assert _post(admin, f"{PAGES}/plans/{plan['id']}/adopt", {}).status_code == 303
    page = admin.get(f"{PAGES}/plans/{plan['id']}")
    assert 'data-testid="rush-form"' in page.text
    data = {
        "style_id": str(seeded.style_id),
        "quantity": "480",
        "due": "2026-12-07",
        "weight": "5",
        "category": "woven",
        "time_limit": "2",
    }
    response = _post(admin, f"{PAGES}/plans/whatif/rush", data)
    assert response.status_code == 303
    scenario = admin.get(response.headers["location"])
    assert 'data-testid="change"' in scenario.text
    # test_whatif: the rush order costs 2 more late days
    assert '<span class="sc-late">+2</span>' in scenario.text
    assert scenario.text.count('data-testid="moved-row"') == 3
    bad = _post(
        admin, f"{PAGES}/plans/whatif/overtime", {"line_id": str(seeded.l1), "minutes": "x"}
    )
    assert bad.status_code == 422
    for name in ("date_from", "date_to", "minutes"):
        assert f'data-testid="error-{name}"' in bad.text


def test_excel_export(admin: TestClient, seeded: Seed) -> None:
    plan = run_plan(admin)
    admin.cookies.set(LOCALE_COOKIE, "en")
    response = admin.get(f"{PAGES}/plans/{plan['id']}/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Line", "Position", "Order")
    by_order = {r[2]: r for r in rows[1:]}
    # conftest: A is second on L1, 960 pieces, Tue to Wed, due Tue, 1 day late
    line, seq, _, style, qty, start, finish, due, late, weight, _ = by_order["PO-A"]
    assert (line, seq, style, qty, late, weight) == ("L1", 2, "ST", 960, 1, 1)
    assert (start.date(), finish.date(), due.date()) == (
        date(2026, 12, 8),
        date(2026, 12, 9),
        date(2026, 12, 8),
    )
    assert sorted(by_order) == ["PO-A", "PO-B", "PO-C"]


def test_line_profile_form(admin: TestClient, seeded: Seed) -> None:
    url = f"{PAGES}/plans/lines/{seeded.l1}/edit"
    assert admin.get(url).status_code == 200
    bad = _post(
        admin,
        url,
        {"efficiency_pct": "0", "holidays": "someday", "overtime": "2026-12-07 lots"},
    )
    assert bad.status_code == 422
    for name in ("holidays", "overtime"):
        assert f'data-testid="error-{name}"' in bad.text
    good = {
        "categories": "woven, denim",
        "operators": "2",
        "efficiency_pct": "90",
        "holidays": "2026-12-25",
        "overtime": "2026-12-08 60",
        "current_style": "ST",
    }
    response = admin.post(
        url,
        data={"csrf_token": _csrf(admin), **good, "weekdays": ["0", "1", "2", "3", "4"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    saved = admin.get(f"{SCHEDULING}/lines/{seeded.l1}").json()
    assert saved["categories"] == ["denim", "woven"]
    assert (saved["operators"], saved["efficiency_pct"], saved["weekdays"]) == (
        2,
        90,
        [0, 1, 2, 3, 4],
    )
    assert saved["holidays"] == ["2026-12-25"]
    assert saved["overtime"] == {"2026-12-08": 60}
    assert "L1" in admin.get(f"{PAGES}/plans/lines").text


def test_order_attributes_form(admin: TestClient, seeded: Seed) -> None:
    url = f"{PAGES}/plans/orders/{seeded.orders['A']}/edit"
    bad = _post(admin, url, {"weight": "9", "release_date": "soon", "sam": "abc"})
    assert bad.status_code == 422
    for name in ("weight", "release_date", "sam"):
        assert f'data-testid="error-{name}"' in bad.text
    ok = _post(
        admin, url, {"category": "woven", "weight": "4", "release_date": "2026-12-09", "sam": "1.5"}
    )
    assert ok.status_code == 303
    saved = admin.get(f"{SCHEDULING}/orders/{seeded.orders['A']}").json()
    assert (saved["weight"], saved["release_date"], saved["sam"]) == (4, "2026-12-09", "1.5000")
    listing = admin.get(f"{PAGES}/plans/orders", params={"q": "PO-A"})
    assert listing.text.count('data-testid="order-row"') == 1
