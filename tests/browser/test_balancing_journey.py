"""Browser journey of line balancing: a planner balances a style, edits it, publishes it.

The demo factory (yongfeng-apparel: style YF-TEE with nine operations, line YF-L1 with twelve
operators skilled at grade 3 on overlock, coverstitch, lockstitch and manual work) balances
YF-TEE on YF-L1 for 60 pieces an hour, moves the first station's operation to the next
station (HTMX redraws the board: the figures change and the broken rule is listed), undoes the
edit, and publishes the plan to the line after confirming. Screenshots in Chinese and English
land in docs/screenshots/ for docs/balancing.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from loom.apps.balancing.app import HERE
from loom.demo import DEMO_PASSWORD
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.testing.browser import open_page
from tests.browser.test_journeys import TIMEOUT_MS, browser, demo_app, log_in, serving

pytestmark = pytest.mark.browser
__all__ = ["browser"]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])
PLANS = "/apps/balancing/plans"


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot as docs/screenshots/balancing-NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"balancing-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the demo on its own database for this module."""
    with serving(demo_app(tmp_path_factory.mktemp("balancing-browser"))) as url:
        yield url


@pytest.fixture
def planner(browser: Browser, served: str) -> Iterator[Page]:
    """Return a page logged in as the demo factory's owner (zh-CN, the default language)."""
    context = browser.new_context(
        base_url=served, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    # the solver may take up to its 10 s limit before the plan page answers
    context.set_default_timeout(TIMEOUT_MS * 3)
    page = open_page(context)
    page.goto("/login")
    log_in(page, "factory", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    yield page
    context.close()


def _choose(page: Page, selector: str, starts: str) -> None:
    options = page.locator(f"{selector} option").all_inner_texts()
    matching = [text.strip() for text in options if text.strip().startswith(starts)]
    assert len(matching) == 1, options
    page.locator(selector).select_option(label=matching[0])


def test_a_planner_balances_edits_and_publishes(planner: Page) -> None:
    page = planner
    page.goto(PLANS)
    expect(page.locator("h1")).to_have_text(zh("Line balancing"))
    page.get_by_test_id("new-plan").click()
    form = page.get_by_test_id("plan-form")
    form.locator("#f-name").fill("YF-TEE 每小时60件")
    _choose(page, "#f-style", "YF-TEE ·")
    _choose(page, "#f-line", "YF-L1 ·")
    form.locator("#f-target").fill("60")
    form.get_by_test_id("solve").click()

    expect(page.get_by_test_id("plan-name")).to_have_text("YF-TEE 每小时60件")
    expect(page.get_by_test_id("solver-status")).to_be_visible()
    expect(page.get_by_test_id("valid")).to_be_visible()
    board = page.get_by_test_id("board")
    expect(board).to_have_attribute("data-revision", "1")
    stations = page.get_by_test_id("station")
    count = stations.count()
    assert count >= 8  # 6.2 standard minutes over four machine types at a 1.0 min cycle
    # the chart is drawn from the vendored ECharts, one bar per station
    bars = page.evaluate(
        """() => window.echarts.getInstanceByDom(document.querySelector('.chart'))
            .getOption().series[0].data.length"""
    )
    assert bars == count
    figures_before = page.get_by_test_id("figures").inner_text()
    moving = int(stations.nth(0).get_by_test_id("task").first.get_attribute("data-time") or 0)
    loads = [int(stations.nth(i).get_attribute("data-load") or 0) for i in range(count)]
    # the most loaded station after the first: the operation on top of it sets a new bottleneck
    target_load, target = max((load, i + 1) for i, load in enumerate(loads) if i > 0)
    assert target_load + moving > max(loads)
    shot(page, "plan-zh")

    # move station 1's first operation onto that station
    url_before = page.url
    first_task = stations.nth(0).get_by_test_id("task").first
    first_task.get_by_test_id("move-to").select_option(str(target))
    first_task.get_by_test_id("move").click()
    expect(board).to_have_attribute("data-revision", "2")
    assert page.url == url_before  # HTMX swapped the board in place
    moved = page.get_by_test_id("station")
    expect(moved.nth(target - 1)).to_have_attribute("data-load", str(target_load + moving))
    expect(page.get_by_test_id("violations")).to_be_visible()
    assert page.get_by_test_id("figures").inner_text() != figures_before
    shot(page, "edit-zh")

    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("board")).to_have_attribute("data-revision", "1")
    expect(page.get_by_test_id("valid")).to_be_visible()
    assert page.get_by_test_id("figures").inner_text() == figures_before

    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("publish-question")).to_contain_text("YF-L1")
    page.get_by_test_id("confirm-publish").click()
    notice = page.get_by_test_id("published-notice")
    expect(notice).to_be_visible()
    expect(page.get_by_test_id("published")).to_have_text(zh("published v%(v)s", v=1))
    assert re.search(r"/plans/\d+\?published=1$", page.url)

    # the line's page in the master data now shows the published plan
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("solver-status")).to_contain_text("proved optimal")
    expect(page.get_by_test_id("figures")).to_contain_text("Balance efficiency")
    shot(page, "plan-en")
    page.goto(PLANS)
    expect(page.get_by_test_id("plan-row")).to_have_count(1)
    expect(page.get_by_test_id("plan-row")).to_contain_text("published v1")
    shot(page, "list-en")
