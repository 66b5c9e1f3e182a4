"""Consumption per day, per line and per piece from readings and scans; R1 from revenue."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fastapi.testclient import TestClient

from loom.apps.energy.engine.readings import LOCAL_TZ
from loom.testing.factory import Factory, OrgRef
from tests.apps.energy.helpers import API, Plant, add_meter, add_output, read


def _local(day: int, hour: int) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=LOCAL_TZ)


def _setup(factory: Factory, org: OrgRef, admin: TestClient, plant: Plant) -> None:
    main = add_meter(admin)  # factory main meter, CT ratio 40
    for day, value in ((2, "1000"), (3, "1100"), (4, "1250")):
        assert read(admin, main["id"], f"2025-03-0{day}T00:00", value).status_code == 201
    line = add_meter(
        admin, code="E-L1", attached_to="line", line_id=plant.line_id, main=False, multiplier="1"
    )
    assert read(admin, line["id"], "2025-03-02T08:00", "500").status_code == 201
    assert read(admin, line["id"], "2025-03-03T08:00", "740").status_code == 201
    # finished garments: 800 on 2 March; 200 at 01:00 and 1 000 at 11:00 on 3 March (China time)
    add_output(
        factory.app,
        org.id,
        plant.line_id,
        [(_local(2, 10), 800), (_local(3, 1), 200), (_local(3, 11), 1000)],
    )


def test_factory_consumption_per_day_and_per_piece(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    _setup(factory, factory_org, admin, plant)
    got = admin.get(f"{API}/consumption", params={"from": "2025-03-02", "to": "2025-03-03"})
    assert got.status_code == 200, got.text
    body = got.json()
    d1, d2 = body["days"]
    # main meter only: (1 100 − 1 000) × 40 = 4 000 kWh on the 2nd, 150 × 40 = 6 000 on the 3rd
    assert d1["amounts"] == {"electricity": "4000.0000"}
    assert d2["amounts"] == {"electricity": "6000.0000"}
    # 4 000 × 0.1229 = 491.6 kgce / 800 pieces = 0.6145; 6 000 / 1 200 = 5 kWh per piece
    assert Decimal(d1["kgce"]) == Decimal("491.6")
    assert d1["pieces"] == 800
    assert Decimal(d1["kgce_per_piece"]) == Decimal("0.6145")
    assert d2["pieces"] == 1200
    assert Decimal(d2["kwh_per_piece"]) == Decimal(5)
    # 10 000 kWh × 0.1229 = 1 229 kgce = 1.229 tce over 2 000 pieces
    assert Decimal(body["total_tce"]) == Decimal("1.229")
    assert Decimal(body["kgce_per_piece"]) == Decimal("0.6145")


def test_line_consumption_spreads_the_interval_over_its_days(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    _setup(factory, factory_org, admin, plant)
    params = {"from": "2025-03-02", "to": "2025-03-03", "line_id": plant.line_id}
    d1, d2 = admin.get(f"{API}/consumption", params=params).json()["days"]
    # 240 kWh from 08:00 to 08:00: 16 h (160) on the 2nd, 8 h (80) on the 3rd
    assert Decimal(d1["amounts"]["electricity"]) == Decimal(160)
    assert Decimal(d1["kwh_per_piece"]) == Decimal("0.2")  # 160 / 800
    assert Decimal(d2["kwh_per_piece"]) == Decimal("0.0667")  # 80 / 1 200, rounded
    assert admin.get(f"{API}/consumption", params={"line_id": 999_999}).status_code == 404


def test_a_bad_span_is_named(admin: TestClient) -> None:
    got = admin.get(f"{API}/consumption", params={"from": "2025-03-05", "to": "2025-03-01"})
    assert got.status_code == 422
    assert got.json()["error"]["details"][0]["field"] == "to"


def test_r1_compares_energy_per_100_cny(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    _setup(factory, factory_org, admin, plant)
    gas = add_meter(admin, code="G-1", kind="natural_gas", mode="period", multiplier="1")
    url = f"{API}/meters/{gas['id']}/readings"
    for first, last, value in (
        ("2025-01-01", "2025-01-31", "1000"),
        ("2025-03-01", "2025-03-31", "800"),
    ):
        body = {"period_start": first, "period_end": last, "value": value}
        assert admin.post(url, json=body).status_code == 201
    periods = {
        "before_from": "2025-01",
        "before_to": "2025-01",
        "after_from": "2025-03",
        "after_to": "2025-03",
    }
    assert admin.put("/api/v1/apps/energy/settings", json=periods).status_code == 200
    missing = admin.get(f"{API}/r1").json()
    assert missing["option"] is None
    assert missing["before"]["missing_revenue"] == ["2025-01"]
    for month, amount in (("2025-01-01", "1000000"), ("2025-03-01", "2000000")):
        saved = admin.put(f"{API}/revenue", json={"month": month, "amount": amount})
        assert saved.status_code == 200, saved.text
    r1 = admin.get(f"{API}/r1").json()
    # before: 1 000 m³ × 1.2143 = 1 214.3 kgce / (1 000 000 / 100) = 0.12143 kgce per 100 CNY
    assert Decimal(r1["before"]["kgce_per_100_cny"]) == Decimal("0.12143")
    # after: 800 × 1.2143 = 971.44 + 10 000 kWh × 0.1229 = 1 229 → 2 200.44 / 20 000 = 0.110022
    assert Decimal(r1["after"]["tce"]) == Decimal("2.2004")
    assert Decimal(r1["after"]["kgce_per_100_cny"]) == Decimal("0.110022")
    # 0.110022 / 0.12143 − 1 = −9.39 %: R1 option C (降低)
    assert Decimal(r1["change"]) == Decimal("-0.093947")
    assert r1["option"] == "C"


def test_revenue_is_checked_and_replaced_by_month(admin: TestClient) -> None:
    bad = admin.put(f"{API}/revenue", json={"month": "2999-01-01", "amount": "-5"})
    assert {d["field"] for d in bad.json()["error"]["details"]} == {"month", "amount"}
    admin.put(f"{API}/revenue", json={"month": "2025-01-15", "amount": "100"})
    again = admin.put(f"{API}/revenue", json={"month": "2025-01-01", "amount": "250.5"}).json()
    assert again["month"] == "2025-01"
    listed = admin.get(f"{API}/revenue").json()
    assert [(r["month"], r["amount"]) for r in listed["items"]] == [("2025-01", "250.5")]
    assert admin.delete(f"{API}/revenue/{again['id']}").status_code == 204
