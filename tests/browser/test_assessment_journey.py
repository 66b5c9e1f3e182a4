"""Browser journey of the enterprise: self-assessment → plan → consent, in zh_CN and en.

The factory self-assesses, submits, sees its level, opens the plan to level 2, then chooses
what it shares with the industry brain. Reuses the demo-seeded server and headless chromium of
test_journeys; both languages share one server (every run starts its own assessment).
Screenshots land in test-results/, the key steps in docs/screenshots/enterprise-*.png.
"""

from __future__ import annotations

import re
from functools import partial

import pytest
from playwright.sync_api import Page, expect

from loom.demo import DEMO_PASSWORD
from loom.modules.assessment.planner.samples import sample_answers
from tests.browser.languages import LANGS, role_shot, text, use_language
from tests.browser.test_journeys import (
    SCREENSHOTS,
    browser,
    log_in,
    page,
    screenshot,
    server_url,
)

pytestmark = pytest.mark.browser
__all__ = ["browser", "page", "server_url"]  # fixtures shared with test_journeys
#: what the factory shares of its output in each run: a choice other than the run before's
SHARED = {"zh_CN": "daily", "en": "weekly"}


def answer(page: Page) -> None:
    """Tick and type the sample enterprise's answers into the questionnaire."""
    q = sample_answers()
    for key, value in q["answers"].items():
        if isinstance(value, dict):
            for field, number in value.items():
                page.get_by_test_id(f"figure-{key}-{field}").fill(str(number))
        else:
            for letter in value if isinstance(value, list) else [value]:
                page.locator(f'input[name="a.{key}"][value="{letter}"]').check()
    for key, level in q["scenes"].items():
        page.locator(f'input[name="s.{key}"][value="{level}"]').check()


@pytest.mark.parametrize("lang", LANGS)
def test_enterprise_self_assesses_plans_and_consents(page: Page, lang: str) -> None:
    t = partial(text, lang)
    page.goto("/login")
    log_in(page, "factory", DEMO_PASSWORD)
    use_language(page, lang)
    page.goto("/apps/assessment/")
    expect(page.locator("h1")).to_have_text(t("Digital level"))
    screenshot(page, f"assessment-list-{lang}")
    page.get_by_test_id("new-self").click()
    expect(page.locator("h1")).to_have_text(t("New self-assessment"))
    page.locator("#f-title").fill("2026 年改造前自评")
    page.get_by_test_id("create").click()
    expect(page).to_have_url(re.compile(r"/apps/assessment/\d+$"))

    # "无" excludes the other options of a multiple-choice question, in the browser too.
    page.locator('input[name="a.B7"][value="B"]').check()
    page.locator('input[name="a.B7"][value="A"]').check()
    expect(page.locator('input[name="a.B7"][value="B"]')).not_to_be_checked()
    answer(page)
    expect(page.locator('input[name="a.B7"]:checked')).to_have_count(1)
    if lang == "zh_CN":  # pictures of the long form for the tour and humans: one language
        screenshot(page, "assessment-questionnaire", docs=True)
        for item in ("B2", "B4", "S06"):  # viewport-sized views a human can read
            page.locator(f"#item-{item}").scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"assessment-questionnaire-{item}.png"))

    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("level")).to_have_text(t("Level %(n)s", n=1))
    expect(page.get_by_test_id("score")).to_have_text("30.3")
    expect(page.get_by_test_id("next-missing")).to_contain_text(t("Level %(n)s still needs:", n=2))
    expect(page.get_by_test_id("plan-link")).to_have_text(t("Plan the way to level 2"))
    expect(page.locator("#dimension-chart canvas")).to_have_count(1)
    role_shot(page, "enterprise", "result", lang, full_page=False)

    page.get_by_test_id("plan-link").click()
    expect(page.locator("h1")).to_have_text(t("The cheapest way to a digital level"))
    expect(page.get_by_test_id("plan-total")).to_have_text("145,000")
    expect(page.get_by_test_id("net")).to_have_text("¥72,500")
    expect(page.get_by_test_id("after-level")).to_have_text(t("Level %(n)s", n=2))
    screenshot(page, f"assessment-plan-{lang}")

    page.go_back()
    page.get_by_test_id("report-link").click()
    expect(page.get_by_test_id("report-meta")).to_contain_text("宁波甬丰服饰有限公司")
    screenshot(page, f"assessment-report-{lang}")
    page.emulate_media(media="print")
    expect(page.locator(".sidenav")).to_be_hidden()
    screenshot(page, f"assessment-report-print-{lang}")
    page.emulate_media(media="screen")

    # consent: what the factory shares with the industry brain, saved and shown again
    page.goto("/apps/brain/sharing")
    expect(page.locator("h1")).to_have_text(t("Data sharing with the industry brain"))
    output = page.get_by_test_id("consent-output")
    label = {"daily": "Daily sums", "weekly": "Weekly sums"}[SHARED[lang]]
    # the radio is found by its label in this language, so an untranslated label fails
    output.get_by_label(t(label), exact=True).check()
    page.get_by_test_id("consent-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("saved")).to_have_text(t("Your sharing choices are saved."))
    expect(page.get_by_test_id("consent-output").locator("input:checked")).to_have_value(
        SHARED[lang]
    )
    role_shot(page, "enterprise", "consent", lang)
