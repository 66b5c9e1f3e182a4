"""Who a quote is for, and the earlier awards under a rule that count against its caps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from loom.modules.subsidy.engine.document import Reader, describe, join
from loom.modules.subsidy.engine.errors import InvalidInput, Problem
from loom.modules.subsidy.engine.money import parse_cny

_AWARD_KEYS = frozenset(
    ("rule", "beneficiary", "provider", "product", "amount", "amount_fen", "awarded_on", "note")
)


@dataclass(frozen=True, slots=True)
class Claimant:
    """Who would receive the award: the beneficiary, and for products the provider and product."""

    beneficiary: str | None = None
    provider: str | None = None
    product: str | None = None

    def to_dict(self) -> dict[str, str]:
        """Return the named parties only."""
        named = (
            ("beneficiary", self.beneficiary),
            ("provider", self.provider),
            ("product", self.product),
        )
        return {key: value for key, value in named if value is not None}


@dataclass(frozen=True, slots=True)
class PriorAward:
    """An award already made under a rule (from the ledger, or a file until the ledger exists)."""

    amount_fen: int
    beneficiary: str | None = None
    provider: str | None = None
    product: str | None = None
    rule: str | None = None  # None: the rule being quoted
    ref: str | None = None  # where it came from, for error messages: "prior.json[3]"

    def where(self, index: int) -> str:
        """Return the path that names this award in an error message."""
        return self.ref or f"prior_awards[{index}]"


def read_prior_awards(document: Any, path: str = "prior") -> tuple[PriorAward, ...]:
    """Read a JSON list of prior awards; raise ``InvalidInput`` naming every bad field.

    Each award is ``{"beneficiary", "provider", "product", "amount": "100000.00"}`` (any party
    may be left out; ``amount_fen`` may replace ``amount``) with an optional ``rule`` id,
    ``awarded_on`` date and ``note``.
    """
    r = Reader()
    if not isinstance(document, list):
        raise InvalidInput.at(path, f"expected a list of awards, got {describe(document)}")
    awards = [_award(r, item, join(path, index)) for index, item in enumerate(document)]
    if r.problems:
        raise InvalidInput(r.problems)
    return tuple(awards)


def _award(r: Reader, value: Any, path: str) -> PriorAward:
    o = r.obj(value, path, _AWARD_KEYS)
    if not isinstance(value, Mapping):
        return PriorAward(0, ref=path)  # already reported; its fields cannot be read
    r.optional_text(o, "awarded_on", path)
    r.optional_text(o, "note", path)
    return PriorAward(
        amount_fen=_amount(r, o, path),
        beneficiary=r.optional_text(o, "beneficiary", path),
        provider=r.optional_text(o, "provider", path),
        product=r.optional_text(o, "product", path),
        rule=r.optional_text(o, "rule", path),
        ref=path,
    )


def _amount(r: Reader, o: Mapping[str, Any], path: str) -> int:
    if ("amount" in o) == ("amount_fen" in o):
        r.fail(path, "give exactly one of amount (CNY text) or amount_fen (whole fen)")
        return 0
    if "amount_fen" in o:
        return r.integer(o, "amount_fen", path)
    try:
        return parse_cny(o["amount"], join(path, "amount"))
    except InvalidInput as error:
        r.problems.extend(error.problems)
        return 0


def check_prior_awards(rule_id: str, awards: Sequence[PriorAward]) -> None:
    """Refuse awards of another rule or with a negative or non-integer amount."""
    problems = []
    for index, award in enumerate(awards):
        where = award.where(index)
        if award.rule is not None and award.rule != rule_id:
            problems.append(Problem(f"{where}.rule", f"is {award.rule!r}, not {rule_id!r}"))
        if type(award.amount_fen) is not int or award.amount_fen < 0:
            problems.append(
                Problem(f"{where}.amount_fen", f"expected whole fen ≥ 0, got {award.amount_fen!r}")
            )
    if problems:
        raise InvalidInput(problems)
