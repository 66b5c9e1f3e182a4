"""Browser journey of equipment management: a maintenance lead serves an overdue machine and
reads OEE per line with the downtime Pareto.

The demo factory (yongfeng-apparel) gets the equipment seed (service/seed.py): eight machines
on YF-L1/YF-L2, a monthly lockstitch plan whose service at YF-L1-M01 is a day overdue, a
week of spot inspections and yesterday's shift of telemetry stored through the telemetry
channel's handler (the function HTTP and MQTT ingest call). The lead (the demo "planner", a
manager) opens the overdue work order from the due list, starts it, closes it with downtime
and parts, then opens yesterday's OEE: one block per line with its total and the Pareto
chart drawn by ECharts. Screenshots (zh and en) land in docs/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from loom.apps.equipment.app import HERE
from loom.apps.equipment.models.maintenance import WorkOrder
from loom.apps.equipment.service.maintenance_common import factory_today
from loom.apps.equipment.service.seed import seed_equipment
from loom.demo import DEMO_PASSWORD
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Organisation
from loom.kernel.web.i18n import LOCALE_COOKIE, Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.testing.browser import open_page
from tests.browser.test_journeys import TIMEOUT_MS, browser, demo_app, log_in, serving

pytestmark = pytest.mark.browser
__all__ = ["browser"]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])
DUE = "/apps/equipment/maintenance"
ORG = "yongfeng-apparel"
#: seed.py HISTORY: YF-L1-M01 was last served 31 days ago on a 30-day plan
OVERDUE_MACHINE = "YF-L1-M01"
#: the pareto chart's bars, read from its live ECharts instance
CHART_BARS = """() => window.echarts.getInstanceByDom(document.getElementById('oee-pareto-chart'))
    .getOption().series[0].data.length"""


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def shot(page: Page, name: str) -> None:
    """Save a screenshot as docs/screenshots/equipment-NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"equipment-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    """Serve the demo with the equipment seed on its own database."""
    app = demo_app(tmp_path_factory.mktemp("equipment-browser"))
    with session_scope(app.state.loom.session_factory) as session:
        org = session.scalars(select(Organisation).where(Organisation.slug == ORG)).one()
        # None when the demo seed already calls it: the same data either way
        seed_equipment(session, org, today=factory_today())
    with serving(app) as url:
        yield app, url


@pytest.fixture
def lead(browser: Browser, served: tuple[FastAPI, str]) -> Iterator[Page]:
    """Return a page logged in as the demo's manager (zh-CN, the default language)."""
    context = browser.new_context(
        base_url=served[1], locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 3)
    page = open_page(context)
    page.goto("/login")
    log_in(page, "planner", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    yield page
    context.close()


def _order(app: FastAPI, number: str) -> WorkOrder:
    with session_scope(app.state.loom.session_factory) as session:
        row = session.scalars(select(WorkOrder).where(WorkOrder.number == number)).one()
        session.expunge(row)
        return row


def test_a_maintenance_lead_closes_an_overdue_order_and_reads_oee(
    lead: Page, served: tuple[FastAPI, str]
) -> None:
    app, url = served
    page = lead
    page.goto(DUE)
    expect(page.locator("h1")).to_have_text(zh("Maintenance due"))
    # YF-L1-M01 (a day overdue) and YF-L1-M02 (due in five days) have no work order yet
    expect(page.get_by_test_id("due-badge")).to_have_text("2")
    row = page.get_by_test_id("due-row").filter(has_text=OVERDUE_MACHINE)
    expect(row).to_contain_text(zh("Past due"))
    expect(row).to_contain_text(zh("overdue by %(n)s d", n=1))
    shot(page, "due-zh")
    row.get_by_test_id("open-order").click()

    expect(page.get_by_test_id("order-status")).to_have_text(zh("Not started"))
    number = page.get_by_test_id("order-title").inner_text().split()[1]
    page.locator("#f-start-assignee").fill("王师傅")
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("order-status")).to_have_text(zh("Under way"))
    form = page.get_by_test_id("close-form")
    form.locator("#f-downtime_minutes").fill("abc")
    form.get_by_test_id("close").click()
    # the bad field is named and nothing is closed
    expect(page.get_by_test_id("error-downtime_minutes")).to_be_visible()
    expect(page.get_by_test_id("order-status")).to_have_text(zh("Under way"))
    form = page.get_by_test_id("close-form")
    form.locator("#f-downtime_minutes").fill("45")
    form.locator("#f-parts").fill("缝纫机油 100 ml × 1\n机针 DBx1 #14 × 2")
    form.locator("#f-resolution").fill("清洁加油，更换机针")
    form.get_by_test_id("close").click()
    expect(page.get_by_test_id("order-status")).to_have_text(zh("Closed"))
    expect(page.get_by_test_id("downtime")).to_have_text("45")
    shot(page, "order-zh")
    stored = _order(app, number)
    assert (stored.status, stored.downtime_minutes) == ("closed", 45)
    assert stored.parts == [
        {"part": "缝纫机油 100 ml", "qty": 1},
        {"part": "机针 DBx1 #14", "qty": 2},
    ]

    # served today: only YF-L1-M02 is left on the badge
    page.goto(DUE)
    expect(page.get_by_test_id("due-badge")).to_have_text("1")
    served_row = page.get_by_test_id("due-row").filter(has_text=OVERDUE_MACHINE)
    expect(served_row).to_contain_text(zh("Planned"))

    # yesterday's full shift of telemetry: OEE per line and the downtime Pareto
    yesterday = (factory_today() - timedelta(days=1)).isoformat()
    page.goto(f"/apps/equipment/oee?date={yesterday}")
    expect(page.get_by_test_id("oee-line")).to_have_count(2)
    totals = page.get_by_test_id("oee-line-total")
    expect(totals).to_have_count(2)
    for n in range(2):
        oee = totals.nth(n).locator("td").last.inner_text().strip()
        assert oee.endswith("%"), oee
        assert 0 < float(oee.rstrip("%")) <= 100
    expect(page.locator("#oee-pareto-chart canvas")).to_be_visible()
    assert page.evaluate(CHART_BARS) >= 1
    shot(page, "oee-zh")

    page.context.add_cookies([{"name": LOCALE_COOKIE, "value": "en", "url": url}])
    page.goto(DUE)
    expect(page.locator("h1")).to_have_text("Maintenance due")
    shot(page, "due-en")
    page.goto(f"/apps/equipment/maintenance/orders?q={number}")
    expect(page.get_by_test_id("order-status")).to_have_text("Closed")
    page.goto(f"/apps/equipment/oee?date={yesterday}")
    expect(page.get_by_test_id("oee-pareto")).to_contain_text("Downtime Pareto")
    shot(page, "oee-en")
