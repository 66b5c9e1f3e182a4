"""Browser journey of order match-making across two organisations.

A brand (Brand Co) posts 1,000 shirts due in two weeks; the brain ranks Factory A (which
shares capacity, orders and quality) above Factory B and explains each factor; the brand
invites Factory A. Factory A's admin logs in, opens the invitation, accepts it, and finds the
new production order MO-<id> in its shop floor. After 250 pieces are finished there, the brand
sees the order accepted and 250 of 1,000 pieces done (Factory A shares orders daily).
The district is built by tests.modules.matching.helpers (no demo seed). Screenshots land in
docs/screenshots/matching-*.png.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from loom.app import create_app
from loom.kernel.db.session import session_scope
from loom.kernel.identity.service import create_user
from loom.kernel.plugins.loader import discover
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.tenancy.service import add_membership, create_organisation
from loom.modules.matching.service.orders import today
from loom.modules.shopfloor.models import ProductionOrder
from loom.settings import Settings
from loom.testing.browser import open_page
from loom.testing.databases import migrated_sqlite_template
from loom.testing.factory import TEST_ACTOR, TEST_PASSWORD
from tests.browser.test_journeys import TIMEOUT_MS, browser, log_in, serving
from tests.modules.matching.helpers import District, build, finish

pytestmark = pytest.mark.browser
__all__ = ["browser"]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shot(page: Page, name: str) -> None:
    """Save a screenshot as docs/screenshots/matching-NAME.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"matching-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, District, FastAPI]]:
    """Serve Loom with the brand, three factories and one admin each (brand-admin, fa-admin)."""
    tmp = tmp_path_factory.mktemp("matching-browser")
    apps = discover()
    database = migrated_sqlite_template(tmp, apps)
    settings = Settings(
        env="test",
        database_url=f"sqlite:///{database}",
        secret_key=secrets.token_urlsafe(36),
        data_dir=tmp / "data",
    )
    app: FastAPI = create_app(settings, apps)
    with session_scope(app.state.loom.session_factory) as s:
        orgs = {}
        for slug, name in (
            ("brand", "Brand Co"),
            ("fa", "Factory A"),
            ("fb", "Factory B"),
            ("fc", "Factory C"),
        ):
            org = create_organisation(s, TEST_ACTOR, slug=slug, name=name, kind=OrgKind.ENTERPRISE)
            user = create_user(s, f"{slug}-admin", f"{name} admin", TEST_PASSWORD)
            add_membership(s, TEST_ACTOR, org, user, Role.ADMIN)
            orgs[slug] = org
        district = build(s, orgs)
    with serving(app) as url:
        yield url, district, app


def _page(browser: Browser, url: str, username: str) -> Page:
    context = browser.new_context(
        base_url=url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 3)
    page = open_page(context)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/login")
    log_in(page, username, TEST_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    return page


def test_a_brand_places_an_order_with_a_factory(
    browser: Browser, served: tuple[str, District, FastAPI]
) -> None:
    url, d, app = served
    brand = _page(browser, url, "brand-admin")
    brand.goto("/apps/matching/")
    expect(brand.get_by_test_id("orders-table")).to_have_count(0)  # empty state first
    brand.get_by_test_id("post-order").click()
    form = brand.get_by_test_id("order-form")
    form.locator("#f-category").fill("shirts")
    form.locator("#f-quantity").fill("1000")
    form.locator("#f-due_date").fill((today() + timedelta(days=14)).isoformat())
    form.locator("#f-max_dhu_pct").fill("3")
    form.locator("#f-style_name").fill("Oxford shirt")
    form.locator("#f-quantities").fill("navy, M, 600\nnavy, L, 400")
    shot(brand, "post")
    form.get_by_test_id("submit").click()

    # the ranking: Factory A first with 85 points (40 + 25 + 20 + 0, see test_flow), explained
    ranking = brand.get_by_test_id("ranking-table")
    expect(ranking).to_be_visible()
    first = brand.get_by_test_id("rank-1")
    expect(first).to_contain_text("Factory A")
    expect(first.get_by_test_id("score")).to_have_text("85.0")
    expect(first.locator("[data-factor=digital_level]")).to_contain_text("未共享")
    expect(brand.get_by_test_id("rank-2")).to_contain_text("Factory B")
    expect(ranking).not_to_contain_text("Factory C")
    shot(brand, "ranking")
    number = re.search(r"MO-\d+", brand.locator("h1").inner_text())
    assert number is not None
    brand.get_by_test_id(f"pick-{d.fa}").check()
    brand.get_by_test_id("invite").click()
    expect(brand.get_by_test_id(f"invitation-{d.fa}")).to_contain_text("待答复")

    factory = _page(browser, url, "fa-admin")
    factory.goto("/apps/matching/invitations")
    table = factory.get_by_test_id("invitations-table")
    expect(table).to_contain_text(number.group(0))
    expect(table).to_contain_text("Brand Co")
    table.get_by_role("link", name=number.group(0)).click()
    expect(factory.get_by_test_id("offer")).to_contain_text("1,000")
    shot(factory, "invitation")
    factory.get_by_test_id("accept").click()
    expect(factory.get_by_test_id("accepted")).to_be_visible()
    factory.get_by_test_id("production-order").click()
    expect(factory.locator("h1")).to_contain_text(number.group(0))
    expect(factory.locator("body")).to_contain_text("Brand Co")
    shot(factory, "production-order")

    # the factory's line finishes 250 pieces today; it shares orders daily
    with session_scope(app.state.loom.session_factory) as s:
        made = s.scalars(
            select(ProductionOrder).where(
                ProductionOrder.org_id == d.fa, ProductionOrder.number == number.group(0)
            )
        ).one()
        finish(s, d.fa, made.id, today(), 250)
    brand.reload()
    expect(brand.get_by_test_id(f"invitation-{d.fa}")).to_contain_text("已承接")
    expect(brand.get_by_test_id("progress")).to_contain_text("Factory A")
    expect(brand.get_by_test_id("progress-summary")).to_contain_text("250 / 1,000")
    expect(brand.get_by_test_id("progress-table")).to_contain_text("250")
    shot(brand, "accepted")
    brand.context.close()
    factory.context.close()
