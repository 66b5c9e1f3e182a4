"""``loom subsidy``: list the subsidy rules and quote an award from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from loom.modules.subsidy.cli_ledger import LedgerQuoteError, Named, ledger_quote
from loom.modules.subsidy.engine import (
    Claimant,
    FactValue,
    InvalidInput,
    Problem,
    Rule,
    RuleSet,
    RuleSetError,
    builtin_ruleset,
    format_cny,
    load_ruleset,
    parse_cny,
    parse_fact_assignments,
    quote,
)
from loom.modules.subsidy.priors import (
    PriorAwardSource,
    no_prior_awards,
    prior_awards_from_file,
)

cli = typer.Typer(
    help="Subsidies and awards of the action plan (四(四)): list the rules, quote an award.",
    no_args_is_help=True,
)

RulesFileOption = Annotated[
    Path | None,
    typer.Option("--rules-file", help="A rule-set JSON file to use instead of the shipped one."),
]

# the engine names a claimant's parties by field; on the command line they are options
_OPTION_OF = {f"claimant.{party}": f"--{party}" for party in ("beneficiary", "provider", "product")}
_OPTION_OF["investment"] = "--investment"


def _fail(lines: list[str], code: int = 2) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code)


def _problems(error: InvalidInput | RuleSetError | LedgerQuoteError) -> list[str]:
    return [f"  {_OPTION_OF.get(p.path, p.path)}: {p.message}" for p in error.problems]


def load_rules(rules_file: Path | None) -> RuleSet:
    """Return the rule set to use; exit 2 explaining why a file cannot be used."""
    if rules_file is None:
        return builtin_ruleset()
    try:
        return load_ruleset(rules_file)
    except RuleSetError as error:
        _fail([f"rule set {rules_file} is invalid:", *_problems(error)])
    except OSError as error:
        _fail([f"cannot read {rules_file}: {error.strerror or error}"])


def _summary(rule: Rule) -> str:
    if rule.share is not None:
        amount = f"{rule.share_label()} of investment, at most {format_cny(rule.cap_fen)} CNY"
    else:
        amount = f"one-off, at most {format_cny(rule.cap_fen)} CNY"
    caps = [
        f"{name.removesuffix('_cap').replace('_', ' ')} {format_cny(fen)}"
        for name, fen in rule.caps().items()
        if name != "cap"
    ]
    ids = ":".join(part.funder.id for part in rule.funders)
    split = ":".join(str(part.parts) for part in rule.funders)
    funded = f"{ids} = {split}" if len(rule.funders) > 1 else ids
    return "; ".join([amount, *caps, funded])


def _inputs(
    ruleset: RuleSet,
    rule_id: str,
    investment: str | None,
    facts: list[str],
    prior: Path | None,
) -> tuple[int | None, dict[str, FactValue], PriorAwardSource]:
    """Read the quote's options, listing every unusable one before giving up (exit 2)."""
    problems: list[Problem] = []
    investment_fen: int | None = None
    facts_given: dict[str, FactValue] = {}
    source: PriorAwardSource = no_prior_awards
    try:
        investment_fen = None if investment is None else parse_cny(investment, "--investment")
    except InvalidInput as error:
        problems += error.problems
    try:
        facts_given = parse_fact_assignments(ruleset, facts)
    except InvalidInput as error:
        problems += error.problems
    try:
        if prior is not None:
            source = prior_awards_from_file(prior)
    except InvalidInput as error:
        problems += error.problems
    except OSError as error:
        problems.append(Problem(str(prior), f"cannot read: {error.strerror or error}"))
    if problems:
        _fail([f"cannot quote {rule_id}:", *_problems(InvalidInput(problems))])
    return investment_fen, facts_given, source


@cli.command("rules")
def rules_command(rules_file: RulesFileOption = None) -> None:
    """List the rule ids of the rule set with their clause, amounts, caps and funders."""
    ruleset = load_rules(rules_file)
    typer.echo(f"{ruleset.id}  {ruleset.source.doc_no} {ruleset.source.section}")
    for rule in ruleset.rules:
        mark = "" if rule.verified else "  (partly unverified)"
        typer.echo(f"{rule.id:<28} {rule.clause:<9} {_summary(rule)}{mark}")


@cli.command("quote")
def quote_command(
    rule_id: Annotated[str, typer.Option("--rule", help="Rule id (see `loom subsidy rules`).")],
    investment: Annotated[
        str | None,
        typer.Option(
            "--investment",
            help="Actual investment in CNY, e.g. 1234567.89 (share rules). With --project it "
            "defaults to the project's recorded investment.",
        ),
    ] = None,
    facts: Annotated[
        list[str] | None,
        typer.Option(
            "--fact",
            help="A fact NAME=VALUE, repeatable: accepted=true, level=2, listed_as=national-pilot. "
            "With --org only what Loom does not record: listed_as=district-concentrated, "
            "municipal-enterprise-brain or municipal-excellent-contractor, and recognised.",
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="Slug of the bureau whose records give the facts and whose award ledger gives "
            "the earlier awards.",
        ),
    ] = None,
    project: Annotated[
        int | None, typer.Option("--project", help="With --org: the project (enterprise rules).")
    ] = None,
    enterprise: Annotated[
        str | None,
        typer.Option("--enterprise", help="With --org: the enterprise's credit code."),
    ] = None,
    contractor: Annotated[
        str | None, typer.Option("--contractor", help="With --org: the contractor's slug.")
    ] = None,
    beneficiary: Annotated[
        str | None, typer.Option("--beneficiary", help="Who receives the award (without --org).")
    ] = None,
    provider: Annotated[
        str | None,
        typer.Option("--provider", help="The service provider (product awards, without --org)."),
    ] = None,
    product: Annotated[
        str | None,
        typer.Option("--product", help="The product (product awards); with --org, its id."),
    ] = None,
    prior: Annotated[
        Path | None,
        typer.Option(
            "--prior",
            help="JSON list of earlier awards under the rule, counted against its caps "
            "(without --org; with it the ledger gives them).",
        ),
    ] = None,
    rules_file: RulesFileOption = None,
) -> None:
    """Quote what a rule awards now and print it as JSON: amount, limit, split, headroom.

    Exits 2 naming the option or field when an input cannot be used.
    """
    ruleset = load_rules(rules_file)
    try:
        rule = ruleset.rule(rule_id)
    except LookupError as error:
        _fail([str(error.args[0])])
    _check_modes(org, project, enterprise, contractor, beneficiary, provider, prior)
    investment_fen, facts_given, source = _inputs(ruleset, rule.id, investment, facts or [], prior)
    if org is not None:
        named = Named(
            project=project, enterprise=enterprise, contractor=contractor, product=product
        )
        try:
            printed = ledger_quote(org, rule.id, investment_fen, facts_given, named, ruleset)
        except LedgerQuoteError as error:
            _fail([f"cannot quote {rule.id}:", *_problems(error)])
        typer.echo(json.dumps(printed, ensure_ascii=False, indent=2))
        return
    try:
        result = quote(
            rule,
            investment_fen,
            facts_given,
            source(rule),
            Claimant(beneficiary, provider, product),
        )
    except InvalidInput as error:
        _fail([f"cannot quote {rule.id}:", *_problems(error)])
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


def _check_modes(
    org: str | None,
    project: int | None,
    enterprise: str | None,
    contractor: str | None,
    beneficiary: str | None,
    provider: str | None,
    prior: Path | None,
) -> None:
    """Refuse options of the other mode: the database's beneficiaries need --org, and so on."""
    if org is None:
        database_only = {
            "--project": project,
            "--enterprise": enterprise,
            "--contractor": contractor,
        }
        lines = [
            f"  {option}: needs --org, the bureau whose records and award ledger are read"
            for option, value in database_only.items()
            if value is not None
        ]
    else:
        file_only = {"--beneficiary": beneficiary, "--provider": provider, "--prior": prior}
        lines = [
            f"  {option}: not with --org; name the --project, --enterprise, --contractor or "
            "--product, and the ledger gives the earlier awards"
            for option, value in file_only.items()
            if value is not None
        ]
    if lines:
        _fail(["cannot quote:", *lines])
