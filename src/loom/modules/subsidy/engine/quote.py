"""Quote a rule: eligibility, the amount and the limit that bound it, the split, the headroom."""

from __future__ import annotations

from collections.abc import Sequence

from loom.modules.subsidy.engine.awards import Claimant, PriorAward, check_prior_awards
from loom.modules.subsidy.engine.errors import InvalidInput, Problem
from loom.modules.subsidy.engine.facts import Facts, check_fact
from loom.modules.subsidy.engine.model import Condition, Limit, Rule
from loom.modules.subsidy.engine.money import format_cny
from loom.modules.subsidy.engine.results import (
    ConditionResult,
    FunderAmount,
    Headroom,
    Quote,
)
from loom.modules.subsidy.engine.split import split_fen

# which party each cumulative cap counts awards for
_PARTY: dict[Limit, str] = {
    "per_product_cap": "product",
    "per_provider_cap": "provider",
    "per_beneficiary_cap": "beneficiary",
}
# the fields that identify that party: a product id is its provider's own, so two providers
# may both have a product "p1"
_IDENTIFIED_BY: dict[Limit, tuple[str, ...]] = {
    "per_product_cap": ("provider", "product"),
    "per_provider_cap": ("provider",),
    "per_beneficiary_cap": ("beneficiary",),
}


def quote(
    rule: Rule,
    investment_fen: int | None,
    facts: Facts,
    prior_awards: Sequence[PriorAward] = (),
    claimant: Claimant | None = None,
) -> Quote:
    """Return what ``rule`` awards ``claimant`` now, given earlier awards under the same rule.

    The amount is the least of the rule's share of the investment (rounded down to the fen),
    its cap per award and what earlier awards left under each cumulative cap, so no award can
    push a beneficiary, provider or product past a cap. An ineligible claim gets 0. Raises
    ``InvalidInput`` for an unusable investment, fact, claimant or prior award.
    """
    claimant = claimant or Claimant()
    _check_investment(rule, investment_fen)
    check_prior_awards(rule.id, prior_awards)
    conditions = tuple(_evaluate(condition, facts) for condition in rule.eligibility)
    eligible = all(result.met for result in conditions)
    awarded = _awarded(rule, claimant, prior_awards)
    caps = rule.caps()
    available = {name: max(0, cap - awarded.get(name, 0)) for name, cap in caps.items()}
    limits: list[tuple[Limit, int]] = []
    if rule.share is not None and investment_fen is not None:
        # "不超过…50%": a share never rounds up, so it is cut down to the whole fen
        share_fen = investment_fen * rule.share.numerator // rule.share.denominator
        limits.append(("share", share_fen))
    limits += available.items()
    # min() keeps the first of equal values: a later limit is named only if it cut deeper
    limit, most = min(limits, key=lambda item: item[1])
    amount = most if eligible else 0
    pieces = split_fen(amount, [part.parts for part in rule.funders])
    split = tuple(
        FunderAmount(part.funder, part.parts, fen)
        for part, fen in zip(rule.funders, pieces, strict=True)
    )
    headroom = tuple(
        Headroom(name, cap, awarded.get(name, 0), available[name], available[name] - amount)
        for name, cap in caps.items()
    )
    reasons = _reasons(rule, investment_fen, claimant, conditions, limits, limit, headroom)
    return Quote(
        rule=rule,
        investment_fen=investment_fen,
        claimant=claimant,
        eligible=eligible,
        amount_fen=amount,
        limit_applied=limit if eligible else None,
        split=split,
        headroom=headroom,
        conditions=conditions,
        reasons=tuple(reasons),
    )


def _check_investment(rule: Rule, investment_fen: int | None) -> None:
    if investment_fen is None:
        if rule.kind == "share-of-investment":
            raise InvalidInput.at(
                "investment",
                f"rule {rule.id} pays a share of the actual investment: give the investment",
            )
        return
    if type(investment_fen) is not int:
        raise InvalidInput.at("investment", f"expected whole fen, got {investment_fen!r}")
    if investment_fen < 0:
        raise InvalidInput.at("investment", f"is negative ({format_cny(investment_fen)} CNY)")


def _evaluate(condition: Condition, facts: Facts) -> ConditionResult:
    if condition.fact not in facts:
        return ConditionResult(condition, None, met=False)
    given = check_fact(
        condition.fact, condition.fact_type, facts[condition.fact], f"facts.{condition.fact}"
    )
    if condition.op == "is":
        met = given == condition.value
    elif condition.op == "at_least":
        met = isinstance(given, int) and given >= int(condition.value)
    else:
        met = isinstance(given, frozenset) and condition.value in given
    return ConditionResult(condition, given, met)


def _awarded(
    rule: Rule, claimant: Claimant, prior_awards: Sequence[PriorAward]
) -> dict[Limit, int]:
    """Return, for each cumulative cap, what earlier awards gave the same party."""
    counted = [limit for limit in _IDENTIFIED_BY if limit in rule.caps()]
    if not prior_awards or not counted:
        return {}
    problems: dict[str, Problem] = {}
    for limit in counted:
        for field in _IDENTIFIED_BY[limit]:
            if getattr(claimant, field) is None:
                path = f"claimant.{field}"
                problems[path] = Problem(
                    path,
                    f"rule {rule.id} caps awards per {_PARTY[limit]}: name the {field} so "
                    "that earlier awards can be counted",
                )
            for index, award in enumerate(prior_awards):
                if getattr(award, field) is None:
                    path = f"{award.where(index)}.{field}"
                    problems[path] = Problem(
                        path, f"missing; rule {rule.id} caps awards per {_PARTY[limit]}"
                    )
    if problems:
        raise InvalidInput(problems.values())
    totals: dict[Limit, int] = {}
    for limit in counted:
        fields = _IDENTIFIED_BY[limit]
        key = [getattr(claimant, field) for field in fields]
        totals[limit] = sum(
            award.amount_fen
            for award in prior_awards
            if [getattr(award, field) for field in fields] == key
        )
    return totals


def _reasons(
    rule: Rule,
    investment_fen: int | None,
    claimant: Claimant,
    conditions: tuple[ConditionResult, ...],
    limits: list[tuple[Limit, int]],
    limit: Limit,
    headroom: tuple[Headroom, ...],
) -> list[str]:
    unmet = [result for result in conditions if not result.met]
    if unmet:
        reasons = [f"not eligible: {len(unmet)} of {_count(len(conditions), 'condition')} not met"]
        for result in unmet:
            given = "not given" if result.given is None else f"given {_shown(result.given)}"
            c = result.condition
            reasons.append(f"{result.requirement()} ({c.text}, {c.source}): {given}")
        return reasons
    reasons = [f"eligible: {_count(len(conditions), 'condition')} met"]
    limited = dict(limits)
    rooms = {room.limit: room for room in headroom}
    if limit == "share" and investment_fen is not None:
        reasons.append(
            f"{rule.share_label()} of the investment of {format_cny(investment_fen)} CNY is "
            f"{format_cny(limited['share'])} CNY, within every cap"
        )
    elif limit == "cap":
        reason = f"capped at {format_cny(rule.cap_fen)} CNY, the most one award may be"
        if "share" in limited:
            would_be = format_cny(limited["share"])
            reason += f" ({rule.share_label()} of the investment would be {would_be} CNY)"
        reasons.append(reason)
    else:
        room = rooms[limit]
        party = _PARTY[limit]
        who = getattr(claimant, party)
        left = (
            "nothing more can be awarded"
            if room.available_fen == 0
            else f"at most {format_cny(room.available_fen)} CNY more can be awarded"
        )
        reasons.append(
            f"{party} {who} already has {format_cny(room.awarded_fen)} CNY under {rule.id}; "
            f"the cap per {party} is {format_cny(room.cap_fen)} CNY, so {left}"
        )
    if not rule.split_verified:
        reasons.append("the split between funders is not verified in the plan; see notes")
    return reasons


def _shown(value: object) -> str:
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(value)) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
