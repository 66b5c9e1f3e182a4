"""The energy pages: lists, forms naming each bad field, confirmations, upload, exports."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest
from fastapi.testclient import TestClient

from loom.apps.energy.app import HERE
from loom.apps.energy.engine.readings import LOCAL_TZ
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.testing.factory import Factory, OrgRef
from tests.apps.energy.helpers import Plant, add_meter, add_output, read

BASE = "/apps/energy"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text


@pytest.mark.parametrize(
    "path", ["/dashboard", "/meters", "/meters/new", "/upload", "/revenue", "/r1"]
)
def test_every_page_shows_in_chinese_and_in_english(admin: TestClient, path: str) -> None:
    page = admin.get(f"{BASE}{path}")
    assert page.status_code == 200, page.text
    assert zh("Energy management") in page.text
    english = admin.get(f"{BASE}{path}", headers={"Accept-Language": "en"}, params={"lang": "en"})
    assert english.status_code == 200


def test_empty_states(admin: TestClient) -> None:
    assert (
        zh("No meters yet: add the factory's meters, then record their readings.")
        in admin.get(f"{BASE}/meters").text
    )
    assert zh("No revenue recorded yet.") in admin.get(f"{BASE}/revenue").text
    assert zh("No meter matches this search.") in admin.get(f"{BASE}/meters?q=zzz").text


def test_the_meter_form_names_each_bad_field(admin: TestClient, plant: Plant) -> None:
    form = {
        "code": "",
        "name": "",
        "kind": "electricity",
        "attached_to": "line",
        "mode": "register",
    }
    page = admin.post(f"{BASE}/meters/new", data=form | {"multiplier": "abc"})
    assert page.status_code == 422
    for field in ("code", "name", "line_id", "multiplier"):
        assert f'data-testid="error-{field}"' in page.text
    good = form | {
        "code": "E-L1",
        "name": "一线电表",
        "line_id": str(plant.line_id),
        "multiplier": "1",
    }
    saved = admin.post(f"{BASE}/meters/new", data=good, follow_redirects=False)
    assert saved.status_code == 303
    again = admin.post(f"{BASE}/meters/new", data=good)
    assert again.status_code == 409
    assert 'data-testid="error-code"' in again.text


def test_readings_by_form_with_errors_and_deletion(admin: TestClient) -> None:
    meter = add_meter(admin)
    url = f"{BASE}/meters/{meter['id']}"
    ok = admin.post(
        f"{url}/readings", data={"at": "2025-03-02T08:00", "value": "100"}, follow_redirects=False
    )
    assert ok.status_code == 303
    drop = admin.post(f"{url}/readings", data={"at": "2025-03-03T08:00", "value": "90"})
    assert drop.status_code == 422
    assert 'data-testid="error-value"' in drop.text
    assert "2025-03-02 08:00" in drop.text  # the previous reading is named in China time
    blank = admin.post(f"{url}/readings", data={"at": "", "value": "x"})
    assert 'data-testid="error-at"' in blank.text
    assert 'data-testid="error-value"' in blank.text
    detail = admin.get(url)
    assert detail.text.count('data-testid="reading-row"') == 1
    reading_id = read(admin, meter["id"], "2025-03-04T08:00", "120").json()["id"]
    confirm = admin.get(f"{BASE}/readings/{reading_id}/delete")
    assert 'data-testid="confirm-delete"' in confirm.text
    gone = admin.post(f"{BASE}/readings/{reading_id}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert admin.get(url).text.count('data-testid="reading-row"') == 1
    assert 'data-testid="confirm-delete"' in admin.get(f"{url}/delete").text
    assert admin.post(f"{url}/delete", follow_redirects=False).status_code == 303
    assert admin.get(url).status_code == 404


def test_upload_page_lists_each_bad_row(admin: TestClient) -> None:
    add_meter(admin)
    text = "表号,抄表时间,读数\nE-MAIN,2025-03-02 08:00,10\nE-9,2025-03-03 08:00,12\n"
    page = admin.post(f"{BASE}/upload", files={"file": ("r.csv", text.encode())})
    assert page.status_code == 200
    assert page.text.count('data-testid="problem-row"') == 1
    assert "表号" in page.text.split('data-testid="problems-table"', 1)[1]
    template = admin.get(f"{BASE}/upload/template.xlsx")
    headings = [
        c.value
        for c in next(openpyxl.load_workbook(io.BytesIO(template.content)).active.iter_rows())
    ]  # type: ignore[union-attr]
    assert headings[:3] == ["表号", "抄表时间", "读数"]


def test_dashboard_shows_the_per_piece_chart_and_exports(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    meter = add_meter(admin)
    read(admin, meter["id"], "2025-03-02T00:00", "1000")
    read(admin, meter["id"], "2025-03-03T00:00", "1100")
    add_output(
        factory.app,
        factory_org.id,
        plant.line_id,
        [(datetime(2025, 3, 2, 10, tzinfo=LOCAL_TZ), 800)],
    )
    span = {"from": "2025-03-02", "to": "2025-03-02"}
    page = admin.get(f"{BASE}/dashboard", params=span)
    assert 'id="energy-per-piece"' in page.text
    # 4 000 kWh × 0.1229 / 800 pieces = 0.6145 kgce and 5 kWh per piece
    assert "0.6145" in page.text.split('data-testid="kgce-per-piece"', 1)[1][:200]
    assert "5.0000" in page.text.split('data-testid="kwh-per-piece"', 1)[1][:200]
    bad = admin.get(f"{BASE}/dashboard", params={"from": "2025-03-05", "to": "2025-03-01"})
    assert bad.status_code == 422
    assert 'data-testid="error-to"' in bad.text
    sheet = openpyxl.load_workbook(
        io.BytesIO(admin.get(f"{BASE}/dashboard.xlsx", params=span).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[1][0] == "2025-03-02"
    assert rows[1][-2] == pytest.approx(0.6145)


def test_revenue_form_and_r1_settings(admin: TestClient) -> None:
    bad = admin.post(f"{BASE}/revenue", data={"month": "soon", "amount": "-1"})
    assert bad.status_code == 422
    assert 'data-testid="error-month"' in bad.text
    assert 'data-testid="error-amount"' in bad.text
    assert (
        admin.post(
            f"{BASE}/revenue",
            data={"month": "2025-01", "amount": "1,000,000"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    listed = admin.get(f"{BASE}/revenue").text
    assert "1,000,000.00" in listed
    assert admin.get(f"{BASE}/revenue.xlsx").status_code == 200
    refused = admin.post(f"{BASE}/r1", data={"natural_gas_kgce": "2"})
    assert refused.status_code == 422
    assert 'data-testid="error-natural_gas_kgce"' in refused.text
    saved = admin.post(
        f"{BASE}/r1",
        data={
            "electricity_basis": "equal",
            "electricity_equal_kgce": "0.3",
            "before_from": "2025-01",
            "before_to": "2025-01",
            "after_from": "2025-02",
            "after_to": "2025-02",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    settings = admin.get("/api/v1/apps").json()
    energy = next(a for a in settings if a["slug"] == "energy")
    assert energy["settings"]["electricity_basis"] == "equal"
    assert (
        zh("R1 cannot be worked out yet: both periods need consumption and every month's revenue.")
        in admin.get(f"{BASE}/r1").text
    )
