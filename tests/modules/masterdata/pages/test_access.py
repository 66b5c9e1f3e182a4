"""Who sees and does what on the master-data pages, and the wall between two factories."""

from __future__ import annotations

import io

import openpyxl
from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import Role
from loom.testing.factory import Factory, OrgRef
from loom.testing.leak import make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.masterdata.helpers import API
from tests.modules.masterdata.pages.helpers import PAGES, seed_shirt
from tests.modules.masterdata.test_excel_import import upload

WRITE_MARKS = (
    'data-testid="new-style"',
    'data-testid="new-operation"',
    'data-testid="edit-style"',
    'data-testid="delete-style"',
    'data-testid="edit-routing"',
    'data-testid="edit-operation"',
    'data-testid="rate-form"',
    'data-testid="import-form"',
    "/edit",
    "/delete",
)


def test_a_viewer_reads_everything_but_sees_no_write_button(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    shirt = seed_shirt(admin)
    factory.user("vic", (factory_org, Role.VIEWER))
    viewer = factory.client("vic")
    style_id, op_id = shirt.style["id"], shirt.ops[0]["id"]
    for url in ("/styles", f"/styles/{style_id}", "/operations", f"/operations/{op_id}", "/import"):
        page = viewer.get(PAGES + url)
        assert page.status_code == 200, url
        assert not [m for m in WRITE_MARKS if m in page.text], url
    # the admin's pages do show them (the check above would catch a renamed marker)
    assert 'data-testid="edit-routing"' in admin.get(f"{PAGES}/styles/{style_id}").text
    assert 'data-testid="rate-form"' in admin.get(f"{PAGES}/operations/{op_id}").text
    assert viewer.get(f"{PAGES}/export.xlsx").status_code == 200
    for url in (
        "/styles/new",
        f"/styles/{style_id}/edit",
        f"/styles/{style_id}/routing",
        f"/styles/{style_id}/delete",
        "/operations/new",
        f"/operations/{op_id}/delete",
    ):
        assert viewer.get(PAGES + url).status_code == 403, url
    posts = {
        "/styles/new": {"code": "X", "name": "x"},
        f"/styles/{style_id}/edit": {"code": "X", "name": "x"},
        f"/styles/{style_id}/routing": {"op-0": ""},
        f"/styles/{style_id}/delete": {},
        "/operations/new": {"code": "X"},
        f"/operations/{op_id}/rates": {"rate": "1", "effective_from": "2030-01-01"},
        f"/operations/{op_id}/delete": {},
    }
    for url, data in posts.items():
        assert viewer.post(PAGES + url, data=data).status_code == 403, url
    exported = admin.get(f"{PAGES}/export.xlsx").content
    assert upload(viewer, exported).status_code == 403
    assert admin.get(f"{API}/styles/{style_id}").json()["name"] == "男士衬衫"
    assert len(admin.get(f"{API}/operations/{op_id}/rates").json()) == 1


def test_a_manager_edits_but_does_not_delete(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    shirt = seed_shirt(admin)
    factory.user("max", (factory_org, Role.MANAGER))
    manager = factory.client("max")
    page = manager.get(f"{PAGES}/styles/{shirt.style['id']}").text
    assert 'data-testid="edit-style"' in page
    assert 'data-testid="delete-style"' not in page
    assert manager.post(f"{PAGES}/styles/{shirt.style['id']}/delete").status_code == 403


@both_backends
def test_another_factory_cannot_reach_a_style_or_operation(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    shirt = seed_shirt(pair.client_a)
    style_id, op_id = shirt.style["id"], shirt.ops[0]["id"]
    b = pair.client_b
    for url in (
        f"/styles/{style_id}",
        f"/styles/{style_id}/edit",
        f"/styles/{style_id}/routing",
        f"/styles/{style_id}/delete",
        f"/operations/{op_id}",
        f"/operations/{op_id}/edit",
        f"/operations/{op_id}/delete",
    ):
        assert b.get(PAGES + url).status_code == 404, url
    for url, data in {
        f"/styles/{style_id}/edit": {"code": "HACK", "name": "x"},
        f"/styles/{style_id}/routing": {"op-0": ""},
        f"/styles/{style_id}/delete": {},
        f"/operations/{op_id}/rates": {"rate": "9", "effective_from": "2030-01-01"},
        f"/operations/{op_id}/delete": {},
    }.items():
        assert b.post(PAGES + url, data=data).status_code == 404, url
    listed = b.get(f"{PAGES}/styles").text + b.get(f"{PAGES}/operations").text
    assert "ST-001" not in listed
    assert "OP-010" not in listed
    workbook = openpyxl.load_workbook(io.BytesIO(b.get(f"{PAGES}/export.xlsx").content))
    assert all(sheet.max_row == 1 for sheet in workbook.worksheets)  # headers only
    # A's data is untouched
    assert pair.client_a.get(f"{API}/styles/{style_id}").json()["code"] == "ST-001"
    assert len(pair.client_a.get(f"{API}/styles/{style_id}/routing").json()["steps"]) == 3
    assert len(pair.client_a.get(f"{API}/operations/{op_id}/rates").json()) == 1


@both_backends
def test_an_import_cannot_touch_another_factorys_rows(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    seed_shirt(pair.client_a)
    exported = pair.client_a.get(f"{PAGES}/export.xlsx").content
    # B imports A's workbook: B gets its own copies, A's rows keep their values and count
    assert upload(pair.client_b, exported).status_code == 200
    a_styles = pair.client_a.get(f"{API}/styles").json()["items"]
    b_styles = pair.client_b.get(f"{API}/styles").json()["items"]
    assert len(a_styles) == len(b_styles) == 1
    assert a_styles[0]["id"] != b_styles[0]["id"]


def test_a_bureau_has_no_master_data_pages(factory: Factory) -> None:
    from loom.kernel.tenancy.models import OrgKind

    bureau = factory.org("bureau", OrgKind.BUREAU, name="District bureau")
    factory.user("bea", (bureau, Role.ADMIN))
    assert factory.client("bea").get(f"{PAGES}/styles").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(anon: TestClient) -> None:
    page = anon.get(f"{PAGES}/styles", follow_redirects=False)
    assert page.status_code in {302, 303}
    assert "/login" in page.headers["location"]
