"""Browser journey of production scheduling: a planner schedules a week of orders.

The demo factory (yongfeng-apparel: style YF-TEE, lines YF-L1/YF-L2 with 12 operators each
and two seeded orders due in 2030) gets four more orders of YF-TEE due within the week. The
planner plans them through the form, sees the Gantt chart (one bar per allocation, drawn by
ECharts) and the weekly load, adopts the plan, inserts a rush order far beyond a day's
capacity and sees its cost in late days. Screenshots (zh and en) land in docs/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from loom.apps.scheduling.app import HERE
from loom.apps.scheduling.models.plans import SchedulePlan
from loom.apps.scheduling.service.plans import today
from loom.demo import DEMO_PASSWORD
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Organisation
from loom.kernel.web.i18n import LOCALE_COOKIE, Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.masterdata.models import Style
from loom.modules.shopfloor.service import orders
from loom.testing.browser import open_page
from tests.browser.test_journeys import TIMEOUT_MS, browser, demo_app, log_in, serving

pytestmark = pytest.mark.browser
__all__ = ["browser"]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])
PLANS = "/apps/scheduling/plans"
ORG = "yongfeng-apparel"
#: (number, pieces, due in days from today): a week of orders on top of the two seeded ones
WEEK = (("WK-1", 600, 1), ("WK-2", 900, 2), ("WK-3", 400, 3), ("WK-4", 800, 5))
#: far beyond what both lines sew in a day, due on the plan's first day: surely late
RUSH_PIECES = 20_000


def zh(msgid: str) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text


def shot(page: Page, name: str) -> None:
    """Save a screenshot as docs/screenshots/scheduling-NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"scheduling-{name}.png"), full_page=True)


def _seed_week(app: FastAPI) -> None:
    with session_scope(app.state.loom.session_factory) as session:
        org = session.scalars(select(Organisation).where(Organisation.slug == ORG)).one()
        scope = system_scope(org.id, org.kind, "journey")
        bind_scope(session, scope)
        style = session.scalars(select(Style).where(Style.code == "YF-TEE")).one()
        colour, size = style.colours[0], style.sizes[0]
        for number, pieces, days in WEEK:
            data = orders.OrderIn(
                number=number,
                style_id=style.id,
                due_date=today() + timedelta(days=days),
                quantities={colour: {size: pieces}},
            )
            orders.create(session, scope, data)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    """Serve the demo with a week of extra orders on its own database."""
    app = demo_app(tmp_path_factory.mktemp("scheduling-browser"))
    _seed_week(app)
    with serving(app) as url:
        yield app, url


@pytest.fixture
def planner(browser: Browser, served: tuple[FastAPI, str]) -> Iterator[Page]:
    """Return a page logged in as the demo factory (zh-CN, the default language)."""
    context = browser.new_context(
        base_url=served[1], locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 3)
    page = open_page(context)
    page.goto("/login")
    log_in(page, "factory", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    yield page
    context.close()


def _late_days(app: FastAPI, plan_id: int) -> int:
    with session_scope(app.state.loom.session_factory) as session:
        row = session.get(SchedulePlan, plan_id)
        assert row is not None
        return row.late_days


def test_a_planner_schedules_a_week_and_prices_a_rush_order(
    planner: Page, served: tuple[FastAPI, str]
) -> None:
    app, _ = served
    page = planner
    page.goto(PLANS)
    expect(page.locator("h1")).to_have_text(zh("Production plan"))
    form = page.get_by_test_id("run-form")
    form.locator("#f-start").fill(today().isoformat())
    form.locator("#f-time_limit").fill("3")
    form.locator("#f-name").fill("W1")
    form.get_by_test_id("run-plan").click()
    expect(page.get_by_test_id("plan-title")).to_contain_text("W1")
    # six open orders (two seeded, four of the week), each one bar of the Gantt chart
    rows = page.get_by_test_id("allocation-row")
    expect(rows).to_have_count(6)
    expect(page.locator("#plan-gantt canvas")).to_be_visible()
    bars = page.evaluate(
        """() => window.echarts.getInstanceByDom(document.getElementById('plan-gantt'))
        .getOption().series[1].data.length"""
    )
    assert bars == 6
    expect(page.locator("#plan-load canvas")).to_be_visible()
    shot(page, "plan-zh")
    plan_id = int(page.url.rstrip("/").split("/")[-1])

    page.get_by_test_id("adopt").click()
    expect(page.get_by_test_id("plan-title")).to_contain_text(zh("current plan"))
    rush = page.get_by_test_id("rush-form")
    rush.locator("#f-rush-quantity").fill(str(RUSH_PIECES))
    rush.locator("#f-rush-due").fill(today().isoformat())
    rush.locator("#f-rush-weight").fill("5")
    rush.get_by_test_id("run-rush").click()
    change = page.get_by_test_id("change")
    expect(change).to_be_visible()
    scenario_id = int(page.url.rstrip("/").split("/")[-1])
    assert scenario_id != plan_id
    cost = _late_days(app, scenario_id) - _late_days(app, plan_id)
    assert cost > 0  # 20,000 pieces due today cannot all be sewn today
    first_card = change.locator(".card").first
    expect(first_card).to_contain_text(zh("Late days"))
    expect(first_card).to_contain_text(f"+{cost}")
    expect(page.get_by_test_id("moved-row").first).to_be_visible()
    shot(page, "whatif-zh")

    page.context.add_cookies([{"name": LOCALE_COOKIE, "value": "en", "url": served[1]}])
    page.goto(f"{PLANS}/{plan_id}")
    expect(page.get_by_text("Gantt chart", exact=True)).to_be_visible()
    expect(page.locator("#plan-gantt canvas")).to_be_visible()
    shot(page, "plan-en")
    page.goto(f"{PLANS}/{scenario_id}")
    expect(page.get_by_test_id("change")).to_contain_text("Change against the current plan")
    shot(page, "whatif-en")
