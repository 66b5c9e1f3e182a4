"""In a real browser: the line dashboard refreshes its figures and charts without reloading.

Runs headless chromium against uvicorn (see tests/browser). Scans arriving while the page is
open (counter rows written straight to the database here) must show up through the HTMX poll,
with the same ECharts instances updated in place and no full-page reload.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from sqlalchemy import update

from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.modules.shopfloor.engine.events import hour_of
from loom.modules.shopfloor.engine.figures import day_window, local_today
from loom.modules.shopfloor.models import LineHour, OperatorHour
from loom.testing.factory import TEST_PASSWORD, Factory

# ``browser`` is the journeys' module-scoped chromium fixture, reused here
from tests.browser.test_journeys import browser as browser
from tests.browser.test_journeys import log_in, screenshot, serving
from tests.modules.shopfloor.figures_seed import PAGES, quarantine_entries, seed_figures
from tests.modules.shopfloor.pages.test_dashboard_pages import zh

pytestmark = pytest.mark.browser

OPTION_OF = """id => window.echarts.getInstanceByDom(document.getElementById(id))
    .getOption().series[0].data"""


def _this_hour() -> datetime:
    """Return the current UTC hour, waiting out the last seconds before local midnight."""
    now = utcnow()
    _, end = day_window(local_today(now))
    if end - now < timedelta(seconds=40):
        time.sleep((end - now).total_seconds() + 1)  # never straddle local midnight
    return hour_of(utcnow())


def test_the_dashboard_polls_and_updates_its_charts_in_place(
    loom_app: FastAPI, factory: Factory, browser: Browser
) -> None:
    s = seed_figures(factory)
    line, hour = s.ids["L01"], _this_hour()
    with session_scope(factory.runtime.session_factory) as db:
        db.add(LineHour(org_id=s.org.id, line_id=line, hour=hour, output_qty=5, done_qty=9))
        db.add(
            OperatorHour(
                org_id=s.org.id, operator_id=s.ids["W1"], hour=hour, line_id=line, done_qty=9
            )
        )
    with serving(loom_app) as url:
        context = browser.new_context(base_url=url, locale="zh-CN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto("/login")
        log_in(page, "gina", TEST_PASSWORD)
        page.goto(f"{PAGES}/lines?line={line}")
        expect(page.locator("h1")).to_have_text(zh("Line dashboard"))
        expect(page.locator("#line-output canvas")).to_have_count(1)
        assert page.evaluate(OPTION_OF, "line-output") == [5]
        page.evaluate("window.notReloaded = true")
        with session_scope(factory.runtime.session_factory) as db:
            db.execute(
                update(LineHour)
                .where(LineHour.org_id == s.org.id, LineHour.hour == hour)
                .values(output_qty=12)
            )
        first_cell = page.locator('[data-testid="hour-row"] td:nth-child(2)').first
        expect(first_cell).to_have_text("12", timeout=20_000)  # within a poll or two, even loaded
        assert page.evaluate(OPTION_OF, "line-output") == [12]
        assert page.evaluate("window.notReloaded") is True
        expect(page.locator("#line-output canvas")).to_have_count(1)
        screenshot(page, "shopfloor-line-dashboard-zh")
        context.close()


def test_a_pay_day_opens_its_operations_and_discard_asks_first(
    loom_app: FastAPI, factory: Factory, browser: Browser
) -> None:
    s = seed_figures(factory)
    entries = quarantine_entries(factory, s)
    with serving(loom_app) as url:
        context = browser.new_context(base_url=url, locale="zh-CN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto("/login")
        log_in(page, "gina", TEST_PASSWORD)
        page.goto(f"{PAGES}/pay/operators/{s.ids['W1']}?month=2026-03")
        day = page.locator('[data-testid="day-row"][data-day="2026-03-10"]')
        expect(day.get_by_test_id("detail-row")).to_have_count(0)
        day.locator("summary").click()
        # loaded by HTMX when opened: figures_seed's two operations of W1's 03-10
        expect(day.get_by_test_id("detail-row")).to_have_count(2)
        expect(day.get_by_test_id("detail-row").nth(1)).to_contain_text("10.935")
        screenshot(page, "shopfloor-pay-operator-zh")
        page.goto(f"{PAGES}/pay?month=2026-03")
        screenshot(page, "shopfloor-pay-statement-zh")
        page.goto(f"{PAGES}/quarantine")
        row = page.locator(f'[data-testid="quarantine-row"][data-id="{entries["bundle"]}"]')
        page.once("dialog", lambda dialog: dialog.dismiss())  # say no: nothing happens
        row.get_by_test_id("discard-form").locator("button").click()
        expect(page.get_by_test_id("quarantine-row")).to_have_count(3)
        page.once("dialog", lambda dialog: dialog.accept())
        row.get_by_test_id("discard-form").locator("button").click()
        expect(page.get_by_test_id("done")).to_have_text(zh("The scan was discarded."))
        expect(page.get_by_test_id("quarantine-row")).to_have_count(2)
        screenshot(page, "shopfloor-quarantine-zh")
        context.close()
