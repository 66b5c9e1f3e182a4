"""Tenant walls of the registry: another bureau neither sees, edits, links nor deletes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.programme.registry_service import (
    API,
    PAGES,
    add,
    good_values,
    sheet_rows,
    upload,
    workbook,
)


def _new_entry(client: TestClient) -> int:
    entry_id: int = add(client, 1)["id"]
    return entry_id


ENTRIES = TenantResource(
    name="registry entry",
    list_url=API,
    item_url=f"{API}/{{id}}",
    create=_new_entry,
    update_body={"employees": 1, "name": "被改名"},
    extra_urls=[f"{PAGES}/{{id}}", f"{PAGES}/{{id}}/edit", f"{PAGES}/{{id}}/delete"],
)


@both_backends
def test_another_bureau_cannot_reach_an_entry(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)
    assert_tenant_isolation(pair, ENTRIES)


@both_backends
def test_another_bureau_cannot_link_level_or_delete_through_any_door(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)
    entry_id = _new_entry(pair.client_a)
    spy = factory.org("spyco", OrgKind.ENTERPRISE)
    url = f"{API}/{entry_id}"
    attempts = [
        pair.client_b.put(f"{url}/link", json={"org_id": spy.id}),
        pair.client_b.delete(f"{url}/link"),
        pair.client_b.put(f"{url}/level", json={"level": 4, "assessed_on": "2025-01-01"}),
        pair.client_b.put(f"{url}/smart-factory", json={"named_on": "2025-01-01"}),
        pair.client_b.post(f"{PAGES}/{entry_id}/edit", data={"name": "x"}),
        pair.client_b.post(f"{PAGES}/{entry_id}/delete"),
        pair.client_b.post(f"{PAGES}/{entry_id}/link", data={"org_id": str(spy.id)}),
        pair.client_b.post(f"{PAGES}/{entry_id}/level", data={"level": "4"}),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    kept = pair.client_a.get(url).json()
    assert (kept["enterprise_org_id"], kept["digital_level"], kept["name"]) == (
        None,
        None,
        "宁波第1服饰有限公司",
    )
    assert sheet_rows(pair.client_b.get(f"{API}/export.xlsx").content)[1:] == []


@both_backends
def test_an_import_does_not_reveal_another_registrys_codes(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)
    _new_entry(pair.client_a)  # enterprise 1 is in A's registry
    imported = upload(pair.client_b, workbook([good_values(1)]))
    assert imported.status_code == 201, imported.text
    assert pair.client_a.get(API).json()["total"] == 1
    assert pair.client_b.get(API).json()["total"] == 1


@both_backends
def test_an_enterprise_sees_its_own_entry_only(factory: Factory) -> None:
    pair = make_tenant_pair(factory, OrgKind.BUREAU)
    owner = factory.org("yongfeng", OrgKind.ENTERPRISE)
    factory.user("boss", (owner, Role.MEMBER))
    boss = factory.client("boss")
    linked = _new_entry(pair.client_a)
    pair.client_a.put(f"{API}/{linked}/link", json={"org_id": owner.id})
    unlinked = add(pair.client_a, 2)["id"]
    assert [i["id"] for i in boss.get(API).json()["items"]] == [linked]
    assert boss.get(f"{API}/{unlinked}").status_code == 404
    assert boss.get(f"{PAGES}/{unlinked}").status_code == 404
    assert [r[0] for r in sheet_rows(boss.get(f"{API}/export.xlsx").content)[1:]] == [
        "宁波第1服饰有限公司"
    ]
    # B's registry does not link this enterprise: it sees none of B's entries
    add(pair.client_b, 3)
    assert boss.get(API).json()["total"] == 1
