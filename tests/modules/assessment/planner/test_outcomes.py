"""Unreachable targets explained; the highest level within a budget, with or without subsidy."""

from __future__ import annotations

from loom.modules.assessment.planner import (
    SubsidyRule,
    budget_report,
    plan_report,
    plan_to_level,
    plan_within_budget,
)
from tests.modules.assessment.planner import baseline, catalogue, scene_levels, selection
from tests.modules.assessment.planner.test_planner import AT_38, FIVE_AT_2, OPTIONS_38


def test_unreachable_with_the_catalogue_says_what_is_missing() -> None:
    # from nothing: every option together gives 10 points and S06, S07, S08 (all constrained)
    # at level 2, against 40 points, 6 scenes and 3 constrained scenes for level 2
    options = [
        {"id": "erp", "cost": 50_000, "indicators": {"B5": "E"}, "scenes": {"S06": 2}},
        {"id": "qc", "cost": 30_000, "scenes": {"S07": 2, "S08": 2}},
    ]
    plan = plan_to_level(baseline(selection(), scene_levels(0)), catalogue(*options), 2)
    assert not plan.reachable
    assert plan.chosen == ()
    assert plan.proof.status == "INFEASIBLE"
    assert plan.proof.proved
    report = plan_report(plan)
    assert report["reachable"] is False
    assert report["after"] is None
    why = report["unreachable"]
    assert why["reason"] == "catalogue"
    assert why["short"] == {"points_short": 30, "scenes_short": 3, "constrained_scenes_short": 0}
    assert why["with_every_option"]["score"] == 10
    assert why["with_every_option"]["scenes_at_level"] == 3
    assert why["with_every_option"]["constrained_scenes_at_level"] == 3
    assert "S05" in why["scenes_below_level_even_with_every_option"]
    assert "S06" not in why["scenes_below_level_even_with_every_option"]
    assert why["indicators_below_max_even_with_every_option"]["B1"] == 0
    assert "B5" not in why["indicators_below_max_even_with_every_option"]
    assert why["message"] == (
        "level 2 cannot be reached with this catalogue: even with every option taken the "
        "enterprise would score 10 with 3 scenes (3 constrained) at level 2 or above, and still "
        "lack 30 points and 3 scenes at level 2+"
    )


def test_unreachable_because_options_exclude_each_other() -> None:
    # together they would add 3.75 points and the sixth scene, but they cannot be combined
    options = [
        {"id": "policy", "cost": 10_000, "indicators": {"M2": ["B", "C"]}, "excludes": ["aps"]},
        {"id": "aps", "cost": 10_000, "scenes": {"S05": 2}},
    ]
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*options), 2)
    assert not plan.reachable
    assert plan_report(plan)["unreachable"]["reason"] == "constraints"


def test_unreachable_within_a_budget_says_so() -> None:
    # the cheapest plan costs 38,000 CNY (see test_planner)
    plan = plan_to_level(
        baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38), 2, budget_fen=3_799_999
    )
    assert not plan.reachable
    assert plan.proof.status == "INFEASIBLE"
    assert plan_report(plan)["unreachable"]["reason"] == "budget"
    plan = plan_to_level(
        baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38), 2, budget_fen=3_800_000
    )
    assert plan.reachable
    assert plan.cost_fen == 3_800_000


def test_highest_level_within_a_budget() -> None:
    base, cat = baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38)
    # 30,000 buys no level above the current level 1; levels 4, 3 and 2 are each proved out
    result = plan_within_budget(base, cat, 30_000_00)
    assert result.level == 1
    assert result.plan is None
    assert [a.target_level for a in result.attempts] == [4, 3, 2]
    assert all(a.proof.status == "INFEASIBLE" for a in result.attempts)
    report = budget_report(result)
    assert report["limits"] == "investment"
    assert [(x["level"], x["reason"]) for x in report["levels_out_of_budget"]] == [
        (4, "catalogue"),
        (3, "catalogue"),
        (2, "budget"),
    ]
    # and what more money would buy: level 2 for 38,000 CNY
    assert report["next_level"] == {
        "level": 2,
        "reachable": True,
        "options": ["m2-process", "m1-learn", "sheet-plan"],
        "cost": {"investment_cny": 38_000, "subsidy_counted": False},
    }
    # 38,000 reaches level 2 with the cheapest plan
    result = plan_within_budget(base, cat, 38_000_00)
    assert result.level == 2
    assert result.plan is not None
    assert result.plan.cost_fen == 38_000_00
    # level 3 (60 points) is beyond this catalogue at any price
    assert budget_report(result)["next_level"] == {"level": 3, "reachable": False}


def test_with_subsidy_the_budget_limits_the_net_cost() -> None:
    base, cat, rule = baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38), SubsidyRule()
    # 38,000 invested, 19,000 subsidised: a net budget of 19,000 is enough, 18,999 is not
    assert plan_within_budget(base, cat, 19_000_00, subsidy=rule).level == 2
    assert plan_within_budget(base, cat, 18_999_99, subsidy=rule).level == 1
    report = budget_report(plan_within_budget(base, cat, 19_000_00, subsidy=rule))
    assert report["limits"] == "net cost after subsidy"
    assert report["plan"]["cost"] == {
        "investment_cny": 38_000,
        "subsidy_counted": True,
        "subsidy_cny": 19_000,
        "net_cny": 19_000,
        "subsidy_rule": {"rate": 0.5, "cap_cny": 500_000},
    }


def test_the_subsidy_cap_binds_in_budget_mode() -> None:
    # 1,200,000 invested: 50% would be 600,000, capped at 500,000, so the net cost is 700,000
    big = {"id": "big", "cost": 1_200_000, "scenes": {"S05": 2}, "indicators": {"M2": ["B", "C"]}}
    base, cat, rule = baseline(AT_38, FIVE_AT_2), catalogue(big), SubsidyRule()
    assert plan_within_budget(base, cat, 700_000_00, subsidy=rule).level == 2
    assert plan_within_budget(base, cat, 699_999_99, subsidy=rule).level == 1
    # a programme with another rule (30%, at most 100,000) leaves 1,100,000 to pay
    other = SubsidyRule.of("0.3", 100_000)
    assert plan_within_budget(base, cat, 1_100_000_00, subsidy=other).level == 2
    assert plan_within_budget(base, cat, 1_099_999_99, subsidy=other).level == 1
