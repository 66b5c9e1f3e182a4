"""Rule sets: the shipped file against the shared reference data, loading, validation, lookup."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from loom.modules.assessment.engine import (
    RuleSetError,
    builtin_ruleset,
    builtin_ruleset_document,
    builtin_versions,
    load_ruleset,
)

# a copy of shared/domain/assessment-2024-manufacturing.json (tests/data/README.md)
SHARED = Path(__file__).resolve().parents[2] / "data" / "assessment-2024-manufacturing.json"
RATE_INDICATORS = {"B2", "B3", "M4"}  # single choice on a band, answered with raw numbers


@pytest.fixture(scope="module")
def shared() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SHARED.read_text(encoding="utf-8"), parse_float=Decimal)
    return data


def band_of(text: str) -> tuple[Decimal, bool, Decimal, bool]:
    """Parse a band as printed in the standard: ``[0-10%]``, ``(10%,20%]`` …"""
    match = re.fullmatch(r"([\[(])(\d+)%?[-,](\d+)%([\])])", text)
    assert match, text
    return Decimal(match[2]), match[1] == "[", Decimal(match[3]), match[4] == "]"


def test_shipped_indicators_match_the_reference(shared: dict[str, Any]) -> None:
    rs = builtin_ruleset("2024-manufacturing.v1")
    scored = [d for d in shared["dimensions"] if d["scoring"] == "points"]
    assert [d.name for d in rs.dimensions] == [d["dimension"] for d in scored]
    for dimension, source in zip(rs.dimensions, scored, strict=True):
        assert dimension.max_points == source["max_points"]
        assert dimension.weight_pct_of_total == source["weight_pct_of_total"]
        for second, src_second in zip(dimension.second_level, source["second_level"], strict=True):
            assert (second.name, second.max_points) == (
                src_second["name"],
                src_second["max_points"],
            )
            assert second.weight_pct_of_dimension == src_second["weight_pct_of_dimension"]
            for ind, src in zip(second.indicators, src_second["third_level"], strict=True):
                assert ind.id == src["id"]
                assert (ind.name, ind.question) == (src["third_level"], src["question"])
                assert ind.type == ("rate" if ind.id in RATE_INDICATORS else src["type"])
                assert ind.max_points == src["max_points"]
                assert ind.weight_pct_of_second == src["weight_pct_of_second"]
                assert ind.verified is src["verified"]
                assert ind.notes == src.get("notes")
                assert ind.definition == src.get("definition")
                assert list(ind.form_fields) == src.get("form_fields", [])
                assert {p.part: p.verified for p in ind.verified_parts} == src.get(
                    "verified_parts", {}
                )
                check_options(ind, src)
    assert rs.max_score == shared["scored_total_points"] == 100


def check_options(ind: Any, src: dict[str, Any]) -> None:
    assert [o.id for o in ind.options] == [o["prefix"] for o in src["options"]]
    for option, src_option in zip(ind.options, src["options"], strict=True):
        assert option.text == src_option["text"]  # verbatim Chinese
        assert option.points == src_option["points"]
        assert option.weight_pct_of_indicator == src_option["weight_pct_of_indicator"]
        assert option.exclusive is (src["type"] == "multi" and src_option["text"] == "无")
        if ind.id in RATE_INDICATORS:
            band = option.band
            assert (band.low, band.low_inclusive, band.high, band.high_inclusive) == band_of(
                src_option["text"]
            )
        else:
            assert option.band is None
    # the only unverified options: B4's points (per_option_points false) and M1 F's wording
    unverified = {o.id for o in ind.options if not o.verified}
    parts = src.get("verified_parts", {})
    if parts.get("per_option_points") is False:
        assert unverified == {o["prefix"] for o in src["options"] if o["text"] != "无"}
    elif parts.get("option_F_text") is False:
        assert unverified == {"F"}
        assert ind.option("F").alternative_texts[0].text in src["option_F_alternative_text"]
    else:
        assert unverified == set()


def test_shipped_scenes_match_the_reference(shared: dict[str, Any]) -> None:
    rs = builtin_ruleset("2024-manufacturing.v1")
    [source] = [d for d in shared["dimensions"] if d["scoring"] == "scene_level"]
    assert rs.scene_dimension.name == source["dimension"]
    groups = source["scene_groups"]
    assert [g.name for g in rs.scene_dimension.groups] == [g["group"] for g in groups]
    scenes = [s for g in groups for s in g["scenes"]]
    assert [s.id for s in rs.scenes()] == [s["id"] for s in scenes]
    for scene, src in zip(rs.scenes(), scenes, strict=True):
        assert (scene.name, scene.question) == (src["name"], src["question"])
        assert scene.constrained is src["constrained"]
        assert scene.constrained_verified is src["constrained_verified"]
        assert scene.verified is src["verified"]
        assert scene.notes == src.get("notes")
        assert [(lv.level, lv.text) for lv in scene.levels] == [
            (lv["level"], lv["text"]) for lv in src["levels"]
        ]
    assert sum(s.constrained for s in rs.scenes()) == 10


def test_shipped_level_rules_and_provenance_match_the_reference(shared: dict[str, Any]) -> None:
    rs = builtin_ruleset("2024-manufacturing.v1")
    source = shared["level_rules_2024"]
    assert rs.level_rules.verified is source["verified"] is False
    assert rs.level_rules.source == source["source"]
    assert rs.level_rules.conflicting_source == source["conflicting_source"]
    assert [
        (
            r.level,
            r.min_score,
            r.min_scenes_at_or_above_level,
            r.min_constrained_scenes_at_or_above_level,
            r.verified,
        )
        for r in rs.level_rules.levels
    ] == [
        (
            r["level"],
            r["min_score"],
            r["min_scenes_at_or_above_level"],
            r["min_constrained_scenes_at_or_above_level"],
            False,
        )
        for r in source["levels"]
    ]
    assert rs.title == shared["standard"]
    assert rs.provenance.doc_no == shared["notice"]["doc_no"]
    assert rs.provenance.issued == shared["notice"]["issued"]
    assert list(rs.provenance.sources) == shared["notice"]["sources"]
    assert rs.provenance.method == shared["method"]["text"]
    assert rs.provenance.official_text_read is False


def test_shipped_files_are_named_after_their_ids() -> None:
    folder = resources.files("loom.modules.assessment.rules")
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".json"))
    assert names == [f"{version}.json" for version in builtin_versions()]
    assert builtin_versions() == ["2024-manufacturing.v1"]


@pytest.mark.parametrize("version", [None, "2024-manufacturing.v1", "v1", "1"])
def test_builtin_lookup(version: str | None) -> None:
    assert builtin_ruleset(version).id == "2024-manufacturing.v1"


def test_unknown_builtin_version_names_the_known_ones() -> None:
    with pytest.raises(LookupError, match=r"2024-manufacturing\.v1"):
        builtin_ruleset("v7")


def test_a_loaded_document_round_trips_through_a_file(tmp_path: Path) -> None:
    document = builtin_ruleset_document()
    path = tmp_path / "copy.json"
    # a decimal written through float's shortest repr reads back as the same decimal
    path.write_text(json.dumps(document, default=float, ensure_ascii=False), encoding="utf-8")
    assert load_ruleset(path) == builtin_ruleset()


def rule_problems(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(document)
    return {p.path: p.message for p in caught.value.problems}


def test_structural_problems_are_all_listed() -> None:
    doc = builtin_ruleset_document()
    del doc["title"]
    doc["schema"] = 2
    doc["published"] = "yesterday"
    b1 = doc["dimensions"][0]["second_level"][0]["indicators"][0]
    b1["type"] = "ranking"
    b1["options"][1]["points"] = -2
    b1["colour"] = "red"
    doc["level_rules"]["levels"][0]["min_scenes_at_or_above_level"] = "six"
    found = rule_problems(doc)
    base = "dimensions[foundation].second_level[devices_systems].indicators[B1]"
    assert set(found) == {
        "title",
        "schema",
        "published",
        f"{base}.type",
        f"{base}.options[B].points",
        f"{base}.colour",
        "level_rules.levels[level-1].min_scenes_at_or_above_level",
    }


def test_consistency_problems_are_all_listed() -> None:
    doc = builtin_ruleset_document()
    doc["id"] = "2024-manufacturing.v9"  # version is still 1
    seconds = doc["dimensions"][0]["second_level"]
    b2 = seconds[0]["indicators"][1]
    b2["options"][1]["band"]["low_inclusive"] = True  # 10% would be in two bands
    b4 = seconds[1]["indicators"][0]
    b4["options"][14]["points"] = Decimal("0.8")  # 13 x 0.7 + 0.8 = 9.9, not 10
    b4["verified"] = True  # while its options are unverified
    doc["level_rules"]["levels"][3]["min_constrained_scenes_at_or_above_level"] = 11
    doc["level_rules"]["levels"][1]["level"] = 3
    found = rule_problems(doc)
    assert "id" in found
    assert (
        "exactly one"
        in found[
            "dimensions[foundation].second_level[devices_systems].indicators[B2].options[B].band"
        ]
    )
    b4_path = "dimensions[foundation].second_level[data_collection].indicators[B4]"
    assert "9.9" in found[f"{b4_path}.max_points"]
    assert f"{b4_path}.verified" in found
    assert (
        "only 10 constrained"
        in found["level_rules.levels[level-4].min_constrained_scenes_at_or_above_level"]
    )
    assert "1, 2, …" in found["level_rules.levels"]


def test_a_non_object_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(RuleSetError):
        load_ruleset(path)
