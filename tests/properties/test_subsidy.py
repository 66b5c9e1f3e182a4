"""Properties of the subsidy engine on generated claims and rule sets (docs/subsidies.md).

Invariants from "How a quote is computed", "The funder split" and "Earlier awards and cumulative
caps": the amount is the least of the share (rounded down), the per-award cap and what earlier
awards left under each cumulative cap; the first of equal limits is named; the split adds up to
the award exactly with every piece within one fen of its exact share, the lost fen going to the
largest remainders (ties: the funder listed first); no sequence of awards passes any cap.
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from loom.modules.subsidy.engine import (
    Claimant,
    Limit,
    PriorAward,
    Rule,
    builtin_ruleset,
    builtin_ruleset_document,
    format_cny,
    load_ruleset,
    parse_cny,
    quote,
    split_fen,
)

#: the deterministic profile registered in conftest.py
PROFILE = settings.get_profile("loom-properties")

BUILTIN = builtin_ruleset()
DESIGNATIONS = tuple(d.id for d in BUILTIN.designations)
FUNDERS = tuple(f.id for f in BUILTIN.framework.funders)
#: a few parties, so that generated awards often meet the same beneficiary, provider or product
PARTIES = ("a", "b", "c")
#: the order of docs/subsidies.md: share, cap, per product, per provider, per beneficiary
ORDER = ("share", "cap", "per_product_cap", "per_provider_cap", "per_beneficiary_cap")
PARTY_FIELDS: dict[Limit, tuple[str, ...]] = {
    "per_product_cap": ("provider", "product"),
    "per_provider_cap": ("provider",),
    "per_beneficiary_cap": ("beneficiary",),
}

fen = st.integers(0, 2_000_000_000)  # up to 20 million CNY
#: facts that meet every condition of every shipped rule
ELIGIBLE: dict[str, bool | int | frozenset[str]] = {
    "listed_as": frozenset(DESIGNATIONS),
    "accepted": True,
    "level": 4,
    "recognised": True,
}


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    """Return a shipped rule, or one with generated share, caps and split that still validates."""
    index = draw(st.integers(0, len(BUILTIN.rules) - 1))
    if draw(st.booleans()):
        return BUILTIN.rules[index]
    document = copy.deepcopy(builtin_ruleset_document())
    rule = document["rules"][index]
    if rule["kind"] == "share-of-investment":
        denominator = draw(st.integers(1, 12))
        rule["share"] = f"{draw(st.integers(1, denominator))}/{denominator}"
    cap = draw(st.integers(1, 100_000_000))
    rule["cap_fen"] = cap
    for key in ("per_beneficiary_cap_fen", "per_product_cap_fen", "per_provider_cap_fen"):
        if rule[key] is not None or draw(st.integers(0, 3)) == 0:
            # a cumulative cap below the per-award cap is refused by validation
            rule[key] = draw(st.integers(cap, 4 * cap))
    funders = draw(st.lists(st.sampled_from(FUNDERS), min_size=1, unique=True))
    rule["funders"] = [{"funder": f, "parts": draw(st.integers(1, 9))} for f in funders]
    return load_ruleset(document).rules[index]


facts = st.fixed_dictionaries(
    {},
    optional={
        "listed_as": st.frozensets(st.sampled_from(DESIGNATIONS)),
        "accepted": st.booleans(),
        "level": st.integers(0, 4),
        "recognised": st.booleans(),
    },
)
claimants = st.builds(
    Claimant,
    beneficiary=st.sampled_from(PARTIES),
    provider=st.sampled_from(PARTIES),
    product=st.sampled_from(PARTIES),
)
priors = st.lists(
    st.builds(
        PriorAward,
        amount_fen=st.integers(0, 60_000_000),
        beneficiary=st.sampled_from(PARTIES),
        provider=st.sampled_from(PARTIES),
        product=st.sampled_from(PARTIES),
    ),
    max_size=6,
)


def eligible_by_hand(rule: Rule, given: dict[str, Any]) -> bool:
    """Return whether every condition holds; a fact not given fails its condition."""
    for condition in rule.eligibility:
        if condition.fact not in given:
            return False
        value = given[condition.fact]
        if condition.op == "is" and value != condition.value:
            return False
        if condition.op == "at_least" and value < condition.value:
            return False
        if condition.op == "includes" and condition.value not in value:
            return False
    return True


def limits_by_hand(
    rule: Rule, investment: int | None, prior: list[PriorAward], claimant: Claimant
) -> dict[str, int]:
    """Return each limit's most, from the rule's numbers and the same party's earlier awards."""
    limits: dict[str, int] = {}
    if rule.share is not None and investment is not None:
        limits["share"] = int(Fraction(investment) * rule.share)  # floor: never rounds up
    limits["cap"] = rule.cap_fen
    caps: dict[Limit, int | None] = {
        "per_product_cap": rule.per_product_cap_fen,
        "per_provider_cap": rule.per_provider_cap_fen,
        "per_beneficiary_cap": rule.per_beneficiary_cap_fen,
    }
    for name, cap in caps.items():
        if cap is None:
            continue
        fields = PARTY_FIELDS[name]
        mine = [
            a.amount_fen
            for a in prior
            if all(getattr(a, f) == getattr(claimant, f) for f in fields)
        ]
        limits[name] = max(0, cap - sum(mine))
    return limits


def _investment(rule: Rule, data: st.DataObject) -> int | None:
    if rule.kind == "share-of-investment":
        return data.draw(fen)
    return data.draw(st.one_of(st.none(), fen))  # one-off awards ignore it


@settings(PROFILE, max_examples=300)
@given(rules(), facts, priors, claimants, st.data())
def test_quote_is_the_least_limit_and_never_passes_a_cap(
    rule: Rule,
    given_facts: dict[str, Any],
    prior: list[PriorAward],
    claimant: Claimant,
    data: st.DataObject,
) -> None:
    """Amount, limit named, eligibility, split and headroom all follow the documented rules."""
    investment = _investment(rule, data)
    result = quote(rule, investment, given_facts, prior, claimant)
    limits = limits_by_hand(rule, investment, prior, claimant)
    eligible = eligible_by_hand(rule, given_facts)
    assert result.eligible == eligible
    least = min(limits.values())
    if eligible:
        assert result.amount_fen == least
        # the first limit in the documented order that gives the least is the one named
        assert result.limit_applied == next(n for n in ORDER if limits.get(n) == least)
    else:
        assert (result.amount_fen, result.limit_applied) == (0, None)
    assert all(result.amount_fen <= most for most in limits.values())
    pieces = [piece.amount_fen for piece in result.split]
    assert sum(pieces) == result.amount_fen
    assert [p.parts for p in result.split] == [p.parts for p in rule.funders]
    for room in result.headroom:
        assert room.available_fen == limits[room.limit]
        assert room.remaining_fen == room.available_fen - result.amount_fen >= 0


@settings(PROFILE, max_examples=300)
@given(fen, st.lists(st.integers(1, 20), min_size=1, max_size=6))
def test_split_adds_up_and_gives_each_lost_fen_to_the_largest_remainder(
    amount: int, parts: list[int]
) -> None:
    """Largest remainder: exact sum, within one fen, ties to the funder listed first."""
    pieces = split_fen(amount, parts)
    total = sum(parts)
    assert sum(pieces) == amount
    # remainders in units of 1/total fen, as the docs compare them
    remainders = [amount * part % total for part in parts]
    floors = [amount * part // total for part in parts]
    extra = [piece - floor for piece, floor in zip(pieces, floors, strict=True)]
    assert set(extra) <= {0, 1}
    for i, got in enumerate(extra):
        # no piece is a full fen from its exact share (amount * part / total)
        assert abs(pieces[i] * total - amount * parts[i]) < total
        for j, other in enumerate(extra):
            if got and not other:
                assert (remainders[i], -i) > (remainders[j], -j)


@settings(PROFILE, max_examples=100)
@given(rules(), st.lists(st.tuples(claimants, fen), min_size=1, max_size=12))
def test_awarding_every_quote_in_turn_never_passes_a_cumulative_cap(
    rule: Rule, claims: list[tuple[Claimant, int]]
) -> None:
    """Each award is quoted against all earlier ones: no party ends above any cap."""
    eligible = ELIGIBLE
    awarded: list[PriorAward] = []
    for claimant, investment in claims:
        inv = investment if rule.kind == "share-of-investment" else None
        result = quote(rule, inv, eligible, awarded, claimant)
        assert result.eligible
        awarded.append(PriorAward(result.amount_fen, **claimant.to_dict()))
    for name, fields in PARTY_FIELDS.items():
        cap = rule.caps().get(name)
        if cap is None:
            continue
        totals: dict[tuple[str | None, ...], int] = {}
        for award in awarded:
            key = tuple(getattr(award, f) for f in fields)
            totals[key] = totals.get(key, 0) + award.amount_fen
        assert max(totals.values()) <= cap
    assert all(award.amount_fen <= rule.cap_fen for award in awarded)


@settings(PROFILE, max_examples=150)
@given(rules(), priors, claimants, fen, fen)
def test_more_investment_never_gives_less(
    rule: Rule, prior: list[PriorAward], claimant: Claimant, one: int, two: int
) -> None:
    """Monotone in the investment: every limit is non-decreasing in it."""
    low, high = sorted((one, two))
    eligible = ELIGIBLE
    inv_low, inv_high = (low, high) if rule.kind == "share-of-investment" else (None, None)
    less = quote(rule, inv_low, eligible, prior, claimant).amount_fen
    more = quote(rule, inv_high, eligible, prior, claimant).amount_fen
    assert less <= more


@settings(PROFILE, max_examples=200)
@given(fen)
def test_cny_text_round_trips_to_the_fen(amount: int) -> None:
    """``format_cny`` writes two decimals that ``parse_cny`` reads back to the same fen."""
    text = format_cny(amount)
    assert text.count(".") == 1
    assert len(text.split(".")[1]) == 2
    assert parse_cny(text, "amount") == amount
    # one decimal, or none, means the same amount when it is a whole number of ten fen
    if amount % 100 == 0:
        assert parse_cny(text.split(".")[0], "amount") == amount
    if amount % 10 == 0:
        assert parse_cny(text[:-1], "amount") == amount
