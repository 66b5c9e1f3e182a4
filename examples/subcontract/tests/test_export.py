"""The Excel download holds the filtered job list."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.helpers import PAGES, add_receipt, create_job


def test_export_contains_the_filtered_rows(admin: TestClient) -> None:
    hengli = create_job(admin, partner="Hengli Embroidery", reference="ST-1", qty_sent=100)
    add_receipt(admin, hengli["id"], received=70, defective=4)
    create_job(admin, partner="Hengli Print", reference="ST-2", process="printing", qty_sent=50)
    create_job(admin, partner="Blue Wash", reference="DN-9", process="washing", qty_sent=20)

    response = admin.get(f"{PAGES}/jobs.xlsx", params={"q": "hengli"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response.headers["content-disposition"]

    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "外协厂", "工艺", "款号或订单号")
    assert len(rows) == 3  # header + the two Hengli jobs; Blue Wash is filtered out
    by_reference = {row[3]: row for row in rows[1:]}
    embroidery = by_reference["ST-1"]
    assert embroidery[0] == hengli["id"]
    assert embroidery[1:3] == ("Hengli Embroidery", "绣花")
    # openpyxl reads date cells back as datetimes at midnight
    assert embroidery[4] == datetime(2026, 3, 2)
    # 100 sent, 70 good + 4 defective back, 100 - 74 = 26 out; due 2026-03-09: overdue.
    assert embroidery[7:12] == (100, 70, 4, 26, "是")
    assert by_reference["ST-2"][7:12] == (50, 0, 0, 50, "是")


def test_export_follows_the_status_filter(admin: TestClient) -> None:
    create_job(admin, reference="OPEN-1")
    closed = create_job(admin, reference="SHUT-1")
    admin.patch(f"/api/v1/subcontract/jobs/{closed['id']}", json={"status": "closed"})
    response = admin.get(f"{PAGES}/jobs.xlsx", params={"status": "closed"})
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[6], row[11]) for row in rows] == [("SHUT-1", "已结单", None)]
