"""The plan page, the printable report and both Excel exports."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from loom.modules.assessment.engine import compiled, score
from loom.modules.assessment.planner import Baseline, plan_to_level, sample_catalogue
from loom.modules.assessment.planner.samples import sample_answers
from loom.modules.assessment.planner.subsidy import SubsidyRule
from loom.testing.factory import Factory
from tests.modules.assessment.pages.helpers import BASE, enterprise, submitted, zh


def expected_plan(target: int = 2) -> tuple[int, int, list[str]]:
    """Return the planner's own investment, net cost and options for the sample answers."""
    result = score(sample_answers(), compiled(None))
    baseline = Baseline.from_result(result)
    plan = plan_to_level(baseline, sample_catalogue(result.rules), target, subsidy=SubsidyRule())
    return (
        plan.cost_fen // 100,
        plan.subsidy.net_fen(plan.cost_fen) // 100,
        [u.id for u in plan.chosen],
    )  # type: ignore[union-attr]


def test_plan_page_shows_the_optimal_plan_and_its_total(factory: Factory) -> None:
    _org, client = enterprise(factory)
    assessment_id = submitted(client)
    investment, net, options = expected_plan()
    assert (investment, net) == (145_000, 72_500)  # docs/assessment-planner.md, worked example
    page = client.get(f"{BASE}/{assessment_id}/plan")
    assert page.status_code == 200, page.text
    total = page.text.split('data-testid="plan-total">', 1)[1].split("<", 1)[0]
    assert total == f"{investment:,}"
    assert f"¥{net:,}" in page.text
    for option in options:
        assert f"<code>{option}</code>" in page.text
    assert zh("proved optimal") in page.text
    assert zh("Level %(n)s", n=2) in page.text.split('data-testid="after-level">', 1)[1][:40]
    assert (
        zh(
            "Without it the plan falls short of level %(n)s by %(missing)s.",
            n=2,
            missing=zh("%(n)s points", n="3.75"),
        )
        in page.text
    )


def test_plan_with_budget_unreachable_level_and_bad_budget(factory: Factory) -> None:
    _org, client = enterprise(factory)
    assessment_id = submitted(client)
    page = client.get(f"{BASE}/{assessment_id}/plan", params={"target_level": 4})
    assert page.status_code == 200
    assert zh("Level %(n)s cannot be reached", n=4) in page.text
    budget = client.get(f"{BASE}/{assessment_id}/plan", params={"budget": "300000"})
    assert 'data-testid="within-budget"' in budget.text
    assert budget.text.split('data-testid="budget-level">', 1)[1].startswith(zh("Level %(n)s", n=2))
    bad = client.get(f"{BASE}/{assessment_id}/plan", params={"budget": "lots"})
    assert bad.status_code == 422
    assert zh("budget: enter an amount in CNY") in bad.text


def test_plan_excel_export(factory: Factory) -> None:
    _org, client = enterprise(factory)
    assessment_id = submitted(client)
    investment, net, options = expected_plan()
    response = client.get(
        f"{BASE}/{assessment_id}/plan.xlsx", params={"target_level": 2, "subsidy": "yes"}
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    summary = {row[0]: row[1] for row in book[zh("Plan")].iter_rows(min_row=2, values_only=True)}
    assert summary[zh("Total investment (CNY)")] == investment
    assert summary[zh("Net cost (CNY)")] == net
    assert summary[zh("Proved optimal")] == zh("yes")
    ids = [row[0] for row in book[zh("Options")].iter_rows(min_row=2, values_only=True)]
    assert ids == options


def test_assessment_excel_export_and_printable_report(factory: Factory) -> None:
    _org, client = enterprise(factory)
    assessment_id = submitted(client)
    response = client.get(f"{BASE}/{assessment_id}.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [zh("Summary"), zh("Indicators"), zh("Scenes"), zh("Levels")]
    summary = {row[0]: row[1] for row in book[zh("Summary")].iter_rows(min_row=2, values_only=True)}
    assert summary[zh("Score")] == 30.3
    assert summary[zh("Digital level")] == zh("Level %(n)s", n=1)
    assert summary[zh("Rule set")] == "2024-manufacturing.v1"
    indicators = {
        row[0]: row for row in book[zh("Indicators")].iter_rows(min_row=2, values_only=True)
    }
    assert indicators["B5"][5] == 5  # option C of B5: 5 points
    assert "C " in indicators["B5"][3]
    assert (
        indicators["B2"][4] == "其中生产设备数量为（台） 120；实现数字化的生产设备数量为（台） 18"
    )
    scenes = {row[0]: row[3] for row in book[zh("Scenes")].iter_rows(min_row=2, values_only=True)}
    assert scenes["S03"] == 2
    assert scenes["S10"] == 0
    levels = list(book[zh("Levels")].iter_rows(min_row=2, values_only=True))
    assert levels[1][:4] == (2, zh("no"), 40, 9.7)

    report = client.get(f"{BASE}/{assessment_id}/report")
    assert report.status_code == 200
    assert zh("Digital-level assessment report") in report.text
    assert "多个业务环节（2个及以上）" in report.text  # B5's chosen option, in full
    assert "企业车间建成工控网络，支持自动化控制应用" in report.text  # B1's
    assert "企业建成应用系统网络" not in report.text  # an option not chosen
    assert "acme 服饰" in report.text
    assert "@media print" in report.text
    assert zh("Level %(n)s still needs:", n=2) in report.text
