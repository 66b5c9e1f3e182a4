"""Where a quote's earlier awards come from: the award ledger, or a JSON file without one.

A source is any callable from a rule to that rule's earlier awards. The ledger's source reads one
bureau's approved awards from the database (``loom subsidy quote --org`` and the pages); the
file source serves quotes made without a database. Nothing else in the quote path changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.tenancy.scope import Scope
from loom.modules.subsidy.engine import (
    Claimant,
    InvalidInput,
    PriorAward,
    Rule,
    parse_json,
    read_prior_awards,
)
from loom.modules.subsidy.models import Award

PriorAwardSource = Callable[[Rule], Sequence[PriorAward]]


def no_prior_awards(rule: Rule) -> Sequence[PriorAward]:
    """Return no earlier awards: every cap is untouched."""
    return ()


def prior_awards_from_file(path: Path) -> PriorAwardSource:
    """Read a JSON list of awards once; the source returns those of the quoted rule.

    An award naming another rule is skipped (one file may hold several rules' awards); an award
    without a ``rule`` counts under whichever rule is quoted. Raises ``OSError`` if the file
    cannot be read and ``InvalidInput`` naming every bad field.
    """
    label = path.name
    try:
        # utf-8-sig: a file saved by a Windows editor starts with a byte-order mark
        document = parse_json(path.read_text(encoding="utf-8-sig"))
    except ValueError as error:
        raise InvalidInput.at(label, f"not valid JSON: {error}") from error
    awards = read_prior_awards(document, path=label)

    def source(rule: Rule) -> Sequence[PriorAward]:
        return tuple(award for award in awards if award.rule in (None, rule.id))

    return source


def claimant_of(
    kind: str,
    *,
    enterprise_id: int | None = None,
    contractor_org_id: int | None = None,
    product_id: int | None = None,
) -> Claimant:
    """Return the engine's party keys for a beneficiary of the ledger.

    A product's award goes to its provider, so a product claim names the provider as both
    beneficiary and provider: the cap per provider then counts all of its products together.
    """
    if kind == "enterprise":
        return Claimant(beneficiary=f"enterprise-{enterprise_id}")
    provider = f"org-{contractor_org_id}"
    if kind == "product":
        return Claimant(beneficiary=provider, provider=provider, product=f"product-{product_id}")
    return Claimant(beneficiary=provider)


def prior_awards_from_ledger(session: Session, scope: Scope) -> PriorAwardSource:
    """Return a source reading the scope's bureau's approved (not cancelled) awards of a rule.

    Every award of the rule is returned, whoever received it: the engine counts those of the
    quoted party against each cumulative cap.
    """

    def source(rule: Rule) -> Sequence[PriorAward]:
        rows = session.scalars(
            select(Award)
            .where(
                Award.org_id == scope.org_id,
                Award.rule_id == rule.id,
                Award.status == "approved",
            )
            .order_by(Award.id)
        )
        awards = []
        for row in rows:
            parties = claimant_of(
                row.beneficiary_kind,
                enterprise_id=row.enterprise_id,
                contractor_org_id=row.contractor_org_id,
                product_id=row.product_id,
            )
            awards.append(
                PriorAward(
                    row.amount_fen,
                    beneficiary=parties.beneficiary,
                    provider=parties.provider,
                    product=parties.product,
                    rule=row.rule_id,
                    ref=f"award {row.id}",
                )
            )
        return tuple(awards)

    return source
