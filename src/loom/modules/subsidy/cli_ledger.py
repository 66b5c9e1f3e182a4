"""``loom subsidy quote --org``: quote against a bureau's records and award ledger."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loom.kernel.bootstrap import cli_session, org_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.models import OrgKind
from loom.modules.subsidy.engine import FactValue, Problem, RuleSet
from loom.modules.subsidy.service.awards import quote_claim
from loom.modules.subsidy.service.claims import (
    DECLARABLE,
    ClaimIn,
    contractor_by_slug,
    enterprise_by_code,
)

#: the service names fields; on the command line they are options
OPTION_OF = {
    "org": "--org",
    "rule": "--rule",
    "project": "--project",
    "enterprise": "--enterprise",
    "contractor": "--contractor",
    "product": "--product",
    "investment": "--investment",
    "declared": "--fact listed_as",
}


@dataclass(frozen=True)
class Named:
    """The beneficiary options of a ledger quote, as typed."""

    project: int | None = None
    enterprise: str | None = None
    contractor: str | None = None
    product: str | None = None


class LedgerQuoteError(Exception):
    """Problems that stop a ledger quote, each naming the option to fix."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _declared(facts: Mapping[str, FactValue]) -> tuple[frozenset[str], bool, list[Problem]]:
    """Split ``--fact`` values into declared designations and ``recognised``; refuse the rest."""
    problems = []
    listed = facts.get("listed_as", frozenset())
    designations = listed if isinstance(listed, frozenset) else frozenset()
    for designation in sorted(designations - set(DECLARABLE)):
        problems.append(
            Problem(
                "--fact listed_as",
                f"{designation} is read from the bureau's records with --org; "
                f"only {', '.join(DECLARABLE)} may be declared",
            )
        )
    for name in sorted(set(facts) - {"listed_as", "recognised"}):
        problems.append(Problem(f"--fact {name}", "is read from the bureau's records with --org"))
    return designations, facts.get("recognised") is True, problems


def ledger_quote(
    org: str,
    rule_id: str,
    investment_fen: int | None,
    facts: Mapping[str, FactValue],
    named: Named,
    ruleset: RuleSet,
) -> dict[str, Any]:
    """Return the quote as JSON data, reading facts and earlier awards from the database.

    Raises ``LedgerQuoteError`` naming each option that cannot be used.
    """
    declared, recognised, problems = _declared(facts)
    product_id = None
    if named.product is not None:
        if named.product.strip().isdigit():
            product_id = int(named.product)
        else:
            problems.append(Problem("--product", "with --org, give the product's id (a number)"))
    if problems:
        raise LedgerQuoteError(problems)
    try:
        with cli_session() as session:
            scope = org_scope(session, org, "subsidy.quote")
            if scope.org_kind != OrgKind.BUREAU:
                raise LedgerQuoteError([Problem("--org", f"{org} is not a bureau; its ledger is")])
            bind_scope(session, scope)  # the ORM tenant filter applies to the CLI too
            claim_in = ClaimIn(
                rule=rule_id,
                project_id=named.project,
                enterprise_id=None
                if named.enterprise is None
                else enterprise_by_code(session, scope, named.enterprise).id,
                contractor_org_id=None
                if named.contractor is None
                else contractor_by_slug(session, named.contractor).id,
                product_id=product_id,
                investment_fen=investment_fen,
                declared=declared,
                recognised=recognised,
            )
            claim, result = quote_claim(session, scope, claim_in, ruleset)
            return {
                **result.to_dict(),
                "org": org,
                "beneficiary": {
                    "kind": claim.kind,
                    "name": claim.name,
                    "provider": claim.provider_name or None,
                    "project_id": claim.project_id,
                },
                "facts": claim.facts_record(),
            }
    except DomainError as error:
        problems_of = getattr(error, "problems", None)
        if problems_of:
            raise LedgerQuoteError(list(problems_of)) from error
        option = OPTION_OF.get(error.field or "", error.field or "--org")
        message = error.message.removeprefix(f"{error.field}: ")
        raise LedgerQuoteError([Problem(option, message)]) from error
