"""Browser journey of the industry brain: an enterprise shares, the bureau reads, it is logged.

The demo factory's owner (yongfeng-apparel, 240 garments finished this morning by the seeded
scans) opens its sharing page, where nothing is shared yet, shares its output as daily sums
and saves. The bureau opens the industry indices: the factory is the only enterprise sharing,
so the district's output is hidden (fewer than three enterprises) and no figure of it shows.
Back on its sharing page the factory finds the bureau's read in its log. Screenshots land in
docs/screenshots/brain-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from loom.demo import DEMO_PASSWORD
from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.brain.app import HERE
from loom.testing.browser import open_page
from tests.browser.test_journeys import TIMEOUT_MS, browser, demo_app, log_in, serving

pytestmark = pytest.mark.browser
__all__ = ["browser"]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot as docs/screenshots/brain-NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"brain-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the small demo on its own database for this module."""
    with serving(demo_app(tmp_path_factory.mktemp("brain-browser"))) as url:
        yield url


def _page(browser: Browser, url: str, user: str) -> Page:
    context = browser.new_context(
        base_url=url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 2)
    page = open_page(context)
    page.goto("/login")
    log_in(page, user, DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    return page


def test_an_enterprise_shares_and_sees_the_bureau_read_it(browser: Browser, served: str) -> None:
    owner = _page(browser, served, "factory")
    owner.goto("/apps/brain/sharing")
    expect(owner.locator("h1")).to_have_text(zh("Data sharing with the industry brain"))
    expect(owner.locator(".empty")).to_have_text(zh("Nobody has read your shared data yet."))
    output = owner.get_by_test_id("consent-output")
    expect(output.locator("input[value=none]")).to_be_checked()
    output.locator("input[value=daily]").check()
    owner.get_by_test_id("consent-form").locator("button[type=submit]").click()
    expect(owner.get_by_test_id("saved")).to_be_visible()
    expect(owner.get_by_test_id("consent-output").locator("input[value=daily]")).to_be_checked()
    shot(owner, "sharing-zh")

    bureau = _page(browser, served, "bureau")
    bureau.goto("/apps/brain/indices")
    expect(bureau.locator("h1")).to_have_text(zh("Industry indices"))
    table = bureau.get_by_test_id("index-table")
    # one enterprise shares output: its week and the span's total are hidden, nothing shows
    expect(table.get_by_test_id("suppressed")).to_have_count(2)
    expect(table.get_by_test_id("row-total")).to_have_count(0)
    expect(table).not_to_contain_text("240")
    shot(bureau, "indices-zh")
    bureau.context.close()

    owner.goto("/apps/brain/sharing")
    rows = owner.get_by_test_id("read-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(zh("Industry index of the district"))
    owner.context.close()
