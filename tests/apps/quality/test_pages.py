"""The quality pages: forms naming each bad field, tracing shown, reports, charts, deletes."""

from __future__ import annotations

import json
import re
from io import BytesIO

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from loom.testing.factory import OrgRef
from tests.apps.quality.seed import API, PAGES, created, seed_catalogue, seed_factory


def _csrf(client: TestClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_empty_states_and_the_common_defects_button(admin: TestClient) -> None:
    assert "尚未记录检验。" in admin.get(f"{PAGES}/inspections").text
    assert "尚未记录 AQL 检验。" in admin.get(f"{PAGES}/aql").text
    assert "该期间没有检验记录。" in admin.get(f"{PAGES}/figures").text
    token = _csrf(admin, f"{PAGES}/defects")
    seeded = admin.post(f"{PAGES}/defects/common", data={"csrf_token": token})
    assert seeded.status_code == 200  # followed to the list
    assert 'data-testid="defect-SKIP"' in seeded.text
    assert "跳针" in seeded.text
    assert "已添加 15 个常见服装疵点。" in seeded.text


def test_the_inline_form_names_each_bad_field_then_shows_the_traced_operator(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    url = f"{PAGES}/inspections/new?kind=inline"
    form = {
        "csrf_token": _csrf(admin, url),
        "kind": "inline",
        "line_id": "",
        "operation_id": str(ids["OP-20"]),
        "bundle_no": "1",
        "pieces_checked": "abc",
        "code_0": "SKIP",
        "qty_0": "0",
        "code_2": "THRD",
        "qty_2": "1",
    }
    bad = admin.post(f"{PAGES}/inspections/new", data=form)
    assert bad.status_code == 422
    for field in ("line_id", "pieces_checked", "qty_0"):
        assert f'data-testid="error-{field}"' in bad.text, field
    assert 'data-testid="error-code_2"' not in bad.text
    good = admin.post(
        f"{PAGES}/inspections/new",
        data=form | {"line_id": str(ids["L01"]), "pieces_checked": "10", "qty_0": "2"},
    )
    assert good.status_code == 200  # the detail page after the redirect
    # bundle 1's OP-20 was scanned by W2 (seed.py): 3 defects in 10 pieces = DHU 30.00
    assert "W2 李娜" in good.text
    assert 'data-testid="dhu">30.00<' in good.text


def test_the_aql_form_and_printable_report(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    token = _csrf(admin, f"{PAGES}/aql/new")
    form = {
        "csrf_token": token,
        "order_id": str(ids["PO-Q1"]),
        "lot_size": "1200",
        "level": "II",
        "aql_critical": "0",
        "aql_major": "2.5",
        "aql_minor": "4.0",
        "code_0": "SKIP",
        "qty_0": "6",
        "production_steady": "on",
        "inspected_on": "yesterday",
    }
    bad = admin.post(f"{PAGES}/aql/new", data=form)
    assert bad.status_code == 422
    assert 'data-testid="error-inspected_on"' in bad.text
    report = admin.post(f"{PAGES}/aql/new", data=form | {"inspected_on": ""})
    assert report.status_code == 200
    # 1,200 at II: J, n = 80, Ac 5 Re 6 for AQL 2.5; six major defects reject the lot
    assert 'data-testid="code-letter">J<' in report.text
    assert 'data-testid="sample-size">80<' in report.text
    assert 'data-testid="ac-major">5<' in report.text
    assert 'data-testid="re-major">6<' in report.text
    assert 'data-testid="decision">批拒收<' in report.text  # zh-CN is the default locale
    assert "data-print" in report.text


def test_figures_page_draws_the_pareto_and_the_trend(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    base = {"kind": "endline", "line_id": ids["L01"], "pieces_checked": 20}
    created(admin, f"{API}/inspections", base | {"defects": [{"code": "SKIP", "qty": 3}]})
    created(admin, f"{API}/inspections", base | {"defects": [{"code": "THRD", "qty": 1}]})
    page = admin.get(f"{PAGES}/figures")
    assert page.status_code == 200
    option = re.search(r"id=\"q-pareto\"[^>]*data-option='([^']+)'", page.text)
    assert option is not None
    series = json.loads(option.group(1).replace("&#34;", '"').replace("&quot;", '"'))["series"]
    # SKIP 3 and THRD 1 of 4: bars 3, 1; cumulative 75.0 then 100.0
    assert series[0]["data"] == [3, 1]
    assert series[1]["data"] == [75.0, 100.0]
    assert 'id="q-trend"' in page.text
    bad = admin.get(f"{PAGES}/figures", params={"day_from": "2026-03-10", "day_to": "2026-03-01"})
    assert bad.status_code == 422


def test_exports_and_delete_with_confirmation(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    ids = seed_factory(loom_app, factory_org.id)
    seed_catalogue(admin)
    found = created(
        admin,
        f"{API}/inspections",
        {
            "kind": "endline",
            "line_id": ids["L01"],
            "pieces_checked": 20,
            "defects": [{"code": "SKIP", "qty": 2}],
        },
    )
    sheet = load_workbook(BytesIO(admin.get(f"{PAGES}/inspections.xlsx").content)).active
    assert sheet.max_row == 2
    assert sheet.cell(2, 11).value == "10.00"
    defects = load_workbook(BytesIO(admin.get(f"{PAGES}/defects.xlsx").content)).active
    assert defects.max_row == 16  # heading + 15 common defects
    ask = admin.get(f"{PAGES}/inspections/{found['id']}/delete")
    assert 'data-testid="confirm-delete"' in ask.text
    token = _csrf(admin, f"{PAGES}/inspections/{found['id']}/delete")
    gone = admin.post(f"{PAGES}/inspections/{found['id']}/delete", data={"csrf_token": token})
    assert gone.status_code == 200
    assert "尚未记录检验。" in gone.text
    skip = created(admin, f"{API}/defects", {"code": "ONE", "name": "一", "defect_class": "minor"})
    assert "confirm-delete" in admin.get(f"{PAGES}/defects/{skip['id']}/delete").text
