"""The dashboard and its drill-down pages in Chinese and English, charts and Excel export."""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from loom.kernel.db.session import session_scope
from loom.kernel.web.i18n import LOCALE_COOKIE
from loom.modules.programme.models import Enterprise
from loom.modules.programme.registry.creditcode import make_code
from loom.testing.factory import Factory
from tests.modules.programme.targets.helpers import PAGES, seed, zh


def chart(page: str, chart_id: str) -> dict[str, Any]:
    """Return the ECharts option a page embeds for ``chart_id``."""
    found = re.search(rf'id="{chart_id}"[^>]*data-option=\'([^\']*)\'', page)
    assert found, f"no chart {chart_id}"
    option: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return option


def row_ids(page: str) -> list[int]:
    """Return the ids of the drill-down rows, in page order."""
    return [int(i) for i in re.findall(r'data-testid="behind-row" data-id="(\d+)"', page)]


def test_dashboard_in_chinese_and_english(factory: Factory) -> None:
    s = seed(factory)
    page = s.client.get(f"{PAGES}/", params={"on": "2024-12-31"})
    assert page.status_code == 200
    text = page.text
    assert zh("Programme targets") in text
    assert text.count('data-testid="target-card"') == 14  # the plan's 14 targets
    assert text.count('data-testid="target-row"') == 14
    assert "完成第一批24家试点企业改造" in text  # the plan's own title of the target
    for msgid in ("Target met", "On track", "At risk", "Expected by now: %(value)s"):
        assert zh(msgid).split("%")[0] in text, msgid
    assert "40.0%" in text
    assert "80.0%" in text
    assert "/static/vendor/echarts-6.1.0.min.js" in text  # vendored, no CDN
    assert 'value="2024-12-31"' in text  # the date picker shows the day
    s.client.cookies.set(LOCALE_COOKIE, "en")
    english = s.client.get(f"{PAGES}/", params={"on": "2025-01-01"}).text
    assert "Programme targets" in english
    assert "Target missed" in english
    assert "At the deadline: 4" in english
    assert zh("Programme targets") not in english


def test_charts_carry_the_figures(factory: Factory) -> None:
    s = seed(factory)
    text = s.client.get(f"{PAGES}/", params={"on": "2025-06-30"}).text
    shares = chart(text, "kpi-shares")
    assert shares["yAxis"]["data"] == [
        "行业规上企业数字化水平二级及以上占比达90%",
        "行业规上企业上云用云覆盖率达90%",
    ]
    # 3/5 and 4/5 of the above-scale apparel enterprises, against the plan's 90%
    assert [s["data"] for s in shares["series"]] == [[60.0, 80.0], [90.0, 90.0]]
    pilots = chart(text, "kpi-pilots")
    assert pilots["yAxis"]["data"] == [
        "第一批 · 运动休闲服装",
        "第一批 · 家用电器",
        "第二批 · 运动休闲服装",
        "第二批 · 新能源汽车零部件",
    ]
    assert [s["data"] for s in pilots["series"]] == [[4, 1, 0, 0], [23, 1, 25, 6]]
    counts = chart(text, "kpi-counts")
    assert len(counts["yAxis"]["data"]) == 12  # every count target; the two shares apart
    assert counts["series"][0]["data"][0] == 5  # batch 1: five accepted by mid-2025


def test_drill_down_lists_exactly_the_rows_behind_a_figure(factory: Factory) -> None:
    s = seed(factory)
    p, e, pr = s.projects, s.enterprises, s.products
    batch1 = s.client.get(f"{PAGES}/targets/batch-1-pilots", params={"on": "2025-06-30"}).text
    # by the day each counts from: P1 06-15, P2 09-30, P4 and P3 on 12-31 (by id), P5 in 2025
    assert row_ids(batch1) == [p["P1"], p["P2"], p["P3"], p["P4"], p["P5"]]
    assert batch1.count('data-testid="late"') == 1
    assert f'href="/apps/programme/projects/{p["P5"]}"' in batch1
    assert "hs-bureau-E4 服饰有限公司" in batch1  # P5's enterprise
    level2 = s.client.get(f"{PAGES}/targets/level2-share", params={"on": "2025-06-30"}).text
    # the counted ones first (E1 2024-05-01, E2 2024-08-01, E5 2025-03-01), then the others
    assert row_ids(level2) == [e["E1"], e["E2"], e["E5"], e["E3"], e["E4"]]
    assert f'href="/apps/programme/registry/{e["E1"]}"' in level2
    products = s.client.get(f"{PAGES}/targets/products", params={"on": "2025-06-30"}).text
    assert row_ids(products) == [pr["A"], pr["B"], pr["C"]]
    assert f'href="/apps/programme/products/{pr["A"]}"' in products
    assert "hs 数智科技" in products
    searched = s.client.get(
        f"{PAGES}/targets/level2-share", params={"on": "2025-06-30", "q": "e5"}
    ).text
    assert row_ids(searched) == [e["E5"]]
    nothing = s.client.get(f"{PAGES}/targets/batch-2-pilots", params={"on": "2025-06-30"}).text
    assert zh("Nothing counts towards this target yet.") in nothing


def test_drill_down_paginates(factory: Factory) -> None:
    s = seed(factory)
    with session_scope(factory.runtime.session_factory) as session:
        for n in range(30):
            session.add(
                Enterprise(
                    org_id=s.bureau.id,
                    name=f"云上服饰{n:02d}",
                    credit_code=make_code(f"91330203MA3{n:05d}"),
                    sector="apparel",
                    size="above",
                    cloud=True,
                )
            )
    url = f"{PAGES}/targets/cloud-share"
    first = s.client.get(url, params={"on": "2024-12-31"}).text
    assert len(row_ids(first)) == 25  # PAGE_SIZE
    second = s.client.get(url, params={"on": "2024-12-31", "offset": 25}).text
    # 35 above-scale apparel enterprises in all: E1–E5 and the 30 added
    assert len(row_ids(second)) == 10
    assert set(row_ids(first)).isdisjoint(row_ids(second))
    assert "on=2024-12-31" in second  # the pages keep the day


def test_unknown_target_and_bad_day(factory: Factory) -> None:
    s = seed(factory)
    missing = s.client.get(f"{PAGES}/targets/no-such-target")
    assert missing.status_code == 404
    assert zh("Target %(id)s not found", id="no-such-target") in missing.text
    bad = s.client.get(f"{PAGES}/", params={"on": "2024-02-30"})
    assert bad.status_code == 422
    assert zh("on: a date written YYYY-MM-DD, got %(value)s", value="2024-02-30") in bad.text


def test_excel_export_of_the_dashboard_table(factory: Factory) -> None:
    s = seed(factory)
    response = s.client.get(f"{PAGES}/targets.xlsx", params={"on": "2025-01-01"})
    assert response.status_code == 200
    assert "targets-2025-01-01.xlsx" in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert isinstance(sheet, Worksheet)
    assert sheet.title == zh("Targets")
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == zh("Programme target")
    by_target = {row[0]: row for row in rows[1:]}
    assert len(by_target) == 14
    batch1 = by_target["batch-1-pilots"]
    # actual, count, population, value at the deadline, expected, status, days left
    assert batch1[7:14] == ("4", 4, None, "4", "24", zh("Target missed"), -1)
    level2 = by_target["level2-share"]
    assert (level2[5], level2[7], level2[8], level2[9]) == ("90%", "40.0%", 2, 5)
    pilots = list(book.worksheets[1].iter_rows(values_only=True))
    assert pilots[1] == ("第一批", zh("Sportswear and leisure apparel"), 3, 23)


def test_excel_export_of_the_rows_behind_a_figure(factory: Factory) -> None:
    s = seed(factory)
    url = f"{PAGES}/targets/batch-1-pilots/rows.xlsx"
    response = s.client.get(url, params={"on": "2025-06-30"})
    assert response.status_code == 200
    assert "batch-1-pilots-2025-06-30.xlsx" in response.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    p = s.projects
    assert [row[0] for row in rows[1:]] == [p["P1"], p["P2"], p["P3"], p["P4"], p["P5"]]
    # only P5 was accepted after batch 1's deadline
    assert [row[10] for row in rows[1:]] == [None, None, None, None, zh("yes")]
    assert rows[1][2] == "hs-bureau-E1 服饰有限公司"
    missing = s.client.get(f"{PAGES}/targets/nope/rows.xlsx")
    assert missing.status_code == 404
