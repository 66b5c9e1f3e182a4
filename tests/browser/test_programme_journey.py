"""Browser journey of the bureau: targets dashboard → project → acceptance → subsidy.

The bureau walks a pilot to 验收通过 and 市级样本 and awards its subsidy, in zh_CN and in en,
each language on its own copy of one seeded demo. The bureau's steps happen in headless
chromium; the other parties' steps (the assessor's on-site assessments, the enterprise's plan,
the contractor's work) go through the same services in the test process, against the same
database, as those parties.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from loom.demo import DEMO_PASSWORD
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Project
from loom.modules.programme.seed import NEWCOMER, onsite_assessment
from loom.modules.programme.service import lifecycle, projects
from loom.modules.programme.service.onsite import record_onsite
from loom.modules.programme.service.planning import plan_project
from loom.testing.browser import open_page
from tests.browser.languages import LANGS, copied_app, role_shot, text, use_language
from tests.browser.test_journeys import TIMEOUT_MS, browser, demo_app, log_in, screenshot, serving

pytestmark = pytest.mark.browser
__all__ = ["browser"]

SLUG, NAME = NEWCOMER
#: the investment the contractor records below: 280,000 CNY
INVESTED_FEN = 28_000_000
#: pilot-project (subsidy rules 四(四)11): 50% of the investment, at most 500,000 CNY
PILOT_AWARD = "140,000.00"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """Seed the demo once; each language walks a copy of it."""
    return demo_app(tmp_path_factory.mktemp("programme-seed"))


@pytest.fixture(scope="module", params=LANGS)
def served(
    request: pytest.FixtureRequest, seeded: FastAPI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FastAPI, str, str]]:
    """Serve a fresh copy of the demo; yield the app (for the parties), its URL and language."""
    app = copied_app(seeded, tmp_path_factory.mktemp(f"programme-{request.param}"))
    with serving(app) as url:
        yield app, url, request.param


@pytest.fixture
def bureau(browser: Browser, served: tuple[FastAPI, str, str]) -> Iterator[Page]:
    """Return a page logged in as the demo bureau, in the language of ``served``."""
    context = browser.new_context(
        base_url=served[1], locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS * 3)  # the planner and the dashboard take a moment
    page = open_page(context)
    page.goto("/login")
    log_in(page, "bureau", DEMO_PASSWORD)
    use_language(page, served[2])
    yield page
    context.close()


def _figure(page: Page, target_id: str, t: Callable[..., str]) -> str:
    page.goto("/apps/programme/")
    expect(page.locator("h1")).to_have_text(t("Programme targets"))
    rows = page.locator("[data-testid=target-row]")
    row = rows.filter(has=page.get_by_text(target_id, exact=True))
    return row.get_by_test_id("row-actual").inner_text().split("\n")[0].strip()


def _orgs(app: FastAPI) -> dict[str, Organisation]:
    with session_scope(app.state.loom.session_factory) as session:
        rows = session.scalars(select(Organisation)).all()
        session.expunge_all()
        return {org.slug: org for org in rows}


def _as(org: Organisation) -> Scope:
    return system_scope(org.id, org.kind, "browser-journey")


def test_bureau_walks_a_pilot_to_acceptance_municipal_sample_and_subsidy(
    bureau: Page, served: tuple[FastAPI, str, str]
) -> None:
    app, _url, lang = served
    t = partial(text, lang)
    orgs = _orgs(app)
    accepted_before = _figure(bureau, "all-pilots", t)
    samples_before = _figure(bureau, "municipal-samples-2025", t)
    screenshot(bureau, f"programme-dashboard-before-{lang}")

    # 申报: the bureau records the application and one expert's sheet, then selects it
    bureau.goto("/apps/programme/pilots/new?q=天一")
    chosen = bureau.locator("#f-enterprise_id option", has_text=NAME).get_attribute("value")
    bureau.locator("#f-enterprise_id").select_option(chosen)
    bureau.locator("#f-statement").fill("吊挂系统与扫码报工改造")
    bureau.get_by_test_id("save").click()
    expect(bureau).to_have_url(re.compile(r"/apps/programme/pilots/\d+$"))
    bureau.locator("#f-expert").fill("专家甲")
    for principle in (
        "leader_will",
        "stable_operations",
        "management_base",
        "digital_base",
        "replicable",
    ):
        bureau.locator(f"#f-score-{principle}").fill("90")
    bureau.get_by_test_id("save-sheet").click()
    expect(bureau.get_by_test_id("total")).to_have_text("90.00")  # 5 × 20 × 90/100 = 90
    bureau.goto("/apps/programme/pilots/ranking?sector=apparel")
    expect(bureau.locator("h1")).to_have_text(t("Pilot ranking"))
    row = bureau.locator("[data-testid=rank-row]").filter(has_text=NAME)
    row.locator("input[name=application_id]").check()
    bureau.locator("#f-batch").select_option("batch-2")
    bureau.get_by_test_id("select").click()
    expect(bureau.get_by_test_id("selected")).to_be_visible()

    # 立项: open the project, name the contractor and assessor, approve
    bureau.goto("/apps/programme/projects")
    expect(bureau.locator("h1")).to_have_text(t("Transformation projects"))
    opening = bureau.get_by_test_id("new-project")
    opening.locator("select").select_option(
        opening.locator("option", has_text="batch-2").get_attribute("value")
    )
    bureau.get_by_test_id("new-project").locator("button").click()
    expect(bureau).to_have_url(re.compile(r"/apps/programme/projects/\d+$"))
    project_id = int(bureau.url.rsplit("/", 1)[1])
    bureau.get_by_test_id("edit-project").locator("summary").click()
    form = bureau.get_by_test_id("edit-project")
    form.locator("select[name=contractor]").select_option(str(orgs["zhiyun-tech"].id))
    form.locator("select[name=assessor]").select_option(str(orgs["kepu-assess"].id))
    form.locator("input[name=contract_no]").fill("HS-SZ-2025-101")
    form.locator("input[name=contract_signed_on]").fill("2025-03-01")
    form.locator("input[name=contract_amount]").fill("380000")
    bureau.get_by_test_id("save-project").click()
    expect(bureau.get_by_test_id("contractor")).to_have_text(orgs["zhiyun-tech"].name)
    bureau.get_by_test_id("action-approve").click()
    expect(bureau.get_by_test_id("project-status")).to_have_text(t("Project approved"))

    # the parties: baseline on site, the enterprise's plan, implementation, the after-assessment
    _parties_do_their_part(app, orgs, project_id)

    # 现场评定 and 验收通过 by the bureau, with the expert evaluation
    bureau.reload()
    expect(bureau.get_by_test_id("onsite-level-after")).to_have_text("2")
    bureau.get_by_test_id("action-begin_review").click()
    expect(bureau.get_by_test_id("project-status")).to_have_text(t("On-site review"))
    decide = bureau.get_by_test_id("decide")
    decide.locator("input[name=effect_score]").fill("82")
    decide.locator("input[name=integration_score]").fill("78")
    decide.locator("input[name=reform_score]").fill("75")
    decide.locator("input[name=io_ratio]").fill("1.38")
    decide.locator("textarea[name=reasons]").fill("吊挂线平衡提升明显，数据贯通")
    decide.locator("input[name=decision][value=pass]").check()
    bureau.get_by_test_id("decide-submit").click()
    expect(bureau.get_by_test_id("project-status")).to_have_text(t("Accepted"))
    bureau.get_by_test_id("action-designate_municipal_sample").click()
    expect(bureau.get_by_test_id("honour")).to_have_text(t("Municipal sample"))
    role_shot(bureau, "bureau", "acceptance", lang)

    # the dashboard counts it: one more accepted pilot, one more municipal sample
    assert int(_figure(bureau, "all-pilots", t)) == int(accepted_before) + 1
    assert int(_figure(bureau, "municipal-samples-2025", t)) == int(samples_before) + 1
    screenshot(bureau, f"programme-dashboard-after-{lang}")

    # 补助: the quote reads the accepted project and its recorded investment; approve it
    bureau.goto(f"/apps/subsidy/quote?rule=pilot-project&project={project_id}")
    expect(bureau.locator("h1")).to_have_text(t("Quote an award"))
    quote = bureau.get_by_test_id("quote-result")
    expect(quote.get_by_text(t("eligible"), exact=True)).to_have_class("badge ok")
    expect(bureau.get_by_test_id("quote-amount")).to_contain_text(PILOT_AWARD)
    bureau.once("dialog", lambda dialog: dialog.accept())  # the form's data-confirm question
    bureau.get_by_test_id("approve").click()
    expect(bureau).to_have_url(re.compile(r"/apps/subsidy/awards/\d+$"))
    expect(bureau.get_by_test_id("award-amount")).to_have_text(PILOT_AWARD)
    expect(bureau.locator("h1")).to_contain_text(t("Award #%(id)s", id=bureau.url.split("/")[-1]))
    role_shot(bureau, "bureau", "subsidy", lang)


def _parties_do_their_part(app: FastAPI, orgs: dict[str, Organisation], project_id: int) -> None:
    assessor, builder = _as(orgs["kepu-assess"]), _as(orgs["zhiyun-tech"])
    firm = orgs[SLUG]
    with session_scope(app.state.loom.session_factory) as session:
        before = onsite_assessment(
            session, assessor, firm.id, "before", date(2025, 3, 5), after=False
        )
        record_onsite(session, assessor, project_id, before)
        plan_project(session, _as(firm), project_id, before)
        lifecycle.transition(session, builder, project_id, "start")
        projects.add_investment(
            session,
            builder,
            project_id,
            category="software",
            description="吊挂系统",
            amount_fen=INVESTED_FEN,
        )
        lifecycle.transition(session, builder, project_id, "request_acceptance")
        after = onsite_assessment(
            session, assessor, firm.id, "after", date(2025, 11, 1), after=True
        )
        record_onsite(session, assessor, project_id, after)
        project = session.get(Project, project_id)
        assert project is not None
        assert project.status == "acceptance_requested"
