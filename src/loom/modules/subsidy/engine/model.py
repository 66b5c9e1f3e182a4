"""The rule-set model: plain frozen data read from a versioned JSON document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

SCHEMA_VERSION = 1

RuleKind = Literal["share-of-investment", "one-off-award"]
FactType = Literal["boolean", "integer", "designations"]
Beneficiary = Literal["enterprise", "contractor"]
Operator = Literal["is", "at_least", "includes"]
# the order in which limits are tried: a later one is reported only when it cut deeper
LIMITS = ("share", "cap", "per_product_cap", "per_provider_cap", "per_beneficiary_cap")
Limit = Literal["share", "cap", "per_product_cap", "per_provider_cap", "per_beneficiary_cap"]


@dataclass(frozen=True, slots=True)
class Source:
    """The policy document the rules are read from."""

    doc_no: str
    title: str
    issuer: str
    issued: dt.date
    section: str
    text_file: str
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Funder:
    """One level of public finance that pays a share of awards (中央, 市, 区)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Framework:
    """The funding framework of the programme (四(四)10): who pays, under which rules."""

    clause: str
    text: str
    funders: tuple[Funder, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """A named fact about a claim that eligibility conditions test."""

    id: str
    type: FactType
    description: str


@dataclass(frozen=True, slots=True)
class Designation:
    """A list a project, enterprise, contractor or product can be put on (``listed_as``)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Condition:
    """One eligibility test on a fact: ``is`` a boolean, ``at_least`` a number, ``includes``."""

    fact: str
    fact_type: FactType
    op: Operator
    value: bool | int | str
    text: str
    source: str
    verified: bool


@dataclass(frozen=True, slots=True)
class FunderPart:
    """A funder's integer number of parts in a rule's split (5 in 5:3:2)."""

    funder: Funder
    parts: int


@dataclass(frozen=True, slots=True)
class Rule:
    """One subsidy or award of the plan, with its amounts, caps, split and eligibility."""

    ruleset_id: str
    id: str
    title: str
    clause: str
    basis: str | None
    kind: RuleKind
    beneficiary: Beneficiary
    share: Fraction | None
    share_text: str | None
    cap_fen: int
    per_beneficiary_cap_fen: int | None
    per_product_cap_fen: int | None
    per_provider_cap_fen: int | None
    funders: tuple[FunderPart, ...]
    split_verified: bool
    eligibility: tuple[Condition, ...]
    verified: bool
    notes: tuple[str, ...]

    def share_label(self) -> str:
        """Return the share as a percentage when it is a whole one (``"50%"``), else as written."""
        if self.share is None:
            return ""
        percent = self.share * 100
        return f"{percent}%" if percent.denominator == 1 else str(self.share_text)

    def caps(self) -> dict[Limit, int]:
        """Return the rule's caps in fen by limit name, in the order they are applied."""
        named: tuple[tuple[Limit, int | None], ...] = (
            ("cap", self.cap_fen),
            ("per_product_cap", self.per_product_cap_fen),
            ("per_provider_cap", self.per_provider_cap_fen),
            ("per_beneficiary_cap", self.per_beneficiary_cap_fen),
        )
        return {name: fen for name, fen in named if fen is not None}


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A published, versioned set of subsidy rules for one programme."""

    schema: int
    id: str
    programme: str
    version: int
    published: dt.date
    supersedes: str | None
    title: str
    source: Source
    framework: Framework
    facts: tuple[FactSpec, ...]
    designations: tuple[Designation, ...]
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with this id; raise ``LookupError`` naming the known ids."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        known = ", ".join(r.id for r in self.rules)
        raise LookupError(f"rule set {self.id} has no rule {rule_id!r}; its rules: {known}")

    def fact(self, fact_id: str) -> FactSpec | None:
        """Return the declared fact with this id, if any."""
        return next((fact for fact in self.facts if fact.id == fact_id), None)
