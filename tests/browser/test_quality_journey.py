"""Browser journey of quality management: a QC inspector judges two lots by AQL.

The demo factory (yongfeng-apparel) gets the common garment defects in its catalogue. Its
shop-floor operator account (张师傅, a member: what a QC inspector is) records an AQL final
inspection of order YF-PO001 through the form: lot 1,200 at level II is code letter J, and
AQL 2.5 on normal inspection samples 80 pieces with Ac 5, Re 6 (GB/T 2828.1 Tables 1 and
2-A). Three skipped stitches and two untrimmed threads pass; a second lot with six skipped
stitches fails. Screenshots (zh and en) land in docs/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from loom.apps.quality.app import HERE
from loom.apps.quality.service.catalogue import seed_common
from loom.demo import DEMO_PASSWORD
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Organisation
from loom.kernel.web.i18n import LOCALE_COOKIE, Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.shopfloor.models import ProductionOrder
from loom.testing.browser import open_page
from tests.browser.test_journeys import TIMEOUT_MS, browser, demo_app, log_in, serving

pytestmark = pytest.mark.browser
__all__ = ["browser"]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])
ORG = "yongfeng-apparel"
#: the seeded order on YF-L1 (seed_sample_factory numbers orders PREFIX-PO00n per line)
ORDER = "YF-PO001"


def zh(msgid: str) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text


def shot(page: Page, name: str) -> None:
    """Save a screenshot as docs/screenshots/quality-NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"quality-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str, int]]:
    """Serve the demo with the common defects in the factory's catalogue."""
    app = demo_app(tmp_path_factory.mktemp("quality-browser"))
    with session_scope(app.state.loom.session_factory) as session:
        org = session.scalars(select(Organisation).where(Organisation.slug == ORG)).one()
        scope = system_scope(org.id, org.kind, "journey")
        bind_scope(session, scope)
        seed_common(session, scope)
        order = session.scalars(
            select(ProductionOrder).where(
                ProductionOrder.org_id == org.id, ProductionOrder.number == ORDER
            )
        ).one()
        order_id = order.id
    with serving(app) as url:
        yield app, url, order_id


@pytest.fixture
def inspector(browser: Browser, served: tuple[FastAPI, str, int]) -> Iterator[Page]:
    """Return a page logged in as the factory's member account (zh-CN, the default)."""
    context = browser.new_context(
        base_url=served[1], locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 3)
    page = open_page(context)
    page.goto("/login")
    log_in(page, "operator", DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    yield page
    context.close()


def _judge(page: Page, order_id: int, lot: str, defects: list[tuple[str, int]]) -> None:
    page.goto("/apps/quality/aql/new")
    form = page.get_by_test_id("aql-form")
    form.locator("#f-order_id").select_option(str(order_id))
    form.locator("#f-lot_no").fill(lot)
    form.locator("#f-lot_size").fill("1200")
    form.locator("#f-level").select_option("II")
    form.locator("#f-aql_major").select_option("2.5")
    form.locator("#f-aql_minor").select_option("4.0")
    for i, (code, qty) in enumerate(defects):
        form.get_by_test_id(f"code_{i}").select_option(code)
        form.get_by_test_id(f"qty_{i}").fill(str(qty))
    form.get_by_test_id("save").click()


def test_a_qc_inspector_judges_lots_by_aql(
    inspector: Page, served: tuple[FastAPI, str, int]
) -> None:
    _, url, order_id = served
    page = inspector
    # a typo is named on the form, nothing is recorded
    _judge(page, order_id, "LOT-0", [("SKIP", 0)])
    expect(page.get_by_test_id("error-qty_0")).to_be_visible()

    # lot 1,200, level II → J; AQL 2.5 normal: n = 80, Ac 5, Re 6; AQL 4.0: Ac 7, Re 8
    _judge(page, order_id, "LOT-1", [("SKIP", 3), ("THRD", 2)])
    expect(page.get_by_test_id("code-letter")).to_have_text("J")
    expect(page.get_by_test_id("sample-size")).to_have_text("80")
    expect(page.get_by_test_id("ac-major")).to_have_text("5")
    expect(page.get_by_test_id("re-major")).to_have_text("6")
    expect(page.get_by_test_id("ac-minor")).to_have_text("7")
    # 3 major defects ≤ Ac 5 and 2 minor ≤ Ac 7: accepted
    expect(page.get_by_test_id("decision")).to_have_text(zh("Lot accepted"))
    expect(page.get_by_test_id("switch-major")).to_contain_text(zh("Normal inspection"))
    shot(page, "aql-report-zh")
    accepted_url = page.url

    # six skipped stitches reach Re 6: rejected
    _judge(page, order_id, "LOT-2", [("SKIP", 6)])
    expect(page.get_by_test_id("decision")).to_have_text(zh("Lot rejected"))
    page.goto("/apps/quality/aql")
    expect(page.get_by_test_id("aql-row")).to_have_count(2)
    shot(page, "aql-list-zh")

    page.context.add_cookies([{"name": LOCALE_COOKIE, "value": "en", "url": url}])
    page.goto(accepted_url)
    expect(page.get_by_test_id("decision")).to_have_text("Lot accepted")
    expect(page.get_by_test_id("plan-major")).to_contain_text("Normal inspection")
    shot(page, "aql-report-en")
    page.goto("/apps/quality/aql")
    expect(page.get_by_test_id("aql-row").first).to_contain_text("Lot rejected")
    shot(page, "aql-list-en")
