"""The Excel export of a plan: figures, stations and violations, headed in the page's language."""

from __future__ import annotations

import io

import openpyxl
from fastapi.testclient import TestClient

from tests.apps.balancing.helpers import API, Shop, create_plan, station_of


def _book(client: TestClient, plan_id: int) -> openpyxl.Workbook:
    response = client.get(f"{API}/plans/{plan_id}/export.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert f"balancing-plan-{plan_id}-" in response.headers["content-disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_workbook_holds_the_figures_and_stations(admin: TestClient, shop: Shop) -> None:
    plan = create_plan(admin, shop)
    book = _book(admin, plan["id"])
    assert book.sheetnames == ["平衡方案", "工位", "违规"]  # Chinese by default
    summary = {row[0]: row[1] for row in book["平衡方案"].iter_rows(values_only=True)}
    assert summary["方案名称"] == "T-01 at 100/h"
    assert summary["款式"] == "T-01 T恤"
    assert summary["节拍（分钟）"] == 0.6  # 6000 e4
    assert summary["员工人数"] == 4
    assert summary["瓶颈工时（分钟）"] == 0.6
    assert summary["平衡率"] == 0.75
    assert summary["小时产量"] == 100
    assert summary["违规"] == 0
    rows = list(book["工位"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    by_operation = {row[3].split()[0]: row for row in rows}
    d = by_operation["OP-D"]
    # station, operator, machine, operation, parts, time, load, idle
    assert d[0] == station_of(plan, shop.ops["D"])
    assert d[1].startswith("E1")
    assert d[2] == "lockstitch"
    assert d[4:] == (1, 0.6, 0.6, 0)
    assert by_operation["OP-A"][5:] == (0.4, 0.4, 0.2)  # idle 0.6 − 0.4
    assert list(book["违规"].iter_rows(min_row=2, values_only=True)) == []


def test_violations_are_listed_and_english_headings_follow_the_language(
    admin: TestClient, shop: Shop
) -> None:
    plan = create_plan(admin, shop, line=False)
    where_b = station_of(plan, shop.ops["B"])
    move = {"op": "move", "station": where_b, "task_id": shop.ops["B"], "to_station": 1}
    admin.post(f"{API}/plans/{plan['id']}/edits", json=move)
    admin.cookies.set("loom_lang", "en")
    book = _book(admin, plan["id"])
    assert book.sheetnames == ["Balancing plan", "Stations", "Violations"]
    summary = {row[0]: row[1] for row in book["Balancing plan"].iter_rows(values_only=True)}
    assert summary["Production line"] == "anonymous operators"
    assert summary["Bottleneck (min)"] == 0.9  # A + B on station 1
    broken = list(book["Violations"].iter_rows(min_row=2, values_only=True))
    assert broken == [
        (1, "Station 1 is loaded above the cycle time.", broken[0][2]),
    ]
    assert "above the cycle time" in broken[0][2]  # the engine's own sentence
