"""``loom assess``: score questionnaires on the national digital-level index from the shell."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO

import typer

from loom.modules.assessment.engine import (
    CompiledRules,
    InvalidQuestionnaire,
    RuleSetError,
    builtin_ruleset,
    compile_rules,
    load_ruleset,
    score,
)
from loom.modules.assessment.planner.cli_plan import register as register_plan
from loom.modules.assessment.planner.jsonio import parse_json

cli = typer.Typer(
    help="National SME digital-level assessment (2024 index): score questionnaires.",
    no_args_is_help=True,
)

InputOption = Annotated[
    Path, typer.Option("--input", "-i", help="Questionnaire file ('-' reads standard input).")
]
RulesOption = Annotated[
    str | None,
    typer.Option(
        "--rules",
        help="Rule set: a shipped version ('2024-manufacturing.v1', 'v1') or a rule-set JSON "
        "file. Default: the latest shipped version.",
    ),
]


def _fail(lines: list[str], code: int = 2) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(code)


def _to_json(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def load_rules(spec: str | None) -> CompiledRules:
    """Return compiled rules named by ``--rules``; exit 2 explaining why they cannot be used."""
    try:
        if spec is None:
            return compile_rules(builtin_ruleset())
        path = Path(spec)
        if spec.endswith(".json") or path.exists():
            return compile_rules(load_ruleset(path))
        return compile_rules(builtin_ruleset(spec))
    except RuleSetError as error:
        _fail([f"rule set {spec} is invalid:", *(f"  {problem}" for problem in error.problems)])
    except (LookupError, OSError, ValueError) as error:
        _fail([f"cannot use rule set {spec}: {error}"])


@contextmanager
def _opened(path: Path, *, writing: bool = False) -> Iterator[TextIO]:
    if str(path) == "-":
        yield sys.stdout if writing else sys.stdin
        return
    try:
        if writing:
            with open(path, "w", encoding="utf-8") as sink:
                yield sink
        else:
            # utf-8-sig: questionnaires saved by Windows editors start with a byte-order mark
            with open(path, encoding="utf-8-sig") as source:
                yield source
    except OSError as error:
        _fail([f"cannot {'write' if writing else 'read'} {path}: {error.strerror or error}"])


@cli.command("score")
def score_command(input_file: InputOption, rules: RulesOption = None) -> None:
    """Score one questionnaire (answers.json) and print the result as JSON.

    Exits 2 listing every problem when the questionnaire cannot be scored.
    """
    compiled_rules = load_rules(rules)
    with _opened(input_file) as handle:
        text = handle.read()
    try:
        questionnaire = parse_json(text)
    except ValueError as error:
        _fail([f"{input_file}: not valid JSON: {error}"])
    try:
        result = score(questionnaire, compiled_rules)
    except InvalidQuestionnaire as error:
        count = len(error.problems)
        _fail(
            [
                f"{input_file}: cannot be scored ({count} problem{'s' if count != 1 else ''}):",
                *(f"  {problem}" for problem in error.problems),
            ]
        )
    typer.echo(_to_json(result.to_dict(), indent=2))


@cli.command("score-batch")
def score_batch_command(
    input_file: InputOption,
    rules: RulesOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write results here (default: stdout).")
    ] = None,
) -> None:
    """Score a JSON-lines file: one result or one error object per non-blank input line.

    Good lines are scored even when others are bad; a summary goes to stderr. Exits 1 if any
    line could not be scored, 0 otherwise.
    """
    compiled_rules = load_rules(rules)
    scored = 0
    bad_lines: list[int] = []
    with _opened(input_file) as source, _opened(output or Path("-"), writing=True) as sink:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            record = _score_line(number, line, compiled_rules)
            if "error" in record:
                bad_lines.append(number)
            else:
                scored += 1
            sink.write(_to_json(record) + "\n")
    total = scored + len(bad_lines)
    summary = f"scored {scored} of {total} questionnaires with {compiled_rules.rules_version}"
    if bad_lines:
        shown = ", ".join(str(n) for n in bad_lines[:20]) + (", …" if len(bad_lines) > 20 else "")
        summary += f"; {len(bad_lines)} could not be scored (lines {shown})"
    typer.echo(summary, err=True)
    if bad_lines:
        raise typer.Exit(1)


def _score_line(number: int, line: str, rules: CompiledRules) -> dict[str, Any]:
    """Return the result, or an error object, for one line of a batch."""
    try:
        questionnaire = parse_json(line)
    except ValueError as error:
        problems = [{"path": "$", "message": f"not valid JSON: {error}"}]
        return {"line": number, "error": "invalid_json", "problems": problems}
    try:
        result = score(questionnaire, rules)
    except InvalidQuestionnaire as error:
        record: dict[str, Any] = {"line": number}
        ident = questionnaire.get("id") if isinstance(questionnaire, dict) else None
        if isinstance(ident, str | int) and not isinstance(ident, bool):
            record["id"] = ident
        record["error"] = "invalid_questionnaire"
        record["problems"] = [problem.to_dict() for problem in error.problems]
        return record
    return {"line": number, **result.to_dict()}


# `loom assess plan`: the planner registers its command without importing OR-Tools yet.
register_plan(cli)
