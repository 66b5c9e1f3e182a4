"""Catalogue loading: the sample is valid, and every problem of a bad catalogue is listed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loom.modules.assessment.engine import default_rules
from loom.modules.assessment.planner import (
    InvalidCatalogue,
    load_catalogue,
    parse_catalogue,
    random_catalogue,
    sample_catalogue,
)


def problems(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidCatalogue) as caught:
        parse_catalogue(document, default_rules())
    return [(p.path, p.message) for p in caught.value.problems]


def test_the_sample_catalogue_is_valid_and_realistic() -> None:
    cat = sample_catalogue()
    assert len(cat.upgrades) == 40
    assert len({u.id for u in cat.upgrades}) == 40
    assert any(u.requires for u in cat.upgrades)
    assert ("erp-cloud", "erp-onprem") in cat.excluded_pairs()
    loom_apps = [u for u in cat.upgrades if u.provider == "Loom"]
    assert {"loom-bundle-scan", "loom-quality", "loom-oee", "loom-energy"} <= {
        u.id for u in loom_apps
    }
    by_id = cat.by_id()
    assert by_id["loom-bundle-scan"].cost_fen == 48_000_00
    assert by_id["loom-bundle-scan"].indicators["B4"] == ("G",)
    assert by_id["loom-oee"].scenes["S08"] == 3


def test_random_catalogues_are_valid_and_reproducible() -> None:
    first = random_catalogue(None, 40, seed=7)
    assert len(first.upgrades) == 40
    assert first == random_catalogue(None, 40, seed=7)
    assert first != random_catalogue(None, 40, seed=8)


def test_every_problem_is_listed_with_its_path() -> None:
    document = {
        "standard": "2020-services",
        "currency": "USD",
        "colour": "red",
        "options": [
            {
                "id": "a",
                "cost": -1,
                "weeks": 2.5,
                "indicators": {"B9": ["B"], "B5": "Z", "B4": ["A", "G", "G"], "M1": ["B"]},
                "scenes": {"S17": 2, "S01": 5, "S02": 0, "S03": "2"},
                "requires": ["nope"],
                "excludes": ["a"],
                "price": 3,
            },
            {"id": "a", "cost": 1, "weeks": 1, "scenes": {"S01": 1}},
            {"id": "b", "weeks": -1, "cost": "cheap"},
            {"id": "c", "cost": 0.001, "weeks": 1, "scenes": {"S01": 1}, "requires": ["d"],
             "excludes": ["d"]},
            {"id": "d", "cost": 1, "weeks": 1, "indicators": {"B6": "B"}},  # one tick: fine
            "e",
        ],
    }  # fmt: skip
    found = problems(document)
    expected = [
        ("colour", "unknown key"),
        ("standard", "is string '2020-services'; rule set 2024-manufacturing.v1 grades "
         "'2024-manufacturing'"),
        ("currency", "only CNY is supported, got string 'USD'"),
        ("options[0].price", "unknown key"),
        ("options[0].cost", "cost -1 is negative"),
        ("options[0].weeks", "expected a whole number of weeks, got number 2.5"),
        ("options[0].indicators.B9", "unknown indicator; indicators are B1, B2, B3, B4, B5, B6, "
         "B7, M1, M2, M3, M4, R1, R2, R3, R4"),
        ("options[0].indicators.B5", "option 'Z' does not exist; options are A, B, C, D, E"),
        ("options[0].indicators.B4[0]", "option A (无) cannot be an upgrade"),
        ("options[0].indicators.B4[2]", "option G is listed twice"),
        ("options[0].indicators.M1", "expected one option letter (the level reached), "
         "got an array"),
        ("options[0].scenes.S17", "unknown scene; scenes are S01, S02, S03, S04, S05, S06, "
         "S07, S08, S09, S10, S11, S12, S13, S14, S15, S16"),
        ("options[0].scenes.S01", "level 5 is outside 1–4"),
        ("options[0].scenes.S02", "level 0 is outside 1–4"),
        ("options[0].scenes.S03", "expected a level 1–4, got string '2'"),
        ("options[2].cost", "expected a cost in CNY, got string 'cheap'"),
        ("options[2].weeks", "-1 weeks is outside 0–520"),
        ("options[2]", "raises no indicator and no scene"),
        ("options[3].cost", "cost 0.001 has fractions of a fen"),
        ("options[5]", "expected an object, got string 'e'"),
        ("options[1].id", "duplicate id 'a' (first at options[0])"),
        ("options[0].requires[0]", "unknown option 'nope'"),
        ("options[0].excludes[0]", "option 'a' names itself"),
        ("options[3]", "both requires and excludes 'd'"),
    ]  # fmt: skip
    assert sorted(found) == sorted(expected)
    assert len(found) == len(expected)


def test_bad_shapes_are_reported_not_crashed_on() -> None:
    assert problems([]) == [("$", "expected an object, got an array")]
    assert problems({"options": {}}) == [("options", "expected a list of options, got an object")]
    assert problems({"options": [{"id": "", "cost": True, "weeks": 1, "scenes": []}]}) == [
        ("options[0].id", "expected a non-empty string, got string ''"),
        ("options[0].cost", "expected a cost in CNY, got boolean true"),
        ("options[0].scenes", "expected an object of scene id -> level, got an array"),
        ("options[0]", "raises no indicator and no scene"),
    ]


def test_files_with_repeated_keys_or_bad_json_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text('{"options": [{"id": "a", "id": "b"}]}', encoding="utf-8")
    with pytest.raises(InvalidCatalogue, match="appears twice"):
        load_catalogue(path, default_rules())
    path.write_text('{"options": [', encoding="utf-8")
    with pytest.raises(InvalidCatalogue, match="not valid JSON"):
        load_catalogue(path, default_rules())
