"""Bad questionnaires: every problem is listed at once with its path, and nothing is scored."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from loom.modules.assessment.engine import InvalidQuestionnaire, Problem, score
from loom.modules.assessment.engine.scoring import default_rules
from loom.modules.assessment.engine.validation import resolve
from tests.modules.assessment import with_answers, with_scenes, zero_questionnaire


def problems_of(q: Any) -> dict[str, str]:
    """Score ``q`` expecting failure; return ``{path: message}`` of every problem."""
    with pytest.raises(InvalidQuestionnaire) as caught:
        score(q)
    found = caught.value.problems
    paths = [p.path for p in found]
    assert len(paths) == len(set(paths)), f"a path reported twice: {paths}"
    return {p.path: p.message for p in found}


def test_every_problem_is_listed_at_once() -> None:
    q = zero_questionnaire()
    q["standard"] = "2022-manufacturing"
    q["answers"].update(
        {
            "X9": "A",  # unknown indicator
            "B5": "Z",  # option that does not exist
            "B1": ["A", "B"],  # 无 with another option
            "B2": {"production_devices": 10, "digital_devices": 12},  # more than the total
            "B3": {"networked_devices": -1},  # negative count
            "M4": {"digital_investment": "12", "revenue": 0},  # not a number; divides by 0
            "B4": ["B", "B"],  # ticked twice
            "B6": "B",  # a multiple-choice answer must be a list
            "B7": [],  # nothing ticked
            "R1": ["C"],  # a single answer must be a letter
        }
    )
    del q["answers"]["M1"]  # missing required answer
    q["scenes"].update({"S17": 1, "S05": 5, "S07": -1, "S08": "2", "S09": True, "S10": 2.5})
    del q["scenes"]["S06"]
    found = problems_of(q)
    assert set(found) == {
        "standard",
        "answers.X9",
        "answers.B5",
        "answers.B1",
        "answers.B2.digital_devices",
        "answers.B3.networked_devices",
        "answers.M4.digital_investment",
        "answers.M4.revenue",
        "answers.B4[1]",
        "answers.B6",
        "answers.B7",
        "answers.R1",
        "answers.M1",
        "scenes.S17",
        "scenes.S05",
        "scenes.S06",
        "scenes.S07",
        "scenes.S08",
        "scenes.S09",
        "scenes.S10",
    }
    assert "2024-manufacturing" in found["standard"]
    assert found["answers.X9"].startswith("unknown indicator")
    assert "'Z' does not exist" in found["answers.B5"]
    assert "options are A, B, C, D, E" in found["answers.B5"]
    assert "excludes every other option" in found["answers.B1"]
    assert "12 is more than production_devices (10)" in found["answers.B2.digital_devices"]
    assert "negative" in found["answers.B3.networked_devices"]
    assert "expected a number" in found["answers.M4.digital_investment"]
    assert "greater than 0" in found["answers.M4.revenue"]
    assert "ticked twice" in found["answers.B4[1]"]
    assert "list of option letters" in found["answers.B6"]
    assert "at least one option" in found["answers.B7"]
    assert "one option letter" in found["answers.R1"]
    assert "missing" in found["answers.M1"]
    assert found["scenes.S17"].startswith("unknown scene")
    assert "outside 0–4" in found["scenes.S05"]
    assert "outside 0–4" in found["scenes.S07"]
    assert "missing" in found["scenes.S06"]
    for path in ("scenes.S08", "scenes.S09", "scenes.S10"):
        assert "whole number 0–4" in found[path]


@pytest.mark.parametrize(
    ("answer", "path", "fragment"),
    [
        ({"production_devices": 0, "digital_devices": 0}, "answers.B2.production_devices", "> 0"),
        ({"production_devices": 10}, "answers.B2.digital_devices", "missing"),
        ({"production_devices": 10, "digital_devices": 2.5}, "answers.B2.digital_devices", "whole"),
        (
            {"production_devices": 10, "digital_devices": 1, "machines": 3},
            "answers.B2.machines",
            "unknown field",
        ),
        ({"production_devices": 10, "digital_devices": None}, "answers.B2.digital_devices", "null"),
        ({"production_devices": 10, "digital_devices": True}, "answers.B2.digital_devices", "true"),
        (
            {"production_devices": 10, "digital_devices": float("nan")},
            "answers.B2.digital_devices",
            "number",
        ),
        (
            {"production_devices": Decimal("Infinity"), "digital_devices": 1},
            "answers.B2.production_devices",
            "number",
        ),
        (30, "answers.B2", "object of raw numbers"),
        ("C", "answers.B2", "object of raw numbers"),
    ],
)
def test_bad_rate_answers(answer: Any, path: str, fragment: str) -> None:
    found = problems_of(with_answers(zero_questionnaire(), B2=answer))
    assert path in found
    assert fragment.replace("> 0", "greater than 0") in found[path]


def test_shared_total_must_agree_and_must_exist() -> None:
    q = with_answers(
        zero_questionnaire(),
        B2={"production_devices": 100, "digital_devices": 5},
        B3={"networked_devices": 5, "production_devices": 90},
    )
    found = problems_of(q)
    assert list(found) == ["answers.B3.production_devices"]
    assert "answers.B2.production_devices is 100" in found["answers.B3.production_devices"]

    # B2 missing: B3 has no total, and says where to give it; no duplicate report for B2's figure
    q = with_answers(zero_questionnaire())
    del q["answers"]["B2"]
    found = problems_of(q)
    assert set(found) == {"answers.B2", "answers.B3.production_devices"}
    assert "answers.B2.production_devices" in found["answers.B3.production_devices"]

    # B2's total invalid: reported once, at B2
    q = with_answers(zero_questionnaire(), B2={"production_devices": 0, "digital_devices": 0})
    assert list(problems_of(q)) == ["answers.B2.production_devices"]


@pytest.mark.parametrize(
    ("questionnaire", "path"),
    [
        ([], "$"),
        ("answers", "$"),
        ({"answers": {}, "scenes": {}}, "standard"),
        ({"standard": "2024-manufacturing", "scenes": {}}, "answers"),
        ({"standard": "2024-manufacturing", "answers": [], "scenes": {}}, "answers"),
        ({"standard": "2024-manufacturing", "answers": {}, "scenes": None}, "scenes"),
    ],
)
def test_malformed_questionnaires(questionnaire: Any, path: str) -> None:
    assert path in problems_of(questionnaire)


def test_unknown_top_level_keys_and_bad_ids_are_reported() -> None:
    q = zero_questionnaire()
    q["scene"] = {}  # a typo
    q["id"] = ["not", "an", "id"]
    assert set(problems_of(q)) == {"scene", "id"}


@pytest.mark.parametrize("value", [None, 1, ["B"], "b", ""])
def test_bad_single_answers(value: Any) -> None:
    assert "answers.B5" in problems_of(with_answers(zero_questionnaire(), B5=value))


@pytest.mark.parametrize(
    ("value", "path"),
    [([None], "answers.B1[0]"), (["B", 2], "answers.B1[1]"), (["Q"], "answers.B1[0]")],
)
def test_bad_multiple_choice_items(value: Any, path: str) -> None:
    assert path in problems_of(with_answers(zero_questionnaire(), B1=value))


def test_scene_levels_must_be_plain_whole_numbers() -> None:
    q = with_scenes(zero_questionnaire(), S01=None, S02=Decimal(2))
    found = problems_of(q)
    assert set(found) == {"scenes.S01", "scenes.S02"}


def test_error_carries_details_for_the_web_envelope() -> None:
    q = with_answers(zero_questionnaire(), B5="Z")
    with pytest.raises(InvalidQuestionnaire) as caught:
        score(q)
    error = caught.value
    assert error.status_code == 422
    assert error.problems == (Problem("answers.B5", error.problems[0].message),)
    assert error.details == [{"field": "answers.B5", "message": error.problems[0].message}]
    assert "answers.B5" in str(error)


def test_the_input_is_never_modified() -> None:
    q = zero_questionnaire()
    q["answers"]["B1"] = ["C", "B"]
    snapshot = copy.deepcopy(q)
    resolved = resolve(default_rules(), q)
    assert q == snapshot
    assert resolved[0][0] == ("C", "B")
