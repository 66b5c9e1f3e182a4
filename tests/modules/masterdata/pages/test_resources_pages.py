"""Pages of lines, workstations, operators with the skills matrix, and machines."""

from __future__ import annotations

import io
import re

import openpyxl
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import Role
from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.testing.factory import Factory, OrgRef
from loom.testing.leak import make_tenant_pair
from tests.modules.masterdata.helpers import API
from tests.modules.masterdata.pages.helpers import PAGES, zh


def add_line(client: TestClient, code: str = "L1", **changes: str) -> int:
    """Add a line through its form and return its id."""
    form = {
        "code": code,
        "name": "缝制一线",
        "kind": "sewing",
        "shift_minutes": "480",
        "active": "on",
    }
    made = client.post(f"{PAGES}/lines/new", data=form | changes, follow_redirects=False)
    assert made.status_code == 303, made.text
    return int(made.headers["location"].rsplit("/", 1)[1])


def add_operator(
    client: TestClient, code: str, line_id: int | None = None, cells: dict[str, str] | None = None
) -> None:
    """Add an operator with skills given as grade-<machine>/eff-<machine> fields."""
    form = {"code": code, "name": f"员工{code}", "line_id": str(line_id or ""), "active": "on"}
    made = client.post(f"{PAGES}/operators/new", data=form | (cells or {}), follow_redirects=False)
    assert made.status_code == 303, made.text


def test_lines_and_workstations(admin: TestClient) -> None:
    assert zh("No production lines yet.") in admin.get(f"{PAGES}/lines").text
    bad = admin.post(
        f"{PAGES}/lines/new",
        data={"code": "", "name": "一线", "kind": "sewing", "shift_minutes": "1500"},
    )
    assert bad.status_code == 422
    assert re.search(r'data-testid="error-code">' + zh("must not be empty"), bad.text)
    assert 'data-testid="error-shift_minutes"' in bad.text
    line_id = add_line(admin)
    listed = admin.get(f"{PAGES}/lines").text
    assert listed.count('data-testid="line-row"') == 1
    assert zh("Sewing") in listed
    station = {"code": "WS-01", "seq": "1", "machine_type": "overlock", "device_code": "SCAN-7"}
    assert (
        admin.post(
            f"{PAGES}/lines/{line_id}/workstations", data=station, follow_redirects=False
        ).status_code
        == 303
    )
    twice = admin.post(
        f"{PAGES}/lines/{line_id}/workstations", data=station | {"code": "WS-02", "seq": "0"}
    )
    assert twice.status_code == 422
    assert zh("a position from 1 to 9999") in twice.text
    taken = admin.post(
        f"{PAGES}/lines/{line_id}/workstations", data=station | {"code": "WS-02", "seq": "2"}
    )
    assert taken.status_code == 409  # SCAN-7 is installed at WS-01 already
    assert 'data-testid="error-device_code"' in taken.text
    page = admin.get(f"{PAGES}/lines/{line_id}").text
    assert page.count('data-testid="station-row"') == 1
    assert "SCAN-7" in page
    assert "锁边/包缝" in page
    # a line with a workstation is not deleted: the page says why
    refused = admin.post(f"{PAGES}/lines/{line_id}/delete")
    assert refused.status_code == 409
    assert 'data-testid="delete-refused"' in refused.text
    admin.cookies.set(LOCALE_COOKIE, "en")
    assert "Overlock" in admin.get(f"{PAGES}/lines/{line_id}").text


def test_the_skills_matrix_shows_grades_per_machine_type(admin: TestClient) -> None:
    line_id = add_line(admin)
    add_operator(
        admin,
        "E001",
        line_id,
        {"grade-lockstitch": "4", "eff-lockstitch": "110", "grade-overlock": "2"},
    )
    add_operator(admin, "E002", cells={"grade-button": "5"})
    page = admin.get(f"{PAGES}/operators").text
    assert page.count('data-testid="operator-row"') == 2
    cell = re.search(r'data-testid="cell-E001-lockstitch">(.*?)</td>', page, re.S)
    assert cell is not None
    assert "<strong>4</strong>" in cell.group(1)
    assert "110%" in cell.group(1)
    plain = re.search(r'data-testid="cell-E001-overlock">(.*?)</td>', page, re.S)
    assert plain is not None
    assert "<strong>2</strong>" in plain.group(1)
    assert "%" not in plain.group(1)
    empty = re.search(r'data-testid="cell-E002-lockstitch">(.*?)</td>', page, re.S)
    assert empty is not None
    assert "<strong>" not in empty.group(1)
    on_line = admin.get(f"{PAGES}/operators", params={"line_id": line_id}).text
    assert on_line.count('data-testid="operator-row"') == 1
    assert "E001" in on_line
    sheet = openpyxl.load_workbook(
        io.BytesIO(admin.get(f"{PAGES}/operators.xlsx").content)
    ).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("工号", "姓名", "产线", "在职", "平车")
    assert rows[1][:6] == ("E001", "员工E001", "L1", "是", "4/110", "2/100")


def test_the_operator_form_names_bad_skill_cells(admin: TestClient) -> None:
    form = {
        "code": "E001",
        "name": "",
        "line_id": "999",
        "grade-lockstitch": "3",
        "eff-lockstitch": "500",
        "hired_on": "昨天",
    }
    bad = admin.post(f"{PAGES}/operators/new", data=form)
    assert bad.status_code == 422
    assert re.search(r'data-testid="error-name">' + zh("must not be empty"), bad.text)
    assert 'data-testid="error-line_id"' in bad.text
    assert re.search(
        r'data-testid="error-eff-lockstitch">' + zh("a percentage from 1 to 200"), bad.text
    )
    assert 'data-testid="error-hired_on"' in bad.text
    assert admin.get(f"{API}/operators").json()["total"] == 0


def test_machines_on_lines_and_workstations(admin: TestClient) -> None:
    line_id = add_line(admin)
    other = add_line(admin, "L2")
    station = {"code": "WS-01", "seq": "1", "machine_type": "lockstitch", "device_code": ""}
    admin.post(f"{PAGES}/lines/{line_id}/workstations", data=station)
    station_id = admin.get(f"{API}/lines/{line_id}/workstations").json()[0]["id"]
    form = {
        "code": "M-001",
        "machine_type": "lockstitch",
        "brand": "Juki",
        "model": "DDL-9000C",
        "serial": "S1",
    }
    clash = admin.post(
        f"{PAGES}/machines/new",
        data=form | {"line_id": str(other), "workstation_id": str(station_id)},
    )
    assert clash.status_code == 422
    assert zh("the workstation is on another line") in clash.text
    made = admin.post(
        f"{PAGES}/machines/new",
        data=form | {"workstation_id": str(station_id), "active": "on"},
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    page = admin.get(f"{PAGES}/machines").text
    assert page.count('data-testid="machine-row"') == 1
    assert "L1 / WS-01" in page
    assert "DDL-9000C" in page
    found = admin.get(f"{PAGES}/machines", params={"q": "juki"}).text
    assert found.count('data-testid="machine-row"') == 1
    assert (
        zh("No machine matches this search.")
        in admin.get(f"{PAGES}/machines", params={"machine_type": "overlock"}).text
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(admin.get(f"{PAGES}/machines.xlsx").content)
    ).worksheets[0]
    # the machine takes its workstation's line (L1)
    assert list(sheet.iter_rows(values_only=True))[1][:7] == (
        "M-001",
        "lockstitch",
        "Juki",
        "DDL-9000C",
        "S1",
        "L1",
        "WS-01",
    )


def test_viewers_and_other_factories(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    line_id = add_line(admin)
    add_operator(admin, "E001", line_id)
    operator_id = admin.get(f"{API}/operators").json()["items"][0]["id"]
    factory.user("vic", (factory_org, Role.VIEWER))
    viewer = factory.client("vic")
    for url in ("/lines", f"/lines/{line_id}", "/operators", "/machines"):
        page = viewer.get(PAGES + url)
        assert page.status_code == 200, url
        for mark in ("/edit", "/delete", "new-"):
            assert mark not in page.text, (url, mark)
    assert viewer.post(f"{PAGES}/lines/new", data={"code": "X"}).status_code == 403
    assert viewer.post(f"{PAGES}/operators/{operator_id}/delete").status_code == 403
    pair = make_tenant_pair(factory, tag="-r")
    b = pair.client_b
    for url in (f"/lines/{line_id}", f"/lines/{line_id}/edit", f"/operators/{operator_id}/edit"):
        assert b.get(PAGES + url).status_code == 404, url
    assert b.post(f"{PAGES}/operators/{operator_id}/delete").status_code == 404
    assert (
        b.post(f"{PAGES}/lines/{line_id}/workstations", data={"code": "W", "seq": "1"}).status_code
        == 404
    )
    assert "E001" not in b.get(f"{PAGES}/operators").text
    assert admin.get(f"{API}/operators/{operator_id}").status_code == 200
