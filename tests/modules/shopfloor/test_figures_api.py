"""The figures API on the hand-worked factory of ``figures_seed``: WIP, dashboard, pay."""

from __future__ import annotations

from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.figures_seed import API, seed_figures


@both_backends
def test_order_wip_and_progress(factory: Factory) -> None:
    s = seed_figures(factory)
    got = s.client.get(f"{API}/orders/{s.ids['PO-1']}/wip")
    assert got.status_code == 200, got.text
    body = got.json()
    # figures_seed: 80 cut; done summed over L01 and L02 is 60 / 45 / 25 / 20
    assert (body["cut_qty"], body["finished_qty"], body["progress"]) == (80, 20, "20.0")
    rows = [(o["code"], o["done_qty"], o["wip"]) for o in body["operations"]]
    assert rows == [("OP-010", 60, 20), ("OP-020", 45, 15), ("OP-030", 25, 35), ("OP-040", 20, 5)]
    assert body["operations"][3]["predecessors"] == [s.ids["OP-020"], s.ids["OP-030"]]
    assert (body["operations"][2]["rework_qty"], body["operations"][3]["defect_qty"]) == (2, 1)


@both_backends
def test_line_dashboard_figures(factory: Factory) -> None:
    s = seed_figures(factory)
    got = s.client.get(f"{API}/lines/{s.ids['L01']}/dashboard", params={"date": "2026-03-10"})
    assert got.status_code == 200, got.text
    d = got.json()
    # three hours of L01 on local 03-10; the rows of 03-09 and 03-11 are left out
    assert [h["local"] for h in d["hours"]] == ["08:00", "09:00", "11:00"]
    assert [h["output_qty"] for h in d["hours"]] == [10, 12, 8]
    assert [h["operator_hours"] for h in d["hours"]] == [2, 2, 1]
    assert [h["efficiency"] for h in d["hours"]] == ["37.5", "83.3", "50.0"]
    assert (d["output_qty"], d["done_qty"], d["earned_minutes"]) == (30, 110, "175.00")
    assert (d["operators"], d["operator_hours"], d["efficiency"]) == (2, 5, "58.3")
    assert (d["rework_qty"], d["defect_qty"]) == (1, 2)
    top = [
        (t["code"], t["done_qty"], t["earned_minutes"], t["hours"], t["efficiency"])
        for t in d["top_operators"]
    ]
    assert top == [("W1", 70, "115.00", 3, "63.9"), ("W2", 40, "60.00", 2, "50.0")]
    # PO-1 and PO-3 (worked on L01); PO-2 is done
    assert [(w["code"], w["wip"]) for w in d["wip"]] == [
        ("OP-010", 20),
        ("OP-020", 25),
        ("OP-030", 45),
        ("OP-040", 5),
    ]


def test_operator_output_per_hour(factory: Factory) -> None:
    s = seed_figures(factory)
    got = s.client.get(f"{API}/operators/{s.ids['W1']}/hours?date=2026-03-10").json()
    # figures_seed: W1's three hours on L01; the hour of local 03-09 23:00 is another day
    assert [(h["local"], h["done_qty"], h["earned_minutes"]) for h in got["hours"]] == [
        ("08:00", 20, "25.00"),
        ("09:00", 30, "60.00"),
        ("11:00", 20, "30.00"),
    ]
    assert (got["code"], got["done_qty"]) == ("W1", 70)
    assert {h["line_id"] for h in got["hours"]} == {s.ids["L01"]}


def test_a_day_without_scans_is_empty_but_keeps_the_wip(factory: Factory) -> None:
    s = seed_figures(factory)
    d = s.client.get(f"{API}/lines/{s.ids['L01']}/dashboard?date=2026-03-12").json()
    assert (d["hours"], d["top_operators"], d["efficiency"], d["output_qty"]) == ([], [], None, 0)
    assert len(d["wip"]) == 4


def test_bad_dates_and_months_are_named(factory: Factory) -> None:
    s = seed_figures(factory)
    bad = s.client.get(f"{API}/lines/{s.ids['L01']}/dashboard?date=2026-13-01")
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "date"
    month = s.client.get(f"{API}/pay?month=2026-3")
    assert month.status_code == 422
    assert month.json()["error"]["details"][0]["field"] == "month"
    day = s.client.get(f"{API}/operators/{s.ids['W1']}/pay/days/yesterday")
    assert day.json()["error"]["details"][0]["field"] == "day"


@both_backends
def test_pay_statement_of_a_month(factory: Factory) -> None:
    s = seed_figures(factory)
    got = s.client.get(f"{API}/pay", params={"month": "2026-03"})
    assert got.status_code == 200, got.text
    body = got.json()
    rows = [
        (i["code"], i["totals"]["days"], i["totals"]["done_qty"], i["totals"]["pay"])
        for i in body["items"]
    ]
    # W1: 12.3350 + 2.5000; W2: 8.0000; February's and April's days left out
    assert rows == [("W1", 2, 80, "14.835"), ("W2", 1, 40, "8.00")]
    assert body["items"][0]["totals"]["earned_minutes"] == "125.00"
    assert body["totals"] == {
        "days": 3,
        "done_qty": 120,
        "earned_minutes": "185.00",
        "earned_e4": 1_850_000,
        "pay": "22.835",
        "pay_e4": 228_350,
    }
    searched = s.client.get(f"{API}/pay", params={"month": "2026-03", "q": "李"}).json()
    assert [i["code"] for i in searched["items"]] == ["W2"]
    assert searched["totals"]["pay"] == "8.00"
    paged = s.client.get(f"{API}/pay", params={"month": "2026-03", "limit": 1}).json()
    assert (paged["total"], paged["next_offset"], paged["totals"]["pay"]) == (2, 1, "22.835")
    assert s.client.get(f"{API}/pay?month=2025-03").json()["items"] == []


@both_backends
def test_operator_pay_by_day_and_a_day_s_operations(factory: Factory) -> None:
    s = seed_figures(factory)
    w1 = s.ids["W1"]
    month = s.client.get(f"{API}/operators/{w1}/pay?month=2026-03").json()
    assert [(d["day"], d["pay"]) for d in month["days"]] == [
        ("2026-03-10", "12.335"),
        ("2026-03-11", "2.50"),
    ]
    assert month["totals"]["pay_e4"] == 148_350
    day = s.client.get(f"{API}/operators/{w1}/pay/days/2026-03-10").json()
    lines = [(x["code"], x["qty"], x["rate"], x["amount"]) for x in day["lines"]]
    # figures_seed: 40 × 0.0350 and 30 × 0.3645 (one of them at local 00:05)
    assert lines == [("OP-010", 40, "0.0350", "1.40"), ("OP-020", 30, "0.3645", "10.935")]
    assert (day["pay"], day["pay_e4"]) == ("12.335", 123_350)  # equals OperatorDay's 12.3350
