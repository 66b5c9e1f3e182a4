"""``loom assess plan``: the cheapest catalogue upgrades to a digital level, printed as JSON."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

from loom.modules.assessment.engine import (
    CompiledRules,
    InvalidQuestionnaire,
    RuleSetError,
    ScoreResult,
    builtin_ruleset,
    compile_rules,
    load_ruleset,
    score,
)
from loom.modules.assessment.planner.catalogue import Catalogue, InvalidCatalogue, load_catalogue
from loom.modules.assessment.planner.jsonio import read_json
from loom.modules.assessment.planner.state import Baseline
from loom.modules.assessment.planner.subsidy import SubsidyRule, to_fen


def _rules(spec: str | None, problems: list[str]) -> CompiledRules | None:
    """Return the rule set named by ``--rules`` (a shipped version or a JSON file)."""
    try:
        if spec is None:
            return compile_rules(builtin_ruleset())
        if spec.endswith(".json") or Path(spec).exists():
            return compile_rules(load_ruleset(Path(spec)))
        return compile_rules(builtin_ruleset(spec))
    except RuleSetError as error:
        problems += [f"--rules {spec}: {p}" for p in error.problems]
    except (LookupError, OSError, ValueError) as error:
        problems.append(f"--rules {spec}: cannot be used: {error}")
    return None


def _assessment(path: Path, rules: CompiledRules, problems: list[str]) -> ScoreResult | None:
    try:
        return score(read_json(path), rules)
    except InvalidQuestionnaire as error:
        problems += [f"{path}: {p}" for p in error.problems]
    except OSError as error:
        problems.append(f"{path}: cannot read: {error.strerror or error}")
    except ValueError as error:
        problems.append(f"{path}: not valid JSON: {error}")
    return None


def _catalogue(path: Path, rules: CompiledRules, problems: list[str]) -> Catalogue | None:
    try:
        return load_catalogue(path, rules)
    except InvalidCatalogue as error:
        problems += [f"{path}: {p}" for p in error.problems]
    except OSError as error:
        problems.append(f"{path}: cannot read: {error.strerror or error}")
    return None


def _budget(text: str | None, problems: list[str]) -> int | None:
    if text is None:
        return None
    try:
        fen = to_fen(Decimal(text))
    except (InvalidOperation, ValueError):
        problems.append(f"--budget {text}: expected an amount in CNY such as 300000")
        return None
    if fen < 0:
        problems.append(f"--budget {text}: is negative")
        return None
    return fen


def plan_command(
    input_file: Annotated[
        Path, typer.Option("--input", "-i", help="The assessment (answers.json).")
    ],
    catalogue_file: Annotated[
        Path, typer.Option("--catalogue", "-c", help="Upgrade options (catalogue.json).")
    ],
    target_level: Annotated[int, typer.Option(help="The level to reach.")] = 2,
    budget: Annotated[
        str | None,
        typer.Option(
            help="Also find the highest level within this budget (CNY); with "
            "--subsidy it limits the net cost."
        ),
    ] = None,
    subsidy: Annotated[
        bool, typer.Option(help="Count the pilot subsidy (≤50% of investment, ≤500,000 CNY).")
    ] = False,
    rules: Annotated[
        str | None,
        typer.Option("--rules", help="Rule set: a shipped version or a rule-set JSON file."),
    ] = None,
    time_limit: Annotated[float, typer.Option(help="Solver time limit per solve (s).")] = 30.0,
) -> None:
    """Print the cheapest plan to the target level as JSON, with why each option is in it.

    Exits 2 listing every input problem; exits 0 with "reachable": false and an explanation
    when no combination of options reaches the level; exits 1 if the solver cannot prove
    its answer within the time limit.
    """
    problems: list[str] = []
    compiled = _rules(rules, problems)
    budget_fen = _budget(budget, problems)
    result = catalogue = None
    if compiled is not None:
        levels = [r.level for r in compiled.levels]
        if target_level not in levels:
            problems.append(f"--target-level {target_level}: the rule set's levels are {levels}")
        result = _assessment(input_file, compiled, problems)
        catalogue = _catalogue(catalogue_file, compiled, problems)
    if problems or result is None or catalogue is None:
        count = len(problems)
        typer.echo(f"cannot plan ({count} problem{'s' if count != 1 else ''}):", err=True)
        for problem in problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(2)
    rule = SubsidyRule() if subsidy else None
    report = _solve(
        Baseline.from_result(result), catalogue, target_level, budget_fen, rule, time_limit
    )
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2))


def _solve(
    baseline: Baseline,
    catalogue: Catalogue,
    target_level: int,
    budget_fen: int | None,
    subsidy: SubsidyRule | None,
    time_limit: float,
) -> dict[str, Any]:
    """Return the plan report, and the budget report with a budget; exit 1 if not proved."""
    # imported here: OR-Tools takes most of a second to load, which other commands should not pay
    from loom.modules.assessment.planner.report import budget_report, plan_report
    from loom.modules.assessment.planner.solve import (
        NotProved,
        plan_to_level,
        plan_within_budget,
    )

    try:
        plan = plan_to_level(
            baseline, catalogue, target_level, subsidy=subsidy, time_limit_s=time_limit
        )
        report = plan_report(plan)
        if budget_fen is not None:
            report["within_budget"] = budget_report(
                plan_within_budget(
                    baseline, catalogue, budget_fen, subsidy=subsidy, time_limit_s=time_limit
                )
            )
    except NotProved as error:
        typer.echo(f"no proved answer: {error}; raise --time-limit", err=True)
        raise typer.Exit(1) from error
    return report


def register(cli: typer.Typer) -> None:
    """Add the ``plan`` command to a Typer app (``loom assess``)."""
    cli.command("plan")(plan_command)
