"""The registry API: entries, search and filters, duplicates, links, levels, permissions."""

from __future__ import annotations

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory
from tests.modules.programme.registry_service import API, add, body, bureau, code


def test_create_read_update_delete(factory: Factory) -> None:
    _district, client = bureau(factory)
    created = add(client, 1, sector="新能源汽车零部件", cloud=False)
    assert created["sector"] == "nev_parts"  # the sheet label is stored as its id
    assert created["credit_code"] == code(1)
    assert created["revenue_wan"] == "2501.50"  # exact decimals travel as strings
    assert created["enterprise_org_id"] is None
    url = f"{API}/{created['id']}"
    assert client.get(url).json() == created

    changed = client.patch(url, json={"employees": 300, "contact_phone": "0574-87001234"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["employees"], changed.json()["contact_phone"]) == (300, "0574-87001234")
    assert changed.json()["name"] == created["name"]

    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_bad_fields_are_each_named_and_nothing_is_stored(factory: Factory) -> None:
    _district, client = bureau(factory)
    refused = client.post(
        API, json=body(1, credit_code="91330203MA2H00017", size="中型", contact_phone="12345")
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert [d["field"] for d in error["details"]] == ["credit_code", "size", "contact_phone"]
    assert error["details"][0]["message"] == "credit_code: 统一社会信用代码应为 18 位，现在是 17 位"
    assert "credit_code, size, contact_phone" in error["message"]
    typed = client.post(API, json=body(2, employees="many"))
    assert typed.status_code == 422
    assert [d["field"] for d in typed.json()["error"]["details"]] == ["employees"]
    assert client.get(API).json()["total"] == 0


def test_a_duplicate_code_is_refused_naming_credit_code(factory: Factory) -> None:
    _district, client = bureau(factory)
    first = add(client, 1)
    second = add(client, 2)
    again = client.post(API, json=body(3, credit_code=f" {code(1).lower()} "))
    assert again.status_code == 409
    assert again.json()["error"]["details"][0]["field"] == "credit_code"
    assert code(1) in again.json()["error"]["message"]
    moved = client.patch(f"{API}/{second['id']}", json={"credit_code": code(1)})
    assert moved.status_code == 409
    assert client.get(f"{API}/{second['id']}").json()["credit_code"] == code(2)
    assert client.get(API).json()["total"] == 2
    assert client.get(f"{API}/{first['id']}").status_code == 200


def test_search_filters_and_pages(factory: Factory) -> None:
    _district, client = bureau(factory)
    add(client, 1)
    add(client, 2, name="海曙家电有限公司", sector="home_appliances", size="below", town="古林镇")
    add(client, 3, cloud=False)
    add(client, 4, town="古林镇")

    def names(**query: object) -> list[str]:
        page = client.get(API, params=query)
        assert page.status_code == 200, page.text
        return [item["name"] for item in page.json()["items"]]

    assert names(q="家电") == ["海曙家电有限公司"]
    assert names(q=code(3)[8:].lower()) == ["宁波第3服饰有限公司"]  # by code, any case
    assert names(sector="home_appliances") == ["海曙家电有限公司"]
    assert names(size="above", town="古林镇") == ["宁波第4服饰有限公司"]
    assert names(linked="yes") == []
    # ordered by name: 宁波… (U+5B81) sorts before 海曙… (U+6D77)
    first = client.get(API, params={"limit": 3}).json()
    assert (first["total"], len(first["items"]), first["next_offset"]) == (4, 3, 3)
    rest = client.get(API, params={"limit": 3, "offset": 3}).json()
    assert [i["name"] for i in rest["items"]] == ["海曙家电有限公司"]
    assert rest["next_offset"] is None
    assert client.get(API, params={"linked": "maybe"}).status_code == 422


def test_link_level_and_smart_factory(factory: Factory) -> None:
    _district, client = bureau(factory)
    owner = factory.org("yongfeng", OrgKind.ENTERPRISE, name="永丰服饰")
    entry = add(client, 1)
    other = add(client, 2)
    url = f"{API}/{entry['id']}"
    linked = client.put(f"{url}/link", json={"org_id": owner.id})
    assert linked.status_code == 200
    assert linked.json()["enterprise_org_id"] == owner.id
    taken = client.put(f"{API}/{other['id']}/link", json={"org_id": owner.id})
    assert taken.status_code == 409
    assert taken.json()["error"]["details"][0]["field"] == "org_id"
    assert client.get(API, params={"linked": "yes"}).json()["total"] == 1

    level = client.put(f"{url}/level", json={"level": 2, "assessed_on": "2025-12-01"})
    assert level.status_code == 200
    assert (level.json()["digital_level"], level.json()["level_source"]) == (2, "recorded")
    bad_level = client.put(f"{url}/level", json={"level": 9, "assessed_on": "2025-12-01"})
    assert bad_level.status_code == 422
    assert bad_level.json()["error"]["details"][0]["field"] == "level"

    named = client.put(f"{url}/smart-factory", json={"named_on": "2025-10-01"})
    assert named.json()["smart_factory_on"] == "2025-10-01"
    cleared = client.put(f"{url}/smart-factory", json={"named_on": None})
    assert cleared.json()["smart_factory_on"] is None

    unlinked = client.delete(f"{url}/link")
    assert unlinked.json()["enterprise_org_id"] is None


def test_an_enterprise_sees_only_its_linked_entry_and_cannot_write(factory: Factory) -> None:
    _district, client = bureau(factory)
    owner = factory.org("yongfeng", OrgKind.ENTERPRISE)
    factory.user("boss", (owner, Role.ADMIN))
    boss = factory.client("boss")
    mine = add(client, 1)
    theirs = add(client, 2)
    assert boss.get(API).json()["total"] == 0
    client.put(f"{API}/{mine['id']}/link", json={"org_id": owner.id})

    listed = boss.get(API).json()
    assert [item["id"] for item in listed["items"]] == [mine["id"]]
    assert boss.get(f"{API}/{mine['id']}").json()["name"] == "宁波第1服饰有限公司"
    assert boss.get(f"{API}/{theirs['id']}").status_code == 404
    # the enterprise admin lacks programme.registry.write: every write is refused
    assert boss.patch(f"{API}/{mine['id']}", json={"employees": 1}).status_code == 403
    assert boss.delete(f"{API}/{mine['id']}").status_code == 403
    assert boss.post(API, json=body(5)).status_code == 403
    assert boss.put(f"{API}/{mine['id']}/link", json={"org_id": owner.id}).status_code == 403
    assert client.get(f"{API}/{mine['id']}").json()["employees"] == 101


def test_bureau_viewers_read_and_contractors_see_nothing(factory: Factory) -> None:
    district, client = bureau(factory)
    factory.user("clerk", (district, Role.VIEWER))
    clerk = factory.client("clerk")
    entry = add(client, 1)
    assert clerk.get(API).json()["total"] == 1
    assert clerk.get(f"{API}/export.xlsx").status_code == 200
    assert clerk.post(API, json=body(2)).status_code == 403
    assert clerk.delete(f"{API}/{entry['id']}").status_code == 403
    assert clerk.get(f"{API}/template.xlsx").status_code == 403
    contractor = factory.org("kepu", OrgKind.CONTRACTOR)
    factory.user("builder", (contractor, Role.ADMIN))
    builder = factory.client("builder")
    assert builder.get(API).status_code == 403
    assert builder.get(f"{API}/{entry['id']}").status_code == 403
