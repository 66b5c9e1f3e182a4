"""``loom quality …``: Quality management from the command line."""

from __future__ import annotations

import json
from typing import Annotated, NoReturn, cast

import typer

from loom.apps.quality.engine.aql import INSPECTIONS, LEVELS, Inspection, plan

cli = typer.Typer(help="Quality management.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@cli.command("aql")
def aql_command(
    lot_size: Annotated[int, typer.Option("--lot-size", help="Number of items in the lot.")],
    level: Annotated[
        str, typer.Option("--level", help="Inspection level: S-1, S-2, S-3, S-4, I, II or III.")
    ] = "II",
    aql: Annotated[
        str, typer.Option("--aql", help="Acceptance quality limit, e.g. 0.65, 1.0, 2.5, 4.0.")
    ] = "2.5",
    inspection: Annotated[
        str, typer.Option("--inspection", help="Severity: normal, tightened or reduced.")
    ] = "normal",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the plan as a JSON object.")
    ] = False,
) -> None:
    """Print the GB/T 2828.1 single sampling plan for a lot.

    The sample size is the lot size (100 % inspection) when the plan's sample would exceed the
    lot. Exits 2 on a lot size below 2, an unknown level or severity, or a non-preferred AQL.
    """
    if level not in LEVELS:
        _fail(f"--level {level!r}: must be one of {', '.join(LEVELS)}")
    if inspection not in INSPECTIONS:
        _fail(f"--inspection {inspection!r}: must be one of {', '.join(INSPECTIONS)}")
    try:
        chosen = plan(lot_size, level, aql, cast(Inspection, inspection))
    except ValueError as error:
        _fail(str(error))
    if as_json:
        payload = {
            "code_letter": chosen.code_letter,
            "sample_size": chosen.sample_size,
            "accept": chosen.accept,
            "reject": chosen.reject,
        }
        typer.echo(json.dumps(payload))
        return
    scope = " (100 % inspection)" if chosen.full_inspection else ""
    typer.echo(
        f"lot {lot_size}, level {level}, AQL {aql}, {inspection} inspection: "
        f"code letter {chosen.code_letter}, sample {chosen.sample_size}{scope}, "
        f"accept {chosen.accept}, reject {chosen.reject}"
    )
