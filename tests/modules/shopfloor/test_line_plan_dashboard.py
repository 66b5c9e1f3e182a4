"""The line dashboard shows who does what under a published plan, planned against actual."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import Role
from loom.kernel.web.i18n import LOCALE_COOKIE, Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.shopfloor.app import HERE
from loom.modules.shopfloor.service import figures_line
from loom.testing.factory import Factory
from tests.modules.shopfloor.ingest.support import T0
from tests.modules.shopfloor.test_line_plan_scans import PlannedPlant, planned_plant

CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])
#: T0 is 09:15 on 2026-03-02 in Beijing
DAY = date(2026, 3, 2)


def _scanned(factory: Factory) -> tuple[PlannedPlant, TestClient]:
    p = planned_plant(factory)
    last = len(p.plant.sample.operations) - 1
    answer = p.plant.post(
        [
            p.scan(0, 0, who=0),
            p.scan(1, 0, who=0, ts=T0 + timedelta(minutes=5)),
            p.scan(0, 1, who=1, ts=T0 + timedelta(minutes=10)),
            p.scan(0, last, who=last, ts=T0 + timedelta(minutes=20)),
        ]
    )
    assert answer["quarantined"] == 0
    factory.user("sam", (p.plant.org, Role.ADMIN))
    return p, factory.client("sam")


def _rows(page: str) -> list[list[str]]:
    rows = re.findall(r'<tr data-testid="plan-row">(.*?)</tr>', page, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        for r in rows
    ]


def test_the_service_compares_the_plan_with_the_hour(factory: Factory) -> None:
    p, _client = _scanned(factory)
    with p.plant.session() as s:
        day = figures_line.line_day(s, p.scope(), p.plant.sample.lines[0], DAY)
    assert day.plan is not None
    # cycle time 7,000 e4 → 600,000 / 7,000 = 600/7 garments per hour
    assert day.plan.planned_output is not None
    assert day.plan.planned_output * 7 == 600
    assert day.plan.hour_label == "09:00"  # the day's last hour with scans (not today)
    assert day.plan.actual_output == 20  # bundle 0 (20 pieces) done at the final operation
    actual = [row.actual_qty for row in day.plan.stations]
    # operator 0: bundles 0 and 1 (40 pieces); operator 1: 20; the last operator: 20
    assert actual == [40, 20, 0, 0, 0, 0, 0, 0, 20]
    assert [row.planned_qty for row in day.plan.stations] == [day.plan.planned_output] * 9


def test_the_dashboard_shows_who_does_what_in_english_and_chinese(factory: Factory) -> None:
    p, client = _scanned(factory)
    line = p.plant.sample.lines[0]
    url = f"/apps/shopfloor/lines?line={line}&date={DAY.isoformat()}"
    page = client.get(url).text
    assert CATALOGUES.gettext("zh_CN", "Who does what") in page
    assert CATALOGUES.gettext("zh_CN", "Pieces in hour %(hour)s") % {"hour": "09:00"} in page
    client.cookies.set(LOCALE_COOKIE, "en")
    page = client.get(url).text
    assert "Who does what" in page
    assert "Plan version 1 for style PLA-TEE" in page
    rows = _rows(page)
    assert len(rows) == 9
    # station, operator, operations, planned 600/7 ≈ 85.7 pieces, actual pieces in 09:00
    assert rows[0] == ["1", f"{p.codes[0]} 工{p.codes[0]}", "PLA-T10 合肩", "85.7", "40"]
    assert rows[1][4] == "20"
    # the polled fragment carries the same panel, so a wall screen stays current
    live = client.get(f"/apps/shopfloor/lines/{line}/live?date={DAY.isoformat()}").text
    assert _rows(live) == rows


def test_a_line_without_a_plan_shows_no_panel(factory: Factory) -> None:
    p, client = _scanned(factory)
    other = p.plant.sample.lines[1]
    page = client.get(f"/apps/shopfloor/lines?line={other}&date={DAY.isoformat()}").text
    assert 'data-testid="plan-panel"' not in page
    first = client.get(f"/apps/shopfloor/lines?line={p.plant.sample.lines[0]}&date={DAY}").text
    assert 'data-testid="plan-panel"' in first
