"""What a quote returns: the amount, the limit that bound it, the split and the headroom."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loom.modules.subsidy.engine.awards import Claimant
from loom.modules.subsidy.engine.facts import FactValue
from loom.modules.subsidy.engine.model import Condition, Funder, Limit, Rule
from loom.modules.subsidy.engine.money import money


@dataclass(frozen=True, slots=True)
class ConditionResult:
    """One eligibility condition, the fact given for it (``None``: not given) and the verdict."""

    condition: Condition
    given: FactValue | None
    met: bool

    def requirement(self) -> str:
        """Return the condition in words: ``accepted is true``, ``level at least 2``…"""
        c = self.condition
        value = str(c.value).lower() if isinstance(c.value, bool) else str(c.value)
        return f"{c.fact} {c.op.replace('_', ' ')} {value}"

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain data."""
        given: Any = self.given
        if isinstance(given, frozenset):
            given = sorted(given)
        c = self.condition
        return {
            "fact": c.fact,
            "requires": {c.op: c.value},
            "given": given,
            "met": self.met,
            "text": c.text,
            "source": c.source,
            "verified": c.verified,
        }


@dataclass(frozen=True, slots=True)
class FunderAmount:
    """What one funder pays of the award."""

    funder: Funder
    parts: int
    amount_fen: int


@dataclass(frozen=True, slots=True)
class Headroom:
    """One cap: the limit, what earlier awards used, what was left, and what is left after this."""

    limit: Limit
    cap_fen: int
    awarded_fen: int
    available_fen: int
    remaining_fen: int

    def to_dict(self) -> dict[str, Any]:
        """Return the headroom with every amount as CNY text and fen."""
        return {
            "cap": money(self.cap_fen),
            "awarded": money(self.awarded_fen),
            "available": money(self.available_fen),
            "remaining": money(self.remaining_fen),
        }


@dataclass(frozen=True, slots=True)
class Quote:
    """The award a rule gives one claimant now, with the reasons for it."""

    rule: Rule
    investment_fen: int | None
    claimant: Claimant
    eligible: bool
    amount_fen: int
    limit_applied: Limit | None
    split: tuple[FunderAmount, ...]
    headroom: tuple[Headroom, ...]
    conditions: tuple[ConditionResult, ...]
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the quote as JSON-ready data; money is ``{"cny": "0.00", "fen": 0}``."""
        rule = self.rule
        return {
            "rule": rule.id,
            "rules_version": rule.ruleset_id,
            "clause": rule.clause,
            "kind": rule.kind,
            "claimant": self.claimant.to_dict(),
            "investment": None if self.investment_fen is None else money(self.investment_fen),
            "eligible": self.eligible,
            "amount": money(self.amount_fen),
            "limit_applied": self.limit_applied,
            "split": {
                part.funder.id: {"parts": part.parts, **money(part.amount_fen)}
                for part in self.split
            },
            "headroom": {room.limit: room.to_dict() for room in self.headroom},
            "conditions": [result.to_dict() for result in self.conditions],
            "reasons": list(self.reasons),
            "verified": rule.verified,
            "notes": list(rule.notes),
        }
