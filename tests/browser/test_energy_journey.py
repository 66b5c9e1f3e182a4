"""Browser journey of energy management: an energy manager records readings, sees per piece.

The demo factory (yongfeng-apparel: line YF-L1 finished 240 garments this morning through the
seeded scans) gets an electricity meter on YF-L1 through the form (CT ratio 40). The energy
manager (the demo planner, a manager) records yesterday's and today's 08:00 readings, is told
which field is wrong when a figure drops, and opens the dashboard for YF-L1: the per-piece
chart (vendored ECharts) shows today's kWh per piece. Screenshots in Chinese and English land
in docs/screenshots/ for docs/energy.md.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from loom.apps.energy.app import HERE
from loom.apps.energy.service.times import local_today
from loom.demo import DEMO_PASSWORD
from loom.kernel.db.base import utcnow
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.shopfloor.engine.figures import day_window
from loom.testing.browser import open_page
from tests.browser.test_journeys import TIMEOUT_MS, browser, demo_app, log_in, serving

pytestmark = pytest.mark.browser
__all__ = ["browser"]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])
#: seed.py: 12 bundles of 20 pieces through all nine operations of YF-L1 this morning
MORNING_PIECES = 240
#: the chart's series as the live ECharts instance holds them
SERIES = """id => window.echarts.getInstanceByDom(document.getElementById(id))
    .getOption().series.map(s => s.data)"""


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot as docs/screenshots/energy-NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"energy-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the demo on its own database for this module."""
    # the seeded morning and today's reading are "today": do not straddle local midnight
    _, midnight = day_window(local_today())
    if midnight - utcnow() < timedelta(minutes=3):
        time.sleep((midnight - utcnow()).total_seconds() + 1)
    with serving(demo_app(tmp_path_factory.mktemp("energy-browser"))) as url:
        yield url


@pytest.fixture
def manager(browser: Browser, served: str) -> Iterator[Page]:
    """Return a page logged in as the demo factory's planner (a manager), in Chinese."""
    context = browser.new_context(
        base_url=served, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 2)
    page = open_page(context)
    page.goto("/login")
    log_in(page, "planner", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    yield page
    context.close()


def _read(page: Page, at: str, value: str) -> None:
    form = page.get_by_test_id("reading-form")
    form.locator("#f-at").fill(at)
    form.locator("#f-value").fill(value)
    form.get_by_test_id("save-reading").click()


def test_an_energy_manager_records_readings_and_sees_consumption_per_piece(manager: Page) -> None:
    page = manager
    page.goto("/apps/energy/meters")
    expect(page.locator("h1")).to_have_text(zh("Meters and readings"))
    expect(page.locator(".empty")).to_have_text(
        zh("No meters yet: add the factory's meters, then record their readings.")
    )
    page.get_by_test_id("new-meter").click()
    form = page.get_by_test_id("meter-form")
    form.locator("#f-code").fill("E-L1")
    form.locator("#f-name").fill("缝制一线电表")
    form.locator("#f-attached_to").select_option("line")
    line = [t for t in page.locator("#f-line_id option").all_inner_texts() if t.startswith("YF-L1")]
    form.locator("#f-line_id").select_option(label=line[0])
    form.locator("#f-multiplier").fill("40")
    form.get_by_test_id("save").click()
    expect(page.get_by_test_id("meter-facts")).to_contain_text("YF-L1")

    today = local_today()
    yesterday = today - timedelta(days=1)
    _read(page, f"{yesterday.isoformat()}T08:00", "1000")
    expect(page.get_by_test_id("saved")).to_be_visible()
    # a figure below yesterday's is refused, naming the field and the previous reading
    _read(page, f"{today.isoformat()}T08:00", "990")
    expect(page.get_by_test_id("error-value")).to_contain_text("1000")
    # 12.5 register units × 40 = 500 kWh from yesterday 08:00 to today 08:00
    _read(page, f"{today.isoformat()}T08:00", "1012.5")
    expect(page.get_by_test_id("reading-row")).to_have_count(2)
    shot(page, "meter-zh")

    page.get_by_test_id("energy-tabs").get_by_text(zh("Consumption")).click()
    page.locator("#f-line").select_option(label=line[0])
    page.get_by_test_id("span-form").get_by_role("button").click()
    expect(page.get_by_test_id("kwh-per-piece")).to_be_visible()
    # today: 8 of the interval's 24 hours = 166.67 kWh over the 240 garments of the morning
    kgce_per_piece, kwh_per_piece = page.evaluate(SERIES, "energy-per-piece")
    expected = 500 * 8 / 24 / MORNING_PIECES
    assert kwh_per_piece[-1] == pytest.approx(expected, abs=1e-4)
    assert kgce_per_piece[-1] == pytest.approx(expected * 0.1229, abs=1e-4)
    # yesterday had 333.3 kWh and no pieces: no per-piece figure rather than a false zero
    assert kwh_per_piece[-2] is None
    # the card covers the whole span (the last 30 days): all 500 kWh over the 240 garments
    expect(page.get_by_test_id("kwh-per-piece")).to_contain_text(f"{500 / MORNING_PIECES:.4f}")
    shot(page, "dashboard-zh")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("h1")).to_have_text("Energy consumption")
    expect(page.get_by_test_id("kwh-per-piece")).to_contain_text("kWh per piece")
    shot(page, "dashboard-en")
