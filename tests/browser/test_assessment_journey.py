"""Browser journey of the assessment module: self-assess, submit, see the level, open the plan.

Reuses the demo-seeded server and headless chromium of test_journeys; screenshots land in
test-results/ for a human to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from loom.demo import DEMO_PASSWORD
from loom.modules.assessment.planner.samples import sample_answers
from tests.browser.test_journeys import (
    SCREENSHOTS,
    browser,
    log_in,
    page,
    screenshot,
    server_url,
)
from tests.modules.assessment.pages.helpers import zh

pytestmark = pytest.mark.browser
__all__ = ["browser", "page", "server_url"]  # fixtures shared with test_journeys


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


def test_enterprise_self_assesses_sees_its_level_and_plans(page: Page) -> None:
    page.goto("/login")
    log_in(page, "factory", DEMO_PASSWORD)
    page.goto("/apps/assessment/")
    screenshot(page, "assessment-list")
    page.get_by_test_id("new-self").click()
    page.locator("#f-title").fill("2026 年改造前自评")
    page.get_by_test_id("create").click()
    expect(page).to_have_url(re.compile(r"/apps/assessment/\d+$"))

    # "无" excludes the other options of a multiple-choice question, in the browser too.
    page.locator('input[name="a.B7"][value="B"]').check()
    page.locator('input[name="a.B7"][value="A"]').check()
    expect(page.locator('input[name="a.B7"][value="B"]')).not_to_be_checked()
    answer(page)
    expect(page.locator('input[name="a.B7"]:checked')).to_have_count(1)
    screenshot(page, "assessment-questionnaire", docs=True)
    for item in ("B2", "B4", "S06"):  # viewport-sized views a human can read
        page.locator(f"#item-{item}").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"assessment-questionnaire-{item}.png"))

    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("level")).to_have_text(zh("Level %(n)s", n=1))
    expect(page.get_by_test_id("score")).to_have_text("30.3")
    expect(page.get_by_test_id("next-missing")).to_contain_text(zh("Level %(n)s still needs:", n=2))
    expect(page.locator("#dimension-chart canvas")).to_have_count(1)
    screenshot(page, "assessment-result", docs=True)

    page.get_by_test_id("plan-link").click()
    expect(page.get_by_test_id("plan-total")).to_have_text("145,000")
    expect(page.get_by_test_id("net")).to_have_text("¥72,500")
    expect(page.get_by_test_id("after-level")).to_have_text(zh("Level %(n)s", n=2))
    screenshot(page, "assessment-plan")

    page.go_back()
    page.get_by_test_id("report-link").click()
    expect(page.get_by_test_id("report-meta")).to_contain_text("宁波甬丰服饰有限公司")
    screenshot(page, "assessment-report")
    page.emulate_media(media="print")
    expect(page.locator(".sidenav")).to_be_hidden()
    screenshot(page, "assessment-report-print")
