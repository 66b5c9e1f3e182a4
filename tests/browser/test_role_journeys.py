"""Browser journeys of the assessor (on-site assessment) and the contractor (publish a product).

Each runs in zh_CN and in en, each language on its own copy of one seeded small demo, so both
walk exactly the same steps. The assessor assesses 宁波四明针织 on site — its pilot project is
approved and waits for that baseline — and records the result on the project; the contractor
publishes a product and finds it in the catalogue. Key steps land in
docs/screenshots/<role>-<step>-<lang>.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from loom.demo import DEMO_PASSWORD
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Organisation
from loom.modules.programme.models import Project
from loom.testing.browser import open_page
from tests.browser.languages import LANGS, copied_app, role_shot, text, use_language
from tests.browser.test_assessment_journey import answer
from tests.browser.test_journeys import TIMEOUT_MS, browser, demo_app, log_in, serving

pytestmark = pytest.mark.browser
__all__ = ["browser"]

#: seed_programme approves this pilot's project and stops: it waits for its baseline on site
WAITING = "siming-knitwear"
#: sample_answers() (the questionnaire's sample enterprise) scores 30.3 points: level 1
SAMPLE_SCORE, SAMPLE_LEVEL = "30.3", 1
PRODUCT = {"zh_CN": "缝制车间扫码报工（浏览器测试）", "en": "Sewing scan reporting (browser test)"}
#: what the form is given, and the detail page shows it as (two decimals, thousands)
PRICE, PRICE_SHOWN = "88000", "88,000.00"
SCENE, SCENE_LEVEL = "S06", 2


@dataclass(frozen=True)
class Served:
    """One language's copy of the demo: the app, its base URL and the language."""

    app: FastAPI
    url: str
    lang: str


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """Seed the small demo once; each language walks a copy of it."""
    return demo_app(tmp_path_factory.mktemp("roles-seed"))


@pytest.fixture(scope="module", params=LANGS)
def served(
    request: pytest.FixtureRequest, seeded: FastAPI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """Serve a fresh copy of the demo for one language."""
    app = copied_app(seeded, tmp_path_factory.mktemp(f"roles-{request.param}"))
    with serving(app) as url:
        yield Served(app, url, request.param)


def logged_in(browser: Browser, served: Served, username: str) -> Page:
    """Return a page logged in as ``username`` in the language of ``served``."""
    context = browser.new_context(
        base_url=served.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 2)
    page = open_page(context)
    page.goto("/login")
    log_in(page, username, DEMO_PASSWORD)
    expect(page.get_by_test_id("home-title")).to_be_visible()
    use_language(page, served.lang)
    return page


def waiting_project(app: FastAPI) -> tuple[int, str]:
    """Return the id of the project waiting for its baseline and its enterprise's name."""
    with session_scope(app.state.loom.session_factory) as db:
        org = db.scalars(select(Organisation).where(Organisation.slug == WAITING)).one()
        project = db.scalars(select(Project).where(Project.enterprise_org_id == org.id)).one()
        assert project.status == "approved", project.status
        return project.id, org.name


def test_assessor_assesses_on_site_and_records_it_on_the_project(
    browser: Browser, served: Served
) -> None:
    t = partial(text, served.lang)
    project_id, enterprise = waiting_project(served.app)
    page = logged_in(browser, served, "assessor")

    page.goto("/apps/assessment/")
    expect(page.locator("h1")).to_have_text(t("Digital level"))
    page.get_by_test_id("new-onsite").click()
    expect(page.locator("h1")).to_have_text(t("New on-site assessment"))
    form = page.get_by_test_id("new-form")
    form.get_by_label(t("Enterprise assessed")).select_option(label=enterprise)
    form.locator("#f-phase").select_option("before")
    form.locator("#f-title").fill("改造前现场评估")
    expect(page.get_by_test_id("create")).to_have_text(t("Start"))
    page.get_by_test_id("create").click()
    expect(page).to_have_url(re.compile(r"/apps/assessment/\d+$"))
    assessment_id = page.url.rsplit("/", 1)[1]

    answer(page)
    expect(page.get_by_test_id("submit")).to_have_text(t("Submit and score"))
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("level")).to_have_text(t("Level %(n)s", n=SAMPLE_LEVEL))
    expect(page.get_by_test_id("score")).to_have_text(SAMPLE_SCORE)
    role_shot(page, "assessor", "result", served.lang, full_page=False)

    # the project names this assessor: its page offers the submitted assessment to record
    page.goto(f"/apps/programme/projects/{project_id}")
    expect(page.get_by_test_id("project-status")).to_have_text(t("Project approved"))
    record = page.get_by_test_id("record-onsite")
    expect(record.locator("option")).to_contain_text(f"#{assessment_id} ")
    record.get_by_role("button", name=t("Record on the project")).click()
    expect(page).to_have_url(re.compile(rf"/apps/programme/projects/{project_id}#onsite$"))
    expect(page.get_by_test_id("onsite-level-before")).to_have_text(str(SAMPLE_LEVEL))
    expect(page.locator("#onsite h2")).to_have_text(t("On-site assessments"))
    expect(page.get_by_test_id("onsite-table")).to_contain_text(SAMPLE_SCORE)
    role_shot(page, "assessor", "project", served.lang)
    page.context.close()


def test_contractor_publishes_a_product_to_the_catalogue(browser: Browser, served: Served) -> None:
    t = partial(text, served.lang)
    name = PRODUCT[served.lang]
    page = logged_in(browser, served, "contractor")

    page.goto("/apps/programme/products/mine")
    expect(page.locator("h1")).to_have_text(t("My products"))
    expect(page.get_by_test_id("mine-row")).to_have_count(5)  # seed_programme's PRODUCTS
    page.get_by_role("link", name=t("Publish a product")).click()
    expect(page.locator("h1")).to_have_text(t("Publish a product"))
    form = page.get_by_test_id("product-form")
    form.get_by_label(t("Product name")).fill(name)
    form.get_by_label(t("Price (CNY)")).fill(PRICE)
    form.get_by_label(t("Delivery (weeks)")).fill("6")
    form.get_by_label(t("Deployment")).select_option(label=t("On-premise deployment"))
    scene = form.locator(f"select[name='s.{SCENE}']")
    scene.select_option(label=t("Level %(n)s", n=SCENE_LEVEL))
    role_shot(page, "contractor", "form", served.lang, full_page=False)
    form.get_by_role("button", name=t("Publish"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/apps/programme/products/\d+$"))
    expect(page.locator("h1")).to_have_text(name)
    expect(page.get_by_test_id("price")).to_have_text(PRICE_SHOWN)
    expect(page.get_by_test_id("scenes-table")).to_contain_text(SCENE)
    expect(page.get_by_test_id("withdraw")).to_have_text(t("Withdraw from the catalogue"))
    role_shot(page, "contractor", "product", served.lang)

    # every reader of the catalogue finds it by name
    page.goto("/apps/programme/products?" + urlencode({"q": name}))
    expect(page.locator("h1")).to_have_text(t("小快轻准 products"))
    rows = page.get_by_test_id("product-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(name)
    expect(rows.first).to_contain_text(PRICE_SHOWN)
    page.context.close()
