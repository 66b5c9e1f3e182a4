"""A style's BOM: fabric and trim consumption per size, validation, requirements, walls."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import Role
from loom.modules.masterdata.engine import material_requirements
from loom.testing.factory import Factory, OrgRef
from loom.testing.leak import make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.masterdata.helpers import API, bad_fields, create_style


def _line(code: str = "F-01", **changes: Any) -> dict[str, Any]:
    line: dict[str, Any] = {
        "material_code": code,
        "material_name": "全棉府绸",
        "kind": "fabric",
        "unit": "m",
        "consumption": {"S": "1.20", "M": "1.25", "L": "1.30"},
    }
    return line | changes


BUTTONS = _line(
    "T-07",
    material_name="四眼纽扣",
    kind="trim",
    unit="piece",
    consumption={"S": 7, "M": 7, "L": 8},
)


def _set(client: TestClient, style_id: int, *lines: dict[str, Any]) -> Any:
    return client.put(f"{API}/styles/{style_id}/bom", json={"lines": list(lines)})


def test_the_engine_sums_consumption_times_pieces_exactly() -> None:
    fabric = ("F-01", {"S": Decimal("1.20"), "M": Decimal("1.25"), "L": Decimal("1.30")})
    # 100 S, 200 M, 100 L over two colours: 1.20×100 + 1.25×200 + 1.30×100 = 120 + 250 + 130
    quantities = {"白": {"S": 60, "M": 200}, "蓝": {"S": 40, "L": 100}}
    assert material_requirements([fabric], quantities) == {"F-01": Decimal("500.00")}
    # 0.1 × 3 is exactly 0.3 in Decimal, where a float would give 0.30000000000000004
    assert material_requirements([("T", {"S": Decimal("0.1")})], {"白": {"S": 3}}) == {
        "T": Decimal("0.3")
    }
    assert material_requirements([fabric], {}) == {"F-01": Decimal(0)}


@both_backends
def test_a_bom_round_trips_and_gives_the_requirements(admin: TestClient) -> None:
    style = create_style(admin)  # colours 白/蓝, sizes S/M/L
    url = f"{API}/styles/{style['id']}/bom"
    assert admin.get(url).json() == {"style_id": style["id"], "lines": []}
    saved = _set(admin, style["id"], _line(), BUTTONS)
    assert saved.status_code == 200, saved.text
    lines = saved.json()["lines"]
    assert [(b["material_code"], b["kind"], b["unit"]) for b in lines] == [
        ("F-01", "fabric", "m"),
        ("T-07", "trim", "piece"),
    ]
    assert lines[0]["consumption"] == {"S": "1.2000", "M": "1.2500", "L": "1.3000"}
    assert admin.get(url).json() == saved.json()

    order = {"quantities": {"白": {"S": 100, "M": 120}, "蓝": {"M": 80, "L": 100}}}
    got = admin.post(f"{url}/requirements", json=order)
    assert got.status_code == 200, got.text
    totals = {
        m["material_code"]: (Decimal(m["quantity"]), m["unit"]) for m in got.json()["materials"]
    }
    # S 100, M 120 + 80 = 200, L 100 pieces:
    # fabric 1.20×100 + 1.25×200 + 1.30×100 = 120 + 250 + 130 = 500.00 m
    # buttons 7×100 + 7×200 + 8×100 = 700 + 1400 + 800 = 2900 pieces
    assert totals == {"F-01": (Decimal("500.00"), "m"), "T-07": (Decimal("2900"), "piece")}


def test_every_bad_field_is_named_with_its_line(admin: TestClient) -> None:
    style = create_style(admin)
    bad = [
        _line(material_code=" ", kind="lining", unit="bolt"),
        _line("F-02", material_name="", consumption={"S": "-1", "M": "1.23456", "L": "1"}),
        _line("F-02", consumption={"S": "1", "M": "1"}),
    ]
    assert bad_fields(_set(admin, style["id"], *bad)) == {
        "lines[0].material_code",
        "lines[0].kind",
        "lines[0].unit",
        "lines[1].material_name",
        "lines[1].consumption.S",
        "lines[1].consumption.M",
        "lines[2].material_code",  # F-02 twice
        "lines[2].consumption.L",  # missing
    }
    assert admin.get(f"{API}/styles/{style['id']}/bom").json()["lines"] == []
    # a consumption that is no number is refused by field too, never a 500
    odd = _set(admin, style["id"], _line(consumption={"S": "much", "M": "1", "L": "1"}))
    assert bad_fields(odd) == {"lines.0.consumption.S"}


def test_unknown_sizes_and_colours_are_refused(admin: TestClient) -> None:
    style = create_style(admin)
    xl = _line(consumption={"S": "1", "M": "1", "L": "1", "XL": "1.5"})
    refused = _set(admin, style["id"], xl)
    assert bad_fields(refused) == {"lines[0].consumption.XL"}
    assert "XL is not a size of this style" in refused.json()["error"]["details"][0]["message"]
    assert _set(admin, style["id"], _line()).status_code == 200
    url = f"{API}/styles/{style['id']}/bom/requirements"
    order = {"quantities": {"红": {"S": 1}, "白": {"XL": 5, "M": -1}}}
    assert bad_fields(admin.post(url, json=order)) == {"quantities.白.M"}  # the shape first
    order = {"quantities": {"红": {"S": 1}, "白": {"XL": 5, "M": 1}}}
    assert bad_fields(admin.post(url, json=order)) == {"quantities.红", "quantities.白.XL"}


def test_a_size_added_after_the_bom_is_named_in_the_requirements(admin: TestClient) -> None:
    style = create_style(admin)
    assert _set(admin, style["id"], _line(), BUTTONS).status_code == 200
    body = {k: style[k] for k in ("code", "name", "season", "customer", "colours")}
    admin.put(f"{API}/styles/{style['id']}", json=body | {"sizes": ["S", "M", "L", "XL"]})
    url = f"{API}/styles/{style['id']}/bom/requirements"
    refused = admin.post(url, json={"quantities": {"白": {"XL": 10}}})
    assert bad_fields(refused) == {"quantities.白.XL"}
    assert "F-01, T-07" in refused.json()["error"]["details"][0]["message"]
    # no XL pieces, no missing consumption; stored to four decimals: 1.2000×10, 7.0000×10
    fine = admin.post(url, json={"quantities": {"白": {"XL": 0, "S": 10}}})
    assert [m["quantity"] for m in fine.json()["materials"]] == ["12.0000", "70.0000"]


def test_the_bom_is_replaced_audited_and_deleted_with_its_style(admin: TestClient) -> None:
    style = create_style(admin)
    assert _set(admin, style["id"], _line(), BUTTONS).status_code == 200
    assert _set(admin, style["id"], _line(), BUTTONS).status_code == 200  # no change
    replaced = _set(admin, style["id"], BUTTONS | {"material_code": "F-01"})
    assert [b["kind"] for b in replaced.json()["lines"]] == ["trim"]
    events = admin.get("/api/v1/audit", params={"q": "masterdata.bom", "limit": 50}).json()
    sets = list(reversed(events["items"]))
    assert [e["action"] for e in sets] == ["masterdata.bom.set", "masterdata.bom.set"]
    assert [b["material_code"] for b in sets[1]["after"]] == ["F-01"]
    assert [b["kind"] for b in sets[1]["before"]] == ["fabric", "trim"]
    assert admin.delete(f"{API}/styles/{style['id']}").status_code == 204
    assert admin.get(f"{API}/styles/{style['id']}/bom").status_code == 404


@both_backends
def test_another_enterprise_gets_404(factory: Factory) -> None:
    pair = make_tenant_pair(factory)
    style_a = create_style(pair.client_a)["id"]
    assert _set(pair.client_a, style_a, _line()).status_code == 200
    url = f"{API}/styles/{style_a}/bom"
    order = {"quantities": {"白": {"S": 1}}}
    for answer in (
        pair.client_b.get(url),
        _set(pair.client_b, style_a),
        pair.client_b.post(f"{url}/requirements", json=order),
    ):
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"
    assert [b["material_code"] for b in pair.client_a.get(url).json()["lines"]] == ["F-01"]


def test_a_viewer_reads_and_computes_but_does_not_set(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    style = create_style(admin)
    assert _set(admin, style["id"], _line()).status_code == 200
    factory.user("vic", (factory_org, Role.VIEWER))
    viewer = factory.client("vic")
    url = f"{API}/styles/{style['id']}/bom"
    assert viewer.get(url).status_code == 200
    assert viewer.post(f"{url}/requirements", json={"quantities": {}}).status_code == 200
    assert _set(viewer, style["id"]).status_code == 403
