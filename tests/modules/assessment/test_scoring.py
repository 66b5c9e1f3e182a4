"""End-to-end scoring: a realistic garment factory, re-scoring under another rule set, batches."""

from __future__ import annotations

import copy
import json
import random
from types import MappingProxyType
from typing import Any

import pytest

from loom.modules.assessment.engine import (
    InvalidQuestionnaire,
    ScoreResult,
    builtin_ruleset,
    builtin_ruleset_document,
    compile_rules,
    load_ruleset,
    score,
    score_many,
    score_selection,
)
from tests.modules.assessment import ALL_SCENES, full_marks, zero_questionnaire

# A cut-make-trim garment SME after its first transformation project.
GARMENT_FACTORY: dict[str, Any] = {
    "standard": "2024-manufacturing",
    "id": "ningbo-apparel-007",
    "answers": {
        "B1": ["B", "C"],  # 2 + 2 = 4
        "B2": {"production_devices": 180, "digital_devices": 54},  # 30%: (20%,40%] = 3
        "B3": {"networked_devices": 36},  # 36/180 = 20%: (10%,20%] = 1.5
        "B4": ["D", "F", "G", "H", "M", "N", "O"],  # 6 x 0.7 + 人力资源 0.9 = 5.1
        "B5": "C",  # 多个业务环节 = 5
        "B6": ["B", "C"],  # 2 x 1.25 = 2.5
        "B7": ["B", "C"],  # 2.5
        "M1": "D",  # 4.5
        "M2": ["B", "D"],  # 2 x 1.875 = 3.75
        "M3": ["B", "D"],  # 2 x 1.5 = 3
        "M4": {"digital_investment": 45, "revenue": 3000},  # 1.5%: [0-10%] = 0
        "R1": "C",  # energy per 100 CNY 降低 = 7
        "R2": "B",  # pass rate 持平 = 3.5
        "R3": "C",  # revenue per head 增加 = 3
        "R4": "B",  # cost per 100 CNY 持平 = 1.5
    },
    "scenes": {
        # level 2: 产品设计, 计划排程, 生产管控, 质量管理, 采购管理, 仓储物流, 财务管理, 人力资源
        **dict.fromkeys(["S01", "S05", "S06", "S07", "S11", "S12", "S13", "S14"], 2),
        # level 1: 营销管理, 设备管理, 安全生产, 能耗管理, 协同办公
        **dict.fromkeys(["S03", "S08", "S09", "S10", "S15"], 1),
        # not reached: 工艺设计, 售后服务, 决策支持
        **dict.fromkeys(["S02", "S04", "S16"], 0),
    },
}


def test_realistic_questionnaire_end_to_end() -> None:
    result = score(GARMENT_FACTORY).to_dict()
    assert result["rules_version"] == "2024-manufacturing.v1"
    assert result["id"] == "ningbo-apparel-007"
    assert result["indicator_points"] == {
        "B1": 4.0, "B2": 3.0, "B3": 1.5, "B4": 5.1, "B5": 5.0, "B6": 2.5, "B7": 2.5,
        "M1": 4.5, "M2": 3.75, "M3": 3.0, "M4": 0.0,
        "R1": 7.0, "R2": 3.5, "R3": 3.0, "R4": 1.5,
    }  # fmt: skip
    # 设备系统 4 + 3 + 1.5; 数据采集 5.1; 信息系统 5; 信息安全 2.5 + 2.5
    assert result["second_level_scores"] == {
        "devices_systems": 8.5,
        "data_collection": 5.1,
        "information_systems": 5.0,
        "information_security": 5.0,
        "planning": 8.25,  # M1 4.5 + M2 3.75
        "enablers": 3.0,  # M3 3 + M4 0
        "green_low_carbon": 7.0,
        "product_quality": 3.5,
        "market_returns": 4.5,  # R3 3 + R4 1.5
    }
    assert result["dimension_scores"] == {"foundation": 23.6, "management": 11.25, "results": 15.0}
    assert result["score"] == 49.85  # 23.6 + 11.25 + 15
    assert result["rates"] == {"B2": 30.0, "B3": 20.0, "M4": 1.5}
    # at >= 1: 8 + 5 = 13 scenes, constrained S01 S03 S06-S13 = 10; at >= 2: 8, of which
    # S01 S06 S07 S11 S12 S13 = 6 constrained
    assert result["scene_counts"] == {
        "1": {"all": 13, "constrained": 10},
        "2": {"all": 8, "constrained": 6},
        "3": {"all": 0, "constrained": 0},
        "4": {"all": 0, "constrained": 0},
    }
    assert result["level"] == 2
    assert result["unmet"] == {
        "1": {},
        "2": {},
        # 60 - 49.85 = 10.15 points; 8 scenes and 5 constrained at level 3 missing
        "3": {"points_short": 10.15, "scenes_short": 8, "constrained_scenes_short": 5},
        "4": {"points_short": 30.15, "scenes_short": 10, "constrained_scenes_short": 6},
    }
    # B4's per-option points are unverified and options were ticked; S12's constrained flag is
    # unverified and S12 counts; all four level rules are unverified
    assert result["unverified_rules_used"] == [
        "B4",
        "S12.constrained",
        "level-1",
        "level-2",
        "level-3",
        "level-4",
    ]
    json.dumps(result)  # plain data all the way down


def test_unverified_items_are_flagged_only_when_they_matter() -> None:
    q = copy.deepcopy(zero_questionnaire())  # B4 无, M1 无, S12 at 0
    assert score(q).unverified_rules_used == ["level-1", "level-2", "level-3", "level-4"]
    q["answers"]["M1"] = "E"  # options A-E are verified
    assert "M1" not in score(q).unverified_rules_used
    q["answers"]["M1"] = "F"  # option F's wording differs between sources
    q["scenes"]["S12"] = 1
    assert score(q).unverified_rules_used[:2] == ["M1", "S12.constrained"]


def test_rescoring_under_a_corrected_rule_set_changes_the_level() -> None:
    document = builtin_ruleset_document("2024-manufacturing.v1")
    document["version"] = 2
    document["id"] = "2024-manufacturing.v2"
    document["supersedes"] = "2024-manufacturing.v1"
    level_two = document["level_rules"]["levels"][1]
    assert level_two["id"] == "level-2"
    level_two["min_score"] = 45
    corrected = compile_rules(load_ruleset(document))

    before = score(GARMENT_FACTORY)
    after = score(GARMENT_FACTORY, corrected)
    assert (before.level, before.rules_version) == (2, "2024-manufacturing.v1")
    # 49.85 still clears 45
    assert (after.level, after.rules_version) == (2, "2024-manufacturing.v2")

    # 40 points and enough scenes: level 2 under v1, only level 1 once level 2 needs 45
    forty = copy.deepcopy(full_marks())
    forty["answers"].update(
        {"B4": ["A"], "M1": "A", "M2": ["A"], "M3": ["A"], "R1": "A", "R2": "A", "R3": "A"}
    )
    forty["answers"]["M4"] = {"digital_investment": 0, "revenue": 1}
    forty["answers"]["R4"] = "A"
    forty["scenes"] = dict.fromkeys(ALL_SCENES, 2)
    assert score(forty).score == 40.0  # foundation without B4: 50 - 10
    assert score(forty).level == 2
    rescored = score(forty, corrected).to_dict()
    assert rescored["level"] == 1
    assert rescored["unmet"]["2"] == {"points_short": 5.0}


def test_rule_set_objects_and_none_are_accepted_as_rules() -> None:
    assert score(GARMENT_FACTORY, builtin_ruleset()).score == 49.85
    assert score(GARMENT_FACTORY, None).score == 49.85


def test_score_many_keeps_good_results_and_errors_in_place() -> None:
    bad = copy.deepcopy(GARMENT_FACTORY)
    bad["answers"]["B5"] = "Z"
    outcomes = score_many([GARMENT_FACTORY, bad, zero_questionnaire()])
    assert isinstance(outcomes[0], ScoreResult)
    assert outcomes[0].level == 2
    assert isinstance(outcomes[1], InvalidQuestionnaire)
    assert [p.path for p in outcomes[1].problems] == ["answers.B5"]
    assert isinstance(outcomes[2], ScoreResult)
    assert outcomes[2].level == 0


def test_score_selection_takes_band_letters_for_rate_questions() -> None:
    # the garment factory's resolved options, with B2 raised from band C to E (3 -> 6 points)
    options: dict[str, Any] = score(GARMENT_FACTORY).indicator_options
    options["B2"] = "E"
    result = score_selection(options, GARMENT_FACTORY["scenes"])
    assert result.score == 52.85  # 49.85 + 3
    with pytest.raises(InvalidQuestionnaire):
        score_selection({**options, "B3": "Z"}, GARMENT_FACTORY["scenes"])


def random_questionnaire(rng: random.Random) -> dict[str, Any]:
    """Return a random valid questionnaire (for comparing the fast and the thorough path)."""
    q = copy.deepcopy(zero_questionnaire())
    a = q["answers"]
    for indicator, letters in {"B1": "BCDE", "B4": "BCDEFGHIJKLMNO", "B6": "BCDE",
                               "B7": "BCDE", "M2": "BCDE", "M3": "BCDEF"}.items():  # fmt: skip
        ticked = rng.sample(letters, rng.randint(0, len(letters)))
        a[indicator] = ticked or ["A"]
    for indicator, letters in {"B5": "ABCDE", "M1": "ABCDEF", "R1": "ABC", "R2": "ABC",
                               "R3": "ABC", "R4": "ABC"}.items():  # fmt: skip
        a[indicator] = rng.choice(letters)
    devices = rng.randint(1, 500)
    a["B2"] = {"production_devices": devices, "digital_devices": rng.randint(0, devices)}
    a["B3"] = {"networked_devices": rng.randint(0, devices)}
    revenue = rng.randint(1, 10_000)
    a["M4"] = {"digital_investment": rng.randint(0, revenue), "revenue": revenue}
    q["scenes"] = {scene: rng.randint(0, 4) for scene in ALL_SCENES}
    return q


def test_fast_path_agrees_with_the_thorough_checker() -> None:
    # a read-only mapping is not a dict, so it always takes the thorough path
    rng = random.Random(20240904)
    for _ in range(300):
        q = random_questionnaire(rng)
        fast = score(q).to_dict()
        thorough = score(MappingProxyType(q)).to_dict()
        assert fast == thorough


def test_the_memo_of_valid_ticks_is_bounded_and_never_changes_a_score(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from loom.modules.assessment.engine import fastpath

    monkeypatch.setattr(fastpath, "MULTI_MEMO_LIMIT", 2)
    rules = compile_rules(builtin_ruleset())
    memo = next(step[3] for step in rules.plan if step[0] == "B1")
    # B1 options are 2 points each: the sum is 2 x the number ticked, memo or not
    for ticks in (["B"], ["B", "C"], ["C", "D", "E"], ["B"], ["E", "B"], ["B", "C"]):
        q = copy.deepcopy(zero_questionnaire())
        q["answers"]["B1"] = ticks
        assert score(q, rules).indicator_points["B1"] == 2.0 * len(ticks)
    assert list(memo) == [("B",), ("B", "C")]
    # an invalid list is never remembered, so it is refused every time
    q = copy.deepcopy(zero_questionnaire())
    q["answers"]["B1"] = ["A", "B"]
    for _ in range(2):
        with pytest.raises(InvalidQuestionnaire):
            score(q, rules)
    assert ("A", "B") not in memo
