"""Cumulative caps: earlier awards under a rule count, so no award pushes anyone past a cap."""

from __future__ import annotations

import pytest

from loom.modules.subsidy.engine import (
    Claimant,
    InvalidInput,
    PriorAward,
    Quote,
    builtin_ruleset,
    read_prior_awards,
)
from loom.modules.subsidy.engine import quote as engine_quote
from tests.modules.subsidy import PILOT

RULES = builtin_ruleset()
PRODUCT_RULE = RULES.rule("excellent-product-award")
EXCELLENT = {"listed_as": {"municipal-excellent-product"}}


def product_quote(provider: str, product: str, prior: list[PriorAward]) -> Quote:
    return engine_quote(PRODUCT_RULE, None, EXCELLENT, prior, Claimant(None, provider, product))


def award(provider: str, product: str, fen: int) -> PriorAward:
    return PriorAward(fen, provider=provider, product=product)


def rooms(result: Quote) -> dict[str, tuple[int, int, int]]:
    return {r.limit: (r.awarded_fen, r.available_fen, r.remaining_fen) for r in result.headroom}


def test_a_first_product_gets_the_award_cap() -> None:
    result = product_quote("p1", "a", [])
    assert (result.amount_fen, result.limit_applied) == (10_000_000, "cap")  # 最高10万元


def test_a_fourth_product_of_a_provider_at_300000_gets_nothing() -> None:
    prior = [award("p1", "a", 10_000_000), award("p1", "b", 10_000_000)]
    prior.append(award("p1", "c", 10_000_000))
    result = product_quote("p1", "d", prior)
    # three products at 100,000 = 300,000, the cap per provider (每个服务商奖励不超过30万元)
    assert (result.eligible, result.amount_fen) == (True, 0)
    assert result.limit_applied == "per_provider_cap"
    assert result.reasons[1] == (
        "provider p1 already has 300000.00 CNY under excellent-product-award; "
        "the cap per provider is 300000.00 CNY, so nothing more can be awarded"
    )
    assert rooms(result)["per_provider_cap"] == (30_000_000, 0, 0)


def test_a_provider_at_250000_gets_50000_more() -> None:
    prior = [award("p1", "a", 10_000_000), award("p1", "b", 10_000_000)]
    prior.append(award("p1", "c", 5_000_000))
    result = product_quote("p1", "d", prior)
    # 300,000 - (100,000 + 100,000 + 50,000) = 50,000, below the 100,000 a product may get
    assert (result.amount_fen, result.limit_applied) == (5_000_000, "per_provider_cap")
    assert "at most 50000.00 CNY more can be awarded" in result.reasons[1]
    # product d had nothing: 100,000 available, 50,000 left after this award
    assert rooms(result)["per_product_cap"] == (0, 10_000_000, 5_000_000)
    assert rooms(result)["per_provider_cap"] == (25_000_000, 5_000_000, 0)


def test_a_product_already_part_awarded_gets_the_rest_of_its_cap() -> None:
    result = product_quote("p1", "a", [award("p1", "a", 6_000_000)])
    # 100,000 per product - 60,000 already = 40,000 (the provider has 240,000 of room left)
    assert (result.amount_fen, result.limit_applied) == (4_000_000, "per_product_cap")
    assert rooms(result)["per_provider_cap"] == (6_000_000, 24_000_000, 20_000_000)


def test_product_ids_belong_to_their_provider() -> None:
    # p2's product "a" is not p1's product "a"
    result = product_quote("p2", "a", [award("p1", "a", 10_000_000)])
    assert (result.amount_fen, result.limit_applied) == (10_000_000, "cap")


def test_awarding_quote_after_quote_never_passes_a_cap() -> None:
    prior: list[PriorAward] = []
    amounts = []
    for product in "abcde":
        granted = product_quote("p1", product, prior).amount_fen
        amounts.append(granted)
        prior.append(award("p1", product, granted))
    # 100,000 three times reaches the provider's 300,000; the fourth and fifth get nothing
    assert amounts == [10_000_000, 10_000_000, 10_000_000, 0, 0]


def test_awards_over_a_cap_already_never_give_a_negative_amount() -> None:
    result = product_quote("p1", "z", [award("p1", "a", 40_000_000)])  # a ledger error
    assert result.amount_fen == 0
    assert rooms(result)["per_provider_cap"] == (40_000_000, 0, 0)


def test_pilot_tranches_count_against_the_cap_per_enterprise() -> None:
    rule = RULES.rule("pilot-project")
    prior = [PriorAward(30_000_000, beneficiary="e1")]
    result = engine_quote(rule, 150_000_000, PILOT, prior, Claimant("e1"))
    # 50% of 1,500,000 = 750,000, capped at 500,000 per award, but e1 already had 300,000:
    # 200,000 left, split 5:3:2 = 100,000 / 60,000 / 40,000
    assert (result.amount_fen, result.limit_applied) == (20_000_000, "per_beneficiary_cap")
    assert [p.amount_fen for p in result.split] == [10_000_000, 6_000_000, 4_000_000]
    other = engine_quote(rule, 150_000_000, PILOT, prior, Claimant("e2"))
    assert (other.amount_fen, other.limit_applied) == (50_000_000, "cap")


def test_a_one_off_award_is_given_once() -> None:
    rule = RULES.rule("municipal-sample-award")
    facts = {"listed_as": {"municipal-sample"}}
    again = engine_quote(rule, None, facts, [PriorAward(20_000_000, "e1")], Claimant("e1"))
    assert (again.amount_fen, again.limit_applied) == (0, "per_beneficiary_cap")


def test_with_prior_awards_the_claimant_must_be_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        engine_quote(PRODUCT_RULE, None, EXCELLENT, [award("p1", "a", 1)], Claimant())
    assert [p.path for p in caught.value.problems] == ["claimant.provider", "claimant.product"]


def test_prior_awards_must_name_the_party_a_cap_counts() -> None:
    prior = [award("p1", "a", 1), PriorAward(1, provider="p1")]
    with pytest.raises(InvalidInput) as caught:
        product_quote("p1", "b", prior)
    assert [p.path for p in caught.value.problems] == ["prior_awards[1].product"]


def test_prior_awards_of_another_rule_or_a_negative_amount_are_refused() -> None:
    prior = [PriorAward(1, provider="p1", product="a", rule="benchmark-award")]
    prior.append(PriorAward(-1, provider="p1", product="b"))
    with pytest.raises(InvalidInput) as caught:
        product_quote("p1", "c", prior)
    assert [p.path for p in caught.value.problems] == [
        "prior_awards[0].rule",
        "prior_awards[1].amount_fen",
    ]


def test_prior_awards_are_read_from_json_naming_bad_fields() -> None:
    awards = read_prior_awards(
        [
            {"provider": "p1", "product": "a", "amount": "100000.00"},
            {"beneficiary": "e1", "amount_fen": 5, "rule": "pilot-project", "note": "tranche 1"},
        ]
    )
    assert awards[0].amount_fen == 10_000_000
    assert (awards[1].amount_fen, awards[1].rule, awards[1].ref) == (5, "pilot-project", "prior[1]")
    with pytest.raises(InvalidInput) as caught:
        read_prior_awards(
            [
                {"provider": "p1", "amount": "1.234"},
                {"provider": "p1"},
                {"provider": "p1", "amount": "1", "amount_fen": 100},
                {"provider": 7, "amount_fen": -1, "extra": 1},
                "x",
            ]
        )
    assert [p.path for p in caught.value.problems] == [
        "prior[0].amount",
        "prior[1]",
        "prior[2]",
        "prior[3].extra",
        "prior[3].amount_fen",
        "prior[3].provider",
        "prior[4]",
    ]
    with pytest.raises(InvalidInput, match="expected a list of awards"):
        read_prior_awards({"provider": "p1"})
