"""The catalogue over the API: publish, withdraw, edit, mark; who may do what, who sees what."""

from __future__ import annotations

from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.programme.catalogue.helpers import (
    API,
    audit_actions,
    district,
    product_body,
    publish,
)


@both_backends
def test_public_catalogue_shows_published_products_of_every_contractor(factory: Factory) -> None:
    d = district(factory)
    first = publish(d.alpha_client, name="设备点检小程序")
    second = publish(d.beta_client, name="云端排产", price="45000", scenes={"S05": 2})
    gone = publish(d.alpha_client, name="旧版看板")
    assert d.alpha_client.post(f"{API}/products/{gone['id']}/withdraw").status_code == 200

    listed = d.firm_client.get(f"{API}/products").json()
    assert listed["total"] == 2
    rows = {p["name"]: p for p in listed["items"]}
    assert set(rows) == {"设备点检小程序", "云端排产"}
    assert rows["云端排产"]["contractor"] == "衣联软件"
    assert rows["云端排产"]["price_fen"] == 4_500_000
    assert rows["设备点检小程序"]["contractor_org_id"] == d.alpha.id
    # the withdrawn one is gone for others, still there for its contractor
    assert d.firm_client.get(f"{API}/products/{gone['id']}").status_code == 404
    own = d.alpha_client.get(f"{API}/products/{gone['id']}")
    assert (own.status_code, own.json()["status"]) == (200, "withdrawn")
    mine = d.alpha_client.get(f"{API}/products/mine").json()
    assert [p["name"] for p in mine["items"]] == ["旧版看板", "设备点检小程序"]
    assert d.beta_client.get(f"{API}/products/{first['id']}").status_code == 200
    assert d.firm_client.get(f"{API}/products", params={"q": "排产"}).json()["total"] == 1
    assert second["id"] in [p["id"] for p in d.bureau_client.get(f"{API}/products").json()["items"]]


def test_publish_withdraw_republish_edit_are_audited(factory: Factory) -> None:
    d = district(factory)
    product = publish(d.alpha_client)
    assert (product["status"], product["price"], product["scenes"]) == (
        "published",
        "9800.00",
        {"S09": 2},
    )
    pid = product["id"]
    assert d.alpha_client.post(f"{API}/products/{pid}/withdraw").json()["status"] == "withdrawn"
    assert d.alpha_client.post(f"{API}/products/{pid}/republish").json()["status"] == "published"
    edited = d.alpha_client.put(
        f"{API}/products/{pid}", json=product_body(price="8800.50", scenes={"S09": 3})
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["price_fen"], edited.json()["scenes"]) == (880_050, {"S09": 3})
    assert audit_actions(factory, d.alpha, pid) == [
        "programme.product.published",
        "programme.product.withdrawn",
        "programme.product.published",
        "programme.product.updated",
    ]


def test_bad_product_lists_every_field(factory: Factory) -> None:
    d = district(factory)
    response = d.alpha_client.post(
        f"{API}/products",
        json=product_body(price="-1", scenes={"S99": 2, "S01": 7}, indicators={"B1": ["Z"]}),
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [x["field"] for x in details] == ["price", "scenes.S99", "scenes.S01", "indicators.B1"]
    assert details[2]["message"] == "scenes.S01: a level from 1 to 4"
    fractional = d.alpha_client.post(f"{API}/products", json=product_body(price="1.005"))
    assert fractional.status_code == 422
    assert fractional.json()["error"]["details"][0]["field"] == "price"
    assert d.alpha_client.get(f"{API}/products/mine").json()["total"] == 0


def test_a_contractor_cannot_touch_another_contractors_product(factory: Factory) -> None:
    d = district(factory)
    pid = publish(d.alpha_client)["id"]
    assert d.beta_client.post(f"{API}/products/{pid}/withdraw").status_code == 404
    assert d.beta_client.put(f"{API}/products/{pid}", json=product_body()).status_code == 404
    assert d.beta_client.get(f"{API}/products/mine").json()["total"] == 0
    assert d.firm_client.get(f"{API}/products/{pid}").json()["status"] == "published"


def test_only_contractors_publish_and_only_bureaus_mark(factory: Factory) -> None:
    d = district(factory)
    assert d.firm_client.post(f"{API}/products", json=product_body()).status_code == 403
    assert d.bureau_client.post(f"{API}/products", json=product_body()).status_code == 403
    pid = publish(d.alpha_client)["id"]
    marked = d.alpha_client.put(f"{API}/products/{pid}/mark", json={"excellent": True})
    assert marked.status_code == 403


@both_backends
def test_the_bureau_marks_excellent_and_its_note_stays_its_own(factory: Factory) -> None:
    d = district(factory)
    other_bureau = district(factory, "2").bureau_client
    good = publish(d.alpha_client, name="设备点检小程序")["id"]
    plain = publish(d.beta_client, name="云端排产")["id"]
    response = d.bureau_client.put(
        f"{API}/products/{good}/mark", json={"excellent": True, "note": "三家试点验收通过"}
    )
    assert response.status_code == 200, response.text
    assert (response.json()["excellent"], response.json()["note"]) == (True, "三家试点验收通过")
    assert audit_actions(factory, d.bureau, good) == ["programme.product.marked"]

    # everyone sees the mark and who made it
    excellent = d.firm_client.get(f"{API}/products", params={"excellent": True}).json()
    assert [p["id"] for p in excellent["items"]] == [good]
    assert excellent["items"][0]["excellent_by"] == ["海曙区经信局"]
    assert d.firm_client.get(f"{API}/products/{plain}").json()["excellent"] is False
    # the mark itself (with its note) is the bureau's row: another bureau has none
    assert d.bureau_client.get(f"{API}/products/{good}/mark").json()["note"] == "三家试点验收通过"
    assert other_bureau.get(f"{API}/products/{good}/mark").status_code == 404
    # the other bureau's own judgement is a separate row and leaves the first one alone
    other_bureau.put(f"{API}/products/{good}/mark", json={"excellent": False, "note": "待观察"})
    assert d.bureau_client.get(f"{API}/products/{good}/mark").json()["note"] == "三家试点验收通过"
    taken_back = d.bureau_client.put(f"{API}/products/{good}/mark", json={"excellent": False})
    assert taken_back.json()["excellent"] is False
    assert d.firm_client.get(f"{API}/products", params={"excellent": True}).json()["total"] == 0
    assert audit_actions(factory, d.bureau, good) == ["programme.product.marked"] * 2


def test_a_withdrawn_product_cannot_be_marked(factory: Factory) -> None:
    d = district(factory)
    pid = publish(d.alpha_client)["id"]
    d.alpha_client.post(f"{API}/products/{pid}/withdraw")
    assert d.bureau_client.put(f"{API}/products/{pid}/mark", json={}).status_code == 404
