"""The line dashboard page and its polled fragment, in Chinese and English."""

from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal
from typing import Any

import openpyxl

from loom.kernel.web.i18n import LOCALE_COOKIE, Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.shopfloor.app import HERE
from loom.testing.factory import Factory
from tests.modules.shopfloor.figures_seed import PAGES, seed_figures

CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def chart(page: str, chart_id: str) -> dict[str, Any]:
    """Return the ECharts option a page embeds for ``chart_id``."""
    found = re.search(rf'id="{chart_id}"[^>]*data-option=\'([^\']*)\'', page)
    assert found, f"no chart {chart_id}"
    option: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return option


def live_charts(page: str) -> dict[str, Any]:
    """Return the chart options the polled fragment carries."""
    found = re.search(r'id="line-live-charts"[^>]*data-charts=\'([^\']*)\'', page)
    assert found, "no chart data in the fragment"
    options: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return options


def test_dashboard_in_chinese_with_charts_and_tables(factory: Factory) -> None:
    s = seed_figures(factory)
    page = s.client.get(f"{PAGES}/lines", params={"line": s.ids["L01"], "date": "2026-03-10"})
    assert page.status_code == 200
    text = page.text
    assert zh("Line dashboard") in text
    assert zh("Garments finished per hour") in text
    assert "缝制一线" in text  # both lines in the picker
    assert "缝制二线" in text
    # figures_seed: 08:00, 09:00, (no scans at 10:00), 11:00
    output = chart(text, "line-output")
    assert output["xAxis"]["data"] == ["08:00", "09:00", "10:00", "11:00"]
    assert output["series"][0]["data"] == [10, 12, 0, 8]
    assert chart(text, "line-efficiency")["series"][0]["data"] == [37.5, 83.3, 0.0, 50.0]
    wip = chart(text, "line-wip")
    assert wip["xAxis"]["data"] == ["OP-010 合肩", "OP-020 上领", "OP-030 上袖", "OP-040 终检"]
    assert wip["series"][0]["data"] == [20, 25, 45, 5]
    assert text.count('data-testid="hour-row"') == 3
    assert "58.3%" in text  # the day's efficiency
    assert "175.00" in text  # and earned minutes
    rows = re.findall(r'data-testid="top-row"><td>([^<]*)</td>', text)
    assert rows == ["W1 王芳", "W2 李娜"]
    assert "63.9%" in text
    # a past day is not polled; its figures do not change by themselves
    assert "hx-trigger" not in text
    assert "/static/vendor/echarts-6.1.0.min.js" in text


def test_dashboard_in_english(factory: Factory) -> None:
    s = seed_figures(factory)
    s.client.cookies.set(LOCALE_COOKIE, "en")
    text = s.client.get(f"{PAGES}/lines?line={s.ids['L01']}&date=2026-03-10").text
    assert "Line dashboard" in text
    assert "Garments finished per hour" in text
    assert "Top operators" in text
    assert zh("Line dashboard") not in text
    assert chart(text, "line-output")["series"][0]["name"] == "Garments finished"


def test_today_polls_the_fragment_and_the_fragment_carries_the_charts(factory: Factory) -> None:
    s = seed_figures(factory)
    line = s.ids["L01"]
    text = s.client.get(f"{PAGES}/lines").text  # first line, today
    # today's screen asks for "today" each time, so it follows the clock past midnight
    assert f'hx-get="{PAGES}/lines/{line}/live"' in text
    assert 'hx-trigger="every 5s"' in text
    assert zh("No scans on this line on this day yet.") in text  # nothing seeded today
    fragment = s.client.get(f"{PAGES}/lines/{line}/live?date=2026-03-10")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text  # a fragment, not a page
    assert fragment.text.count('data-testid="hour-row"') == 3
    assert live_charts(fragment.text)["output"]["series"][0]["data"] == [10, 12, 0, 8]


def test_empty_states(factory: Factory) -> None:
    s = seed_figures(factory)
    line2 = s.client.get(f"{PAGES}/lines?line={s.ids['L02']}&date=2026-03-11").text
    assert zh("No scans on this line on this day yet.") in line2
    assert zh("Nobody has scanned on this line on this day.") in line2
    bare = factory.org("bare", "enterprise")
    factory.user("nina", (bare, "admin"))
    empty = factory.client("nina").get(f"{PAGES}/lines")
    assert empty.status_code == 200
    assert zh("No production lines yet: add a line in the master data first.") in empty.text


def test_a_bad_day_or_line_is_refused(factory: Factory) -> None:
    s = seed_figures(factory)
    assert s.client.get(f"{PAGES}/lines?date=10.03.2026").status_code == 422
    assert s.client.get(f"{PAGES}/lines?line=999999").status_code == 404
    assert s.client.get(f"{PAGES}/lines/99999999999/live").status_code == 404


def test_a_line_s_day_as_excel(factory: Factory) -> None:
    s = seed_figures(factory)
    got = s.client.get(f"{PAGES}/lines/{s.ids['L01']}/day.xlsx?date=2026-03-10")
    assert got.status_code == 200
    assert got.headers["content-disposition"] == 'attachment; filename="line-L01-2026-03-10.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(got.content))
    assert book.sheetnames == [
        zh("Hour by hour"),
        zh("Top operators"),
        zh("Work in progress by operation"),
    ]
    hours = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert hours[0][:2] == [zh("Hour"), zh("Garments finished")]
    # figures_seed: 09:00 has 12 garments, 50 pieces, 100 minutes, 2 operators, 83.3 %
    assert hours[2][:5] == ["09:00", 12, 50, 100, 2]
    assert Decimal(str(hours[2][5])) == Decimal("83.3")
    assert len(hours) == 4
    people = [[c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=2)]
    assert [(p[0], p[2], p[4], Decimal(str(p[5]))) for p in people] == [
        ("W1", 70, 3, Decimal("63.9")),
        ("W2", 40, 2, Decimal("50")),
    ]
    wip = [[c.value for c in row] for row in book.worksheets[2].iter_rows(min_row=2)]
    assert wip == [
        ["OP-010 合肩", 20],
        ["OP-020 上领", 25],
        ["OP-030 上袖", 45],
        ["OP-040 终检", 5],
    ]
