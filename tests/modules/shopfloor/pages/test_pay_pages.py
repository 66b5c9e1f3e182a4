"""The pay statement pages and their Excel export, checked cell by cell."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.testing.factory import Factory
from tests.modules.shopfloor.figures_seed import PAGES, seed_figures
from tests.modules.shopfloor.pages.test_dashboard_pages import zh


def test_statement_in_chinese(factory: Factory) -> None:
    s = seed_figures(factory)
    page = s.client.get(f"{PAGES}/pay?month=2026-03")
    assert page.status_code == 200
    text = page.text
    assert zh("Piece-rate pay %(month)s", month="2026-03") in text
    amounts = re.findall(r'data-testid="pay-amount">([^<]*)<', text)
    assert amounts == ["14.835", "8.00"]  # figures_seed: W1 and W2 in March
    total = re.search(r'data-testid="pay-total">(.*?)</tr>', text, re.S)
    assert total is not None
    assert "22.835" in total.group(1)
    assert "185.00" in total.group(1)
    assert 'href="?month=2026-02"' in text
    assert 'href="?month=2026-04"' in text
    assert '<input type="hidden" name="month" value="2026-03">' in text  # search keeps the month
    searched = s.client.get(f"{PAGES}/pay?month=2026-03&q=W2").text
    assert re.findall(r'data-testid="pay-amount">([^<]*)<', searched) == ["8.00"]
    april = s.client.get(f"{PAGES}/pay?month=2026-05").text
    assert zh("No pay recorded in this month.") in april


def test_statement_in_english(factory: Factory) -> None:
    s = seed_figures(factory)
    s.client.cookies.set(LOCALE_COOKIE, "en")
    text = s.client.get(f"{PAGES}/pay?month=2026-03").text
    assert "Piece-rate pay 2026-03" in text
    assert "Month total, all operators" in text
    assert zh("Month total, all operators") not in text


def test_operator_days_and_a_day_s_operations(factory: Factory) -> None:
    s = seed_figures(factory)
    w1 = s.ids["W1"]
    text = s.client.get(f"{PAGES}/pay/operators/{w1}?month=2026-03").text
    assert re.findall(r'data-testid="day-pay">([^<]*)<', text) == ["12.335", "2.50"]
    assert f'hx-get="{PAGES}/pay/operators/{w1}/days/2026-03-10"' in text
    assert 'data-testid="detail-row"' not in text  # loaded when a day is opened
    opened = s.client.get(f"{PAGES}/pay/operators/{w1}?month=2026-03&day=2026-03-10").text
    rows = re.findall(r'data-testid="detail-row">(.*?)</tr>', opened, re.S)
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]
    # figures_seed: 40 × 0.0350 = 1.40 and 30 × 0.3645 = 10.935
    assert cells == [
        ["OP-010 合肩", "40", "0.0350", "1.40"],
        ["OP-020 上领", "30", "0.3645", "10.935"],
    ]
    fragment = s.client.get(f"{PAGES}/pay/operators/{w1}/days/2026-03-10").text
    assert fragment.count('data-testid="detail-row"') == 2
    assert "<html" not in fragment
    none = s.client.get(f"{PAGES}/pay/operators/{w1}/days/2026-03-20").text
    assert zh("No applied scans on this day.") in none


def _sheet(book: openpyxl.Workbook, index: int) -> Worksheet:
    sheet = book.worksheets[index]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_excel_export_cell_by_cell(factory: Factory) -> None:
    s = seed_figures(factory)
    got = s.client.get(f"{PAGES}/pay.xlsx?month=2026-03")
    assert got.status_code == 200
    assert got.headers["content-disposition"] == 'attachment; filename="pay-2026-03.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(got.content))
    summary, by_day = _sheet(book, 0), _sheet(book, 1)
    assert summary.title == zh("Pay statement %(month)s", month="2026-03")
    rows = [[c.value for c in row] for row in summary.iter_rows()]
    assert rows[0] == [
        zh(h)
        for h in (
            "Badge code",
            "Operator",
            "Days worked",
            "Pieces done",
            "Earned minutes",
            "Pay (CNY)",
        )
    ]

    # exact decimals: compare through str so a float would show its error
    def exact(value: object) -> Decimal:
        return Decimal(str(value))

    assert rows[1][:4] == ["W1", "王芳", 2, 80]
    assert (exact(rows[1][4]), exact(rows[1][5])) == (Decimal("125"), Decimal("14.835"))
    assert rows[2][:4] == ["W2", "李娜", 1, 40]
    assert (exact(rows[2][4]), exact(rows[2][5])) == (Decimal("60"), Decimal("8"))
    assert rows[3][:4] == [zh("Total"), None, 3, 120]
    assert (exact(rows[3][4]), exact(rows[3][5])) == (Decimal("185"), Decimal("22.835"))
    assert len(rows) == 4
    assert summary.cell(row=2, column=6).number_format == "#,##0.00##"
    days = [[c.value for c in row] for row in by_day.iter_rows(min_row=2)]
    assert [(r[0], r[2], r[3], exact(r[5])) for r in days] == [
        ("W1", datetime(2026, 3, 10), 70, Decimal("12.335")),
        ("W1", datetime(2026, 3, 11), 10, Decimal("2.5")),
        ("W2", datetime(2026, 3, 10), 40, Decimal("8")),
    ]


def test_excel_headers_in_english(factory: Factory) -> None:
    s = seed_figures(factory)
    s.client.cookies.set(LOCALE_COOKIE, "en")
    book = openpyxl.load_workbook(
        io.BytesIO(s.client.get(f"{PAGES}/pay.xlsx?month=2026-03").content)
    )
    assert _sheet(book, 0).title == "Pay statement 2026-03"
    assert _sheet(book, 1)["F1"].value == "Pay (CNY)"
