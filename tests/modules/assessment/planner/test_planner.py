"""Hand-computed plans: cheapest combination, tie-breaks, dependencies, rule data, proofs."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from loom.modules.assessment.engine import compile_rules, load_ruleset, read_ruleset_document
from loom.modules.assessment.planner import (
    Baseline,
    apply,
    critical_path_weeks,
    parse_catalogue,
    plan_many,
    plan_report,
    plan_to_level,
)
from loom.modules.assessment.planner.model import tie_break_weights
from tests.modules.assessment.planner import baseline, catalogue, scene_levels, selection

RULES_FILE = resources.files("loom.modules.assessment.rules") / "2024-manufacturing.v1.json"

# 8 (B1 all four) + 6 (B2 band E) + 6 (B3 band E) + 10 (B5 E) + 5 (B6 all four) + 3 (M3 B, C) = 38
AT_38 = selection(
    B1=["B", "C", "D", "E"], B2="E", B3="E", B5="E", B6=["B", "C", "D", "E"], M3=["B", "C"]
)
# five scenes at level 2, three of them constrained (S01, S03, S06), the rest at level 1
FIVE_AT_2 = scene_levels(1, S01=2, S03=2, S06=2, S02=2, S04=2)

# Level 2 needs 40 points and 6 scenes at 2+: this enterprise lacks 2 points and 1 scene.
OPTIONS_38: list[dict[str, Any]] = [
    {"id": "m2-process", "cost": 10_000, "indicators": {"M2": ["B"]}},  # +1.875
    {"id": "m2-two", "cost": 25_000, "indicators": {"M2": ["B", "C"]}},  # +3.75
    {"id": "aps", "cost": 30_000, "scenes": {"S05": 2}},
    {"id": "mes-lite", "cost": 45_000, "scenes": {"S05": 2}, "indicators": {"B4": list("GHI")}},
    {"id": "m1-learn", "cost": 8_000, "indicators": {"M1": "B"}},  # +1.5
    {"id": "b7-policy", "cost": 12_000, "indicators": {"B7": ["B"]}},  # +1.25
    {"id": "sheet-plan", "cost": 20_000, "weeks": 3, "scenes": {"S05": 2}},
]


def ids(plan: Any) -> set[str]:
    return {u.id for u in plan.chosen}


def test_the_38_point_enterprise_takes_the_cheapest_combination() -> None:
    # The scene: sheet-plan 20,000 < aps 30,000 < mes-lite 45,000 (which also brings 2.1 points).
    # Two points: m2-process alone gives 1.875 (0.125 short); m1-learn + m2-process give 3.375
    # for 18,000, cheaper than m2-two (25,000), m1-learn + b7-policy (2.75 for 20,000) or
    # m2-process + b7-policy (22,000). So: sheet-plan + m2-process + m1-learn = 38,000 CNY,
    # beating mes-lite alone (45,000).
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38), 2)
    assert plan.reachable
    assert ids(plan) == {"sheet-plan", "m2-process", "m1-learn"}
    assert plan.cost_fen == 38_000_00
    assert plan.before.total == 38_000
    assert plan.before.level == 1
    assert plan.after.total == 41_375
    assert plan.after.level == 2
    assert plan.proof.status == "OPTIMAL"
    assert plan.proof.proved
    assert plan.proof.objective == plan.proof.best_bound


def test_each_option_is_explained_by_what_the_plan_lacks_without_it() -> None:
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38), 2)
    report = {o["id"]: o for o in plan_report(plan)["options"]}
    # without m1-learn: 38 + 1.875 = 39.875, exactly 0.125 short of 40
    assert report["m1-learn"]["short_without_this_option"]["points_short"] == 0.125
    assert "falls short of level 2 by 0.125 points" in report["m1-learn"]["why"]
    # without m2-process: 38 + 1.5 = 39.5
    assert report["m2-process"]["short_without_this_option"]["points_short"] == 0.5
    # without sheet-plan: 5 scenes at level 2+, one short (still 3 constrained)
    assert report["sheet-plan"]["short_without_this_option"] == {
        "points_short": 0,
        "scenes_short": 1,
        "constrained_scenes_short": 0,
    }
    assert "S05 1→2" in report["sheet-plan"]["why"]
    assert all(o["needed"] for o in report.values())


def test_equal_cost_prefers_fewer_weeks_then_fewer_options() -> None:
    fast = {"id": "sheet-fast", "cost": 20_000, "weeks": 1, "scenes": {"S05": 2}}
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38, fast), 2)
    assert ids(plan) == {"sheet-fast", "m2-process", "m1-learn"}
    # one option worth m2-process + m1-learn at the same cost and the same 2 weeks wins on count
    combo = {"id": "combo", "cost": 18_000, "weeks": 2, "indicators": {"M2": ["B"], "M1": "B"}}
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38, fast, combo), 2)
    assert ids(plan) == {"sheet-fast", "combo"}


def test_requires_and_excludes_change_the_plan() -> None:
    # sheet-plan now comes with b7-policy (12,000, +1.25), after which m1-learn (+1.5) alone
    # covers the 2 points: 20 + 12 + 8 = 40,000, below aps + m2-process + m1-learn (48,000)
    needs = [dict(o, requires=["b7-policy"]) if o["id"] == "sheet-plan" else o for o in OPTIONS_38]
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*needs), 2)
    assert ids(plan) == {"sheet-plan", "b7-policy", "m1-learn"}
    assert plan.cost_fen == 40_000_00
    # and if sheet-plan needs m2-two instead (45,000 together), aps + m2-process + m1-learn
    # (48,000) still loses to mes-lite alone (45,000, 1 week, 1 option; 2.1 points + S05)
    needs = [dict(o, requires=["m2-two"]) if o["id"] == "sheet-plan" else o for o in OPTIONS_38]
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*needs), 2)
    assert ids(plan) == {"mes-lite"}
    # m2-process excludes m1-learn: with sheet-plan the cheapest 2 points are now
    # m1-learn + b7-policy (2.75 for 20,000) -> 40,000
    apart = [dict(o, excludes=["m1-learn"]) if o["id"] == "m2-process" else o for o in OPTIONS_38]
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*apart), 2)
    assert ids(plan) == {"sheet-plan", "m1-learn", "b7-policy"}
    assert plan.cost_fen == 40_000_00


def test_a_required_option_says_which_option_needs_it() -> None:
    options = [
        {"id": "network", "cost": 5_000, "indicators": {"B7": ["B"]}},
        {"id": "iot", "cost": 9_000, "scenes": {"S05": 2}, "indicators": {"M2": ["B"]},
         "requires": ["network"]},
    ]  # fmt: skip
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*options), 2)
    network = next(o for o in plan_report(plan)["options"] if o["id"] == "network")
    assert network["required_by"] == ["iot"]
    assert "required by iot" in network["why"]


def test_multi_choice_ticks_count_once_and_replace_none() -> None:
    six_at_2 = scene_levels(1, S01=2, S03=2, S06=2, S02=2, S04=2, S05=2)
    # 2 points from B4 (0.7 each): G+H then I = 2.1 for 7,000; G+H and H together are only 1.4,
    # so counting H twice would wrongly pick them for 5,000
    options = [
        {"id": "gh", "cost": 4_000, "indicators": {"B4": ["G", "H"]}},
        {"id": "h", "cost": 1_000, "indicators": {"B4": ["H"]}},
        {"id": "i", "cost": 3_000, "indicators": {"B4": ["I"]}},
    ]
    plan = plan_to_level(baseline(AT_38, six_at_2), catalogue(*options), 2)
    assert ids(plan) == {"gh", "i"}
    # B7 is "无" (A) now; ticking B replaces it rather than sitting beside it
    base = baseline(AT_38, six_at_2)
    after = apply(base, catalogue({"id": "b7", "cost": 1, "indicators": {"B7": ["B"]}}).upgrades)
    assert after.options["B7"] == ("B",)
    assert after.points["B7"] == 1_250


def test_single_choice_and_rate_keep_the_best_answer() -> None:
    six_at_2 = scene_levels(1, S01=2, S03=2, S06=2, S02=2, S04=2, S05=2)
    # 38 - 5 (B5 E -> C) - 4.5 (B2 band E -> B) + 7.5 (M2 all four) = 36: 4 points short
    answers = {**AT_38, "B5": "C", "B2": "B", "M2": ["B", "C", "D", "E"]}
    options = [
        {"id": "b5-down", "cost": 1_000, "indicators": {"B5": "B"}},  # 2.5 < 5 now: worthless
        {"id": "b5-up", "cost": 20_000, "indicators": {"B5": "E"}},  # 10: +5
        {"id": "b2-up", "cost": 15_000, "indicators": {"B2": "E"}},  # band E 6: +4.5
        {"id": "b2-mid", "cost": 5_000, "indicators": {"B2": "D"}},  # band D 4.5: +3
    ]
    base = baseline(answers, six_at_2)
    assert base.options["B5"] == ("C",)
    assert base.options["B2"] == ("B",)
    assert apply(base, [catalogue(*options).upgrades[0]]).options["B5"] == ("C",)
    # b2-up alone (+4.5, 15,000); b2-mid + b2-up is the best band, E, not 3 + 4.5; and
    # b2-mid + b5-down (6,000) would only pass if the worse B5 answer wrongly counted
    plan = plan_to_level(base, catalogue(*options), 2)
    assert ids(plan) == {"b2-up"}
    assert plan.after.total == 40_500
    assert plan.after.options["B2"] == ("E",)


def test_already_at_the_target_needs_nothing() -> None:
    six_at_2 = scene_levels(1, S01=2, S03=2, S06=2, S02=2, S04=2, S05=2)
    answers = {**AT_38, "M2": ["B", "C"]}  # 38 + 3.75
    plan = plan_to_level(baseline(answers, six_at_2), catalogue(*OPTIONS_38), 2)
    assert plan.reachable
    assert plan.chosen == ()
    assert plan_report(plan)["already_at_target"] is True
    assert plan.proof.proved


def test_thresholds_come_from_the_rule_set() -> None:
    # a corrected rule set with level 2 at 30 points: the scene alone now suffices
    document = read_ruleset_document(str(RULES_FILE))
    document["level_rules"]["levels"][1]["min_score"] = 30
    rules = compile_rules(load_ruleset(document))
    base = Baseline.from_selection(AT_38, FIVE_AT_2, rules)
    cat = parse_catalogue({"options": [{"weeks": 1, **o} for o in OPTIONS_38]}, rules)
    assert {u.id for u in plan_to_level(base, cat, 2).chosen} == {"sheet-plan"}


def test_huge_costs_switch_to_exact_staged_objectives() -> None:
    # weighted cost/weeks/count coefficients would pass 2**53, where the solver's float
    # objective stops being exact, so the planner solves cost, weeks and count in turn
    scaled = [dict(o, cost=o["cost"] * 1_000) for o in OPTIONS_38]
    padding = [
        {"id": f"pad{n}", "cost": 100_000_000, "weeks": 520, "scenes": {"S16": 1}}
        for n in range(12)
    ]
    cat = catalogue(*scaled, *padding)
    assert not tie_break_weights(cat).exact
    plan = plan_to_level(baseline(AT_38, FIVE_AT_2), cat, 2)
    assert plan.proof.stages == 3
    assert plan.proof.proved
    assert ids(plan) == {"sheet-plan", "m2-process", "m1-learn"}
    assert plan.cost_fen == 38_000_000_00


def test_many_enterprises_share_one_catalogue() -> None:
    cat = catalogue(*OPTIONS_38)
    already = scene_levels(1, S01=2, S03=2, S06=2, S02=2, S04=2, S05=2)
    plans = plan_many(
        [baseline(AT_38, FIVE_AT_2), baseline({**AT_38, "M2": ["B", "C"]}, already)], cat, 2
    )
    assert [p.cost_fen for p in plans] == [38_000_00, 0]
    assert all(p.proof.proved for p in plans)


def test_a_catalogue_checked_against_other_rules_is_refused() -> None:
    document = read_ruleset_document(str(RULES_FILE))
    document["id"] = "2024-manufacturing.v2"
    document["version"] = 2
    other = compile_rules(load_ruleset(document))
    cat = parse_catalogue({"options": [{"weeks": 1, **o} for o in OPTIONS_38]}, other)
    with pytest.raises(ValueError, match=r"checked against 2024-manufacturing\.v2"):
        plan_to_level(baseline(AT_38, FIVE_AT_2), cat, 2)
    with pytest.raises(ValueError, match="level 5 is not one of the rule set's levels"):
        plan_to_level(baseline(AT_38, FIVE_AT_2), catalogue(*OPTIONS_38), 5)


def test_critical_path_runs_independent_options_in_parallel() -> None:
    cat = catalogue(
        {"id": "net", "cost": 1, "weeks": 3, "indicators": {"B1": ["B"]}},
        {"id": "iot", "cost": 1, "weeks": 2, "scenes": {"S08": 2}, "requires": ["net"]},
        {"id": "erp", "cost": 1, "weeks": 4, "scenes": {"S13": 2}},
        # a requires-cycle means "deploy together": each counted once along the chain
        {"id": "x", "cost": 1, "weeks": 2, "scenes": {"S01": 2}, "requires": ["y"]},
        {"id": "y", "cost": 1, "weeks": 3, "scenes": {"S02": 2}, "requires": ["x"]},
    )
    first, second, third, fourth, fifth = cat.upgrades
    assert critical_path_weeks((first, second, third)) == 5  # net then iot; erp alongside
    assert critical_path_weeks((third,)) == 4
    assert critical_path_weeks((fourth, fifth)) == 5
    assert critical_path_weeks(()) == 0
