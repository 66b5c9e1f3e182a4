"""Bundle tickets: one coupon per routing operation, each with a QR code of a signed text."""

from __future__ import annotations

import html
import re
from typing import Any

import segno
from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.modules.shopfloor.engine.tickets import parse_coupon, ticket_key, verify
from loom.modules.shopfloor.service.tickets import qr_svg
from loom.testing.factory import OrgRef
from tests.modules.shopfloor.conftest import SHOPFLOOR, seed_style_with_routing
from tests.modules.shopfloor.helpers_orders import add_lay, create_order, cut

PAGES = "/apps/shopfloor/orders"


def _cut_order(client: TestClient) -> dict[str, Any]:
    seed = seed_style_with_routing(client)
    order = create_order(client, seed["style"]["id"])
    first = add_lay(client, order["id"], "白", 10, {"S": 1, "M": 1})  # bundles 1 (S) and 2 (M)
    second = add_lay(client, order["id"], "蓝", 4, {"M": 1})  # bundle 3
    bundles = cut(client, first["id"], 20) + cut(client, second["id"], 20)
    return {**seed, "order": order, "lays": [first, second], "bundles": bundles}


def test_the_coupons_api_lists_one_signed_coupon_per_bundle_and_operation(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    made = _cut_order(admin)
    ops = [op["id"] for op in made["operations"]]
    coupons = admin.get(f"{SHOPFLOOR}/orders/{made['order']['id']}/coupons").json()["coupons"]
    # 3 bundles × 3 routing operations, in bundle then routing order
    assert [(c["bundle_no"], c["seq"], c["operation_id"]) for c in coupons] == [
        (b, seq, ops[seq - 1]) for b in (1, 2, 3) for seq in (1, 2, 3)
    ]
    key = ticket_key(loom_app.state.loom.settings.secret_key, factory_org.id)
    for c in coupons:
        parsed = parse_coupon(c["qr_text"])
        assert parsed is not None
        assert (parsed.org_id, parsed.bundle_no, parsed.operation_id) == (
            factory_org.id,
            c["bundle_no"],
            c["operation_id"],
        )
        assert verify(key, parsed.org_id, parsed.bundle_no, parsed.operation_id, parsed.sig)
    one_lay = admin.get(
        f"{SHOPFLOOR}/orders/{made['order']['id']}/coupons",
        params={"lay_id": made["lays"][1]["id"]},
    ).json()["coupons"]
    assert {c["bundle_no"] for c in one_lay} == {3}


def test_an_altered_coupon_fails_verification(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    made = _cut_order(admin)
    text = admin.get(f"{SHOPFLOOR}/orders/{made['order']['id']}/coupons").json()["coupons"][0][
        "qr_text"
    ]
    parsed = parse_coupon(text)
    assert parsed is not None
    key = ticket_key(loom_app.state.loom.settings.secret_key, factory_org.id)
    other_op = made["operations"][1]["id"]
    assert verify(key, factory_org.id, parsed.bundle_no, parsed.operation_id, parsed.sig)
    # the same signature on another bundle, another operation or another factory is refused
    assert not verify(key, factory_org.id, parsed.bundle_no + 1, parsed.operation_id, parsed.sig)
    assert not verify(key, factory_org.id, parsed.bundle_no, other_op, parsed.sig)
    other_key = ticket_key(loom_app.state.loom.settings.secret_key, factory_org.id + 1)
    assert not verify(other_key, factory_org.id, parsed.bundle_no, parsed.operation_id, parsed.sig)


def _page_coupons(page: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r'data-testid="coupon" data-qr="([^"]+)"', page)]


def test_the_printable_sheet_shows_each_ticket_with_qr_coupons(
    loom_app: FastAPI, factory_org: OrgRef, admin: TestClient
) -> None:
    made = _cut_order(admin)
    page = admin.get(f"{PAGES}/{made['order']['id']}/tickets")
    assert page.status_code == 200
    text = page.text
    assert text.count('class="ticket"') == 3
    assert "@media print" in text
    for name in ("合肩", "上领", "钉扣", "PO-001", "ST-100"):
        assert name in text
    texts = _page_coupons(text)
    assert len(texts) == 9
    key = ticket_key(loom_app.state.loom.settings.secret_key, factory_org.id)
    for qr_text in texts:
        # the inline SVG is exactly the QR code of the coupon's text (segno is deterministic)
        assert qr_svg(qr_text) in text
        parsed = parse_coupon(qr_text)
        assert parsed is not None
        assert verify(key, parsed.org_id, parsed.bundle_no, parsed.operation_id, parsed.sig)
    # and a code of an altered text is not on the page
    forged = texts[0].rsplit(":", 1)[0] + ":AAAAAAAAAAAAAAAA"
    assert qr_svg(forged) not in text
    assert segno.make(texts[0], error="m").svg_inline(scale=2, border=2, omitsize=True) in text


def test_one_lay_or_chosen_bundles_can_be_printed(admin: TestClient) -> None:
    made = _cut_order(admin)
    order_id = made["order"]["id"]
    by_lay = admin.get(f"{PAGES}/{order_id}/tickets", params={"lay_id": made["lays"][0]["id"]})
    assert by_lay.text.count('class="ticket"') == 2
    chosen = made["bundles"][2]["id"]
    one = admin.get(f"{PAGES}/{order_id}/tickets", params={"bundle": chosen})
    assert one.text.count('class="ticket"') == 1
    assert 'data-testid="ticket-3"' in one.text
    # a lay of another order is not this order's to print
    other = create_order(admin, made["style"]["id"], "PO-OTHER")
    foreign = admin.get(f"{PAGES}/{other['id']}/tickets", params={"lay_id": made["lays"][0]["id"]})
    assert foreign.status_code == 404


def test_a_style_without_routing_prints_tickets_without_coupons(admin: TestClient) -> None:
    style = admin.post(
        "/api/v1/masterdata/styles",
        json={"code": "BARE", "name": "无工序", "colours": ["白"], "sizes": ["M"]},
    ).json()
    order = create_order(admin, style["id"], quantities={"白": {"M": 5}})
    cut(admin, add_lay(admin, order["id"], "白", 5, {"M": 1})["id"])
    page = admin.get(f"{PAGES}/{order['id']}/tickets").text
    assert page.count('class="ticket"') == 1
    assert _page_coupons(page) == []
