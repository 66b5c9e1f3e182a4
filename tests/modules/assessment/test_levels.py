"""Level boundaries: score thresholds, scene counts and constrained-scene counts, at and below.

The 2024 level rules (unverified, from a third-party tool) are, for level 1/2/3/4:
score >= 20/40/60/80, scenes at or above the level >= 6/6/8/10, constrained ones >= 3/3/5/6.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from loom.modules.assessment.engine import score
from tests.modules.assessment import (
    ALL_SCENES,
    CONSTRAINED,
    GUIDING,
    full_marks,
    with_answers,
    zero_questionnaire,
)


def all_scenes_at_four(q: dict[str, Any]) -> dict[str, Any]:
    q = copy.deepcopy(q)
    q["scenes"] = dict.fromkeys(ALL_SCENES, 4)
    return q


def answers_worth(total: str) -> dict[str, Any]:
    """Return answers worth exactly the named total, built from the standard's option points."""
    z = zero_questionnaire()
    foundation_40 = {
        "B1": ["B", "C", "D", "E"],  # 8
        "B2": {"production_devices": 10, "digital_devices": 10},  # 100% = 6
        "B3": {"networked_devices": 10},  # 6
        "B5": "E",  # 10
        "B6": ["B", "C", "D", "E"],  # 5
        "B7": ["B", "C", "D", "E"],  # 5
    }
    table: dict[str, dict[str, Any]] = {
        # B5 E 10 + B6 all 5 + B7 all 5 = 20
        "20": {"B5": "E", "B6": ["B", "C", "D", "E"], "B7": ["B", "C", "D", "E"]},
        # as 20 but B7 only B, C, D: 10 + 5 + 3.75 = 18.75
        "18.75": {"B5": "E", "B6": ["B", "C", "D", "E"], "B7": ["B", "C", "D"]},
        # 8 + 6 + 6 + 10 + 5 + 5 = 40
        "40": foundation_40,
        # as 40 but B3 at 50% (40%,60%] = 4.5 instead of 6: 38.5
        "38.5": {**foundation_40, "B3": {"networked_devices": 5}},
        # 40 + B4 all 10 = 50 (foundation full), + R1 B 3.5 + R2 B 3.5 + R3 C 3 = 60
        "60": {**foundation_40, "B4": list("BCDEFGHIJKLMNO"), "R1": "B", "R2": "B", "R3": "C"},
        # as 60 but R3 B (1.5 instead of 3): 58.5
        "58.5": {**foundation_40, "B4": list("BCDEFGHIJKLMNO"), "R1": "B", "R2": "B", "R3": "B"},
    }
    if total in table:
        return with_answers(z, **table[total])
    full = full_marks()
    no_results = {"R1": "A", "R2": "A", "R3": "A", "R4": "A"}  # 100 - 20 = 80
    if total == "80":
        return with_answers(full, **no_results)
    # as 80 but M4 at 50% (40%,60%] = 5.625 instead of 7.5: 78.125
    assert total == "78.125"
    return with_answers(full, **no_results, M4={"digital_investment": 500, "revenue": 1000})


@pytest.mark.parametrize(
    ("total", "expected_score", "expected_level", "short_level", "points_short"),
    [
        ("20", 20.0, 1, 2, 20.0),  # exactly 20: level 1; level 2 needs 20 more
        ("18.75", 18.75, 0, 1, 1.25),  # 1.25 below 20: not graded
        ("40", 40.0, 2, 3, 20.0),
        ("38.5", 38.5, 1, 2, 1.5),
        ("60", 60.0, 3, 4, 20.0),
        ("58.5", 58.5, 2, 3, 1.5),
        ("80", 80.0, 4, None, None),
        ("78.125", 78.125, 3, 4, 1.875),
    ],
)
def test_score_thresholds_are_inclusive(
    total: str,
    expected_score: float,
    expected_level: int,
    short_level: int | None,
    points_short: float | None,
) -> None:
    # every scene at level 4, so only the score can hold a level back
    result = score(all_scenes_at_four(answers_worth(total))).to_dict()
    assert result["score"] == expected_score
    assert result["level"] == expected_level
    if short_level is not None:
        assert result["unmet"][str(short_level)] == {"points_short": points_short}
    for level in range(1, expected_level + 1):
        assert result["unmet"][str(level)] == {}


# (level, scenes needed, constrained scenes needed) from the level rules
LEVEL_SCENE_RULES = [(1, 6, 3), (2, 6, 3), (3, 8, 5), (4, 10, 6)]


def scenes_at(level: int, constrained: int, guiding: int) -> dict[str, Any]:
    """Return a full-marks questionnaire with only the given numbers of scenes rated ``level``."""
    q = full_marks()
    q["scenes"] = dict.fromkeys(ALL_SCENES, 0)
    for scene in CONSTRAINED[:constrained] + GUIDING[:guiding]:
        q["scenes"][scene] = level
    return q


@pytest.mark.parametrize(("level", "scenes", "constrained"), LEVEL_SCENE_RULES)
def test_scene_counts_exactly_at_the_minimum_reach_the_level(
    level: int, scenes: int, constrained: int
) -> None:
    result = score(scenes_at(level, constrained, scenes - constrained))
    assert result.level == level
    assert result.to_dict()["scene_counts"][str(level)] == {
        "all": scenes,
        "constrained": constrained,
    }


# one scene too few (a guiding one dropped): the level falls to the highest one still held.
# Level 1 and 2 need 6 scenes; with 5, even level 1 (6 scenes at >= 1) fails: 0.
# Level 3 with 7 scenes at 3 (5 constrained) still has level 2 (6 and 3 at >= 2): 2.
# Level 4 with 9 scenes at 4 (6 constrained) still has level 3 (8 and 5 at >= 3): 3.
@pytest.mark.parametrize(
    ("level", "scenes", "constrained", "fallback"),
    [(1, 6, 3, 0), (2, 6, 3, 0), (3, 8, 5, 2), (4, 10, 6, 3)],
)
def test_one_scene_short(level: int, scenes: int, constrained: int, fallback: int) -> None:
    result = score(scenes_at(level, constrained, scenes - constrained - 1)).to_dict()
    assert result["level"] == fallback
    assert result["unmet"][str(level)] == {"scenes_short": 1}
    check = result["levels"][level - 1]
    assert check["met"] is False
    assert check["score"]["met"] is True
    assert check["constrained_scenes"]["met"] is True
    assert check["scenes"] == {"required": scenes, "actual": scenes - 1, "met": False, "short": 1}


# one constrained scene too few, the total kept by rating one more guiding scene instead
# (6 guiding scenes exist, enough for every case): same fallbacks as above.
@pytest.mark.parametrize(
    ("level", "scenes", "constrained", "fallback"),
    [(1, 6, 3, 0), (2, 6, 3, 0), (3, 8, 5, 2), (4, 10, 6, 3)],
)
def test_one_constrained_scene_short(
    level: int, scenes: int, constrained: int, fallback: int
) -> None:
    q = scenes_at(level, constrained - 1, scenes - constrained + 1)
    result = score(q).to_dict()
    assert result["scene_counts"][str(level)] == {"all": scenes, "constrained": constrained - 1}
    assert result["level"] == fallback
    assert result["unmet"][str(level)] == {"constrained_scenes_short": 1}


def test_scenes_above_a_level_count_towards_it() -> None:
    # 3 constrained scenes at 4 and 3 guiding at 2: six scenes are "at or above 2"
    q = scenes_at(2, 0, 3)
    for scene in CONSTRAINED[:3]:
        q["scenes"][scene] = 4
    result = score(q).to_dict()
    assert result["scene_counts"]["2"] == {"all": 6, "constrained": 3}
    assert result["scene_counts"]["4"] == {"all": 3, "constrained": 3}
    assert result["level"] == 2


def test_every_level_explains_every_condition() -> None:
    # 38.5 points, scenes: 6 at 2 of which 3 constrained -> level 1, level 2 short on points only
    q = answers_worth("38.5")
    q["scenes"] = scenes_at(2, 3, 3)["scenes"]
    result = score(q).to_dict()
    assert result["level"] == 1
    levels = {check["level"]: check for check in result["levels"]}
    assert levels[1]["met"] is True
    assert levels[2]["score"] == {"required": 40.0, "actual": 38.5, "met": False, "short": 1.5}
    assert levels[2]["scenes"]["met"] is True
    assert levels[2]["constrained_scenes"]["met"] is True
    # level 3: 60 - 38.5 = 21.5 points, 8 scenes and 5 constrained at >= 3, none rated 3
    assert result["unmet"]["3"] == {
        "points_short": 21.5,
        "scenes_short": 8,
        "constrained_scenes_short": 5,
    }
    assert result["unmet"]["4"] == {
        "points_short": 41.5,
        "scenes_short": 10,
        "constrained_scenes_short": 6,
    }
    assert all(check["verified"] is False for check in result["levels"])


def test_nothing_reached_is_level_zero() -> None:
    result = score(zero_questionnaire()).to_dict()
    assert result["level"] == 0
    assert result["unmet"]["1"] == {
        "points_short": 20.0,
        "scenes_short": 6,
        "constrained_scenes_short": 3,
    }
