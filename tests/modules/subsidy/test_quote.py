"""Quotes under the shipped rules: share, cap, split, eligibility and bad input, by hand."""

from __future__ import annotations

import pytest

from loom.modules.subsidy.engine import (
    Facts,
    FactValue,
    InvalidInput,
    Quote,
    builtin_ruleset,
    parse_cny,
    parse_fact_assignments,
    quote,
)
from tests.modules.subsidy import PILOT

RULES = builtin_ruleset()


def pilot(investment_cny: str, facts: dict[str, FactValue] | None = None) -> Quote:
    return quote(
        RULES.rule("pilot-project"),
        parse_cny(investment_cny, "investment"),
        PILOT if facts is None else facts,
    )


def split_of(result: Quote) -> dict[str, int]:
    return {part.funder.id: part.amount_fen for part in result.split}


def test_below_the_cap_the_share_applies() -> None:
    result = pilot("600000")
    # 50% of 600,000 = 300,000 CNY, under the 500,000 cap
    assert (result.eligible, result.amount_fen, result.limit_applied) == (True, 30_000_000, "share")
    # 5:3:2 of 300,000 = 150,000 / 90,000 / 60,000
    assert split_of(result) == {"central": 15_000_000, "city": 9_000_000, "district": 6_000_000}
    rooms = {room.limit: room for room in result.headroom}
    # 500,000 - 300,000 = 200,000 left under the cap after this award
    assert rooms["cap"].remaining_fen == 20_000_000
    assert rooms["per_beneficiary_cap"].available_fen == 50_000_000


def test_at_the_cap_the_share_and_the_cap_agree() -> None:
    result = pilot("1000000")
    # 50% of 1,000,000 = 500,000 = the cap exactly; the cap cut nothing, so "share" is named
    assert (result.amount_fen, result.limit_applied) == (50_000_000, "share")
    assert {room.limit: room.remaining_fen for room in result.headroom}["cap"] == 0


def test_above_the_cap_the_cap_applies() -> None:
    result = pilot("1500000")
    # 50% of 1,500,000 = 750,000 > 500,000: capped
    assert (result.amount_fen, result.limit_applied) == (50_000_000, "cap")
    # 5:3:2 of 500,000 = 250,000 / 150,000 / 100,000
    assert split_of(result) == {"central": 25_000_000, "city": 15_000_000, "district": 10_000_000}
    assert "capped at 500000.00 CNY" in result.reasons[1]
    assert "would be 750000.00" in result.reasons[1]


def test_the_split_is_rounded_to_the_fen_and_adds_up() -> None:
    result = pilot("666666.66")
    # 50% of 666,666.66 = 333,333.33 CNY = 33,333,333 fen. In tenths of a fen: central
    # 16,666,666.5, city 9,999,999.9, district 6,666,666.6; floors leave 2 fen, which go to the
    # largest remainders (city .9, district .6)
    assert result.amount_fen == 33_333_333
    assert split_of(result) == {"central": 16_666_666, "city": 10_000_000, "district": 6_666_667}
    assert sum(split_of(result).values()) == result.amount_fen


def test_the_share_is_rounded_down_to_the_fen() -> None:
    # 50% of 0.03 CNY = 1.5 fen → 1 fen ("不超过" 50%: never more); 1 fen 5:3:2 → central
    result = pilot("0.03")
    assert result.amount_fen == 1
    assert split_of(result) == {"central": 1, "city": 0, "district": 0}
    # 30% of 12,345,678.91 CNY = 370,370,367.3 fen → 370,370,367 fen = 3,703,703.67 CNY
    brain = quote(
        RULES.rule("enterprise-brain-platform"),
        parse_cny("12345678.91", "investment"),
        {"listed_as": {"municipal-enterprise-brain"}},
    )
    assert (brain.amount_fen, brain.limit_applied) == (370_370_367, "share")
    assert split_of(brain) == {"central": 370_370_367}


def test_the_enterprise_brain_cap_is_ten_million() -> None:
    brain = quote(
        RULES.rule("enterprise-brain-platform"),
        parse_cny("40000000", "investment"),
        {"listed_as": {"municipal-enterprise-brain"}},
    )
    # 30% of 40,000,000 = 12,000,000 > 10,000,000
    assert (brain.amount_fen, brain.limit_applied) == (1_000_000_000, "cap")


def test_a_zero_investment_gets_nothing() -> None:
    result = pilot("0")
    assert (result.eligible, result.amount_fen, result.limit_applied) == (True, 0, "share")


@pytest.mark.parametrize(
    ("facts", "unmet"),
    [
        ({**PILOT, "accepted": False}, ["accepted is true"]),
        ({**PILOT, "level": 1}, ["level at least 2"]),
        ({**PILOT, "listed_as": frozenset({"municipal-sample"})}, ["listed_as includes"]),
        ({}, ["listed_as includes", "accepted is true", "level at least 2"]),
    ],
)
def test_an_ineligible_claim_gets_nothing_with_the_reasons(
    facts: dict[str, FactValue], unmet: list[str]
) -> None:
    result = pilot("600000", facts)
    assert (result.eligible, result.amount_fen, result.limit_applied) == (False, 0, None)
    assert split_of(result) == {"central": 0, "city": 0, "district": 0}
    assert result.reasons[0] == f"not eligible: {len(unmet)} of 3 conditions not met"
    for reason, fragment in zip(result.reasons[1:], unmet, strict=True):
        assert reason.startswith(fragment)
    # nothing is awarded, so every cap keeps all of its headroom
    assert all(room.remaining_fen == room.available_fen for room in result.headroom)


def test_the_reasons_say_what_was_given() -> None:
    result = pilot("600000", {**PILOT, "level": 1})
    assert result.reasons[1] == (
        "level at least 2 (确保通过验收的企业数字化水平达到二级及以上, 四(二)3, 四(二)4): given 1"
    )
    missing = pilot("600000", {"listed_as": frozenset({"national-pilot"}), "level": 3})
    assert missing.reasons[1].endswith(": not given")


@pytest.mark.parametrize(
    ("rule_id", "facts", "fen", "funder"),
    [
        # one-off awards quote their maximum, paid by the funder the plan names
        ("municipal-sample-award", {"listed_as": {"municipal-sample"}}, 20_000_000, "city"),
        ("benchmark-award", {"listed_as": {"first-batch-benchmark"}}, 10_000_000, "district"),
        (
            "excellent-contractor-award",
            {"listed_as": {"municipal-excellent-contractor"}},
            100_000_000,
            "central",
        ),
        (
            "excellent-product-award",
            {"listed_as": {"municipal-excellent-product"}},
            10_000_000,
            "city",
        ),
    ],
)
def test_one_off_awards_need_no_investment(
    rule_id: str, facts: Facts, fen: int, funder: str
) -> None:
    result = quote(RULES.rule(rule_id), None, facts)
    assert (result.eligible, result.amount_fen, result.limit_applied) == (True, fen, "cap")
    assert split_of(result) == {funder: fen}


def test_district_sector_projects_must_be_recognised() -> None:
    rule = RULES.rule("district-sector-project")
    listed = {"listed_as": {"district-concentrated"}}
    assert not quote(rule, 100_000_000, listed).eligible
    result = quote(rule, 100_000_000, {**listed, "recognised": True})
    # 50% of 1,000,000 = 500,000, all from the district
    assert (result.amount_fen, split_of(result)) == (50_000_000, {"district": 50_000_000})


def test_a_share_rule_needs_the_investment() -> None:
    with pytest.raises(InvalidInput) as caught:
        quote(RULES.rule("pilot-project"), None, PILOT)
    assert caught.value.problems[0].path == "investment"


@pytest.mark.parametrize("investment", [-1, 1.5, True])
def test_an_unusable_investment_is_refused(investment: object) -> None:
    with pytest.raises(InvalidInput, match="investment"):
        quote(RULES.rule("pilot-project"), investment, PILOT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "path"),
    [
        ({**PILOT, "level": "2"}, "facts.level"),
        ({**PILOT, "accepted": 1}, "facts.accepted"),
        ({**PILOT, "listed_as": "national-pilot"}, "facts.listed_as"),  # a string, not a list
    ],
)
def test_facts_of_the_wrong_type_are_refused(facts: dict[str, object], path: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        quote(RULES.rule("pilot-project"), 100, facts)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == path


def test_facts_from_the_command_line_are_typed_by_the_rule_set() -> None:
    facts = parse_fact_assignments(
        RULES,
        ["accepted=yes", "level=2", "listed_as=national-pilot", "listed_as=municipal-sample"],
    )
    assert facts == {
        "accepted": True,
        "level": 2,
        "listed_as": frozenset({"national-pilot", "municipal-sample"}),
    }
    assert parse_fact_assignments(RULES, ["listed_as=national-pilot,municipal-sample"]) == {
        "listed_as": frozenset({"national-pilot", "municipal-sample"})
    }
    with pytest.raises(InvalidInput) as caught:
        parse_fact_assignments(RULES, ["level=two", "colour=red", "accepted", "listed_as=x"])
    assert [p.path for p in caught.value.problems] == [
        "--fact level",
        "--fact colour",
        "--fact accepted",
        "--fact listed_as",
    ]


def test_the_quote_as_json() -> None:
    printed = pilot("1500000").to_dict()
    assert printed["rule"] == "pilot-project"
    assert printed["rules_version"] == "haishu-2024.v1"
    assert printed["investment"] == {"cny": "1500000.00", "fen": 150_000_000}
    assert printed["amount"] == {"cny": "500000.00", "fen": 50_000_000}
    assert printed["split"]["central"] == {"parts": 5, "cny": "250000.00", "fen": 25_000_000}
    assert printed["headroom"]["cap"]["remaining"] == {"cny": "0.00", "fen": 0}
    assert printed["verified"] is False
