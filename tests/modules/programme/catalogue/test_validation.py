"""Product checks against the national index: each bad field is named, all at once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loom.kernel.errors import ValidationFailed
from loom.modules.assessment.engine import CompiledRules, compiled
from loom.modules.programme.service.catalogue import (
    FieldProblem,
    ProductIn,
    check_product,
    product_problems,
)

GOOD = ProductIn(
    name="车间设备点检小程序",
    price_fen=980_000,
    delivery_weeks=2,
    deployment="cloud",
    scenes={"S09": 2},
    indicators={"B4": ["J"], "B5": ["C"], "B2": ["C"]},
)


@pytest.fixture(scope="module")
def rules() -> CompiledRules:
    return compiled(None)


def fields(data: ProductIn, rules: CompiledRules) -> dict[str, FieldProblem]:
    return {p.field: p for p in product_problems(data, rules)}


def test_a_good_product_has_no_problem(rules: CompiledRules) -> None:
    assert product_problems(GOOD, rules) == []
    check_product(GOOD, rules)  # does not raise


def test_unknown_scene_is_named(rules: CompiledRules) -> None:
    found = fields(replace(GOOD, scenes={"S17": 2}), rules)
    assert list(found) == ["scenes.S17"]
    assert found["scenes.S17"].message == "scenes.S17: not a scene of the national index"


@pytest.mark.parametrize("level", [0, 5, -1])
def test_level_out_of_range_is_named(rules: CompiledRules, level: int) -> None:
    # every scene of the 2024 index is rated 1–4 (scene_max_level in the rule set)
    found = fields(replace(GOOD, scenes={"S01": level}), rules)
    assert found["scenes.S01"].message == "scenes.S01: a level from 1 to 4"


def test_unknown_indicator_and_option_are_named(rules: CompiledRules) -> None:
    data = replace(GOOD, indicators={"X9": ["A"], "B1": ["Z"]})
    found = fields(data, rules)
    assert found["indicators.X9"].message == "indicators.X9: not an indicator of the national index"
    assert found["indicators.B1"].message == "indicators.B1: options among A, B, C, D, E"


def test_single_and_rate_indicators_reach_one_option(rules: CompiledRules) -> None:
    # B5 is a single-choice indicator and B2 a rate: a product reaches one option or band
    found = fields(replace(GOOD, indicators={"B5": ["B", "C"], "B2": []}), rules)
    assert found["indicators.B5"].template == "choose one option among %(options)s"
    assert found["indicators.B2"].message == "indicators.B2: choose one option among A, B, C, D, E"


def test_none_option_cannot_be_an_upgrade(rules: CompiledRules) -> None:
    # option A of B7 is 无 (none), exclusive in the rule set
    assert rules.indicator_by_id["B7"].exclusive == frozenset({"A"})
    found = fields(replace(GOOD, indicators={"B7": ["A", "B"]}), rules)
    assert found["indicators.B7"].message == "indicators.B7: option A cannot be an upgrade"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"price_fen": -1}, "price", "price: from 0 to 100,000,000 CNY"),
        ({"price_fen": 100_000_000 * 100 + 1}, "price", "price: from 0 to 100,000,000 CNY"),
        ({"delivery_weeks": 0}, "delivery_weeks", "delivery_weeks: from 1 to 520 weeks"),
        ({"deployment": "mainframe"}, "deployment", "deployment: cloud or on_premise"),
        ({"name": "  "}, "name", "name: must not be empty"),
    ],
)
def test_plain_fields_are_named(
    rules: CompiledRules, change: dict[str, object], field: str, message: str
) -> None:
    found = fields(replace(GOOD, **change), rules)  # type: ignore[arg-type]
    assert [p.message for p in found.values()] == [message]
    assert list(found) == [field]


def test_a_product_must_raise_something(rules: CompiledRules) -> None:
    found = fields(replace(GOOD, scenes={}, indicators={}), rules)
    assert list(found) == ["scenes"]


def test_check_lists_every_bad_field_at_once(rules: CompiledRules) -> None:
    bad = replace(GOOD, price_fen=-5, scenes={"S99": 1, "S02": 9}, indicators={"B1": ["Q"]})
    with pytest.raises(ValidationFailed) as caught:
        check_product(bad, rules)
    details = caught.value.details
    assert [d["field"] for d in details] == ["price", "scenes.S99", "scenes.S02", "indicators.B1"]
    assert caught.value.message == (
        "4 problem(s) in the product: price, scenes.S99, scenes.S02, indicators.B1"
    )
    # no single field: the error envelope keeps the whole list
    assert caught.value.field is None
