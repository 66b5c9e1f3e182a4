"""``loom schedule …``: production scheduling from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer

cli = typer.Typer(help="Production scheduling.", no_args_is_help=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@cli.command("sequence")
def sequence_command(
    file: Annotated[Path, typer.Argument(help="An OR-Library weighted tardiness file (wtN.txt).")],
    instance: Annotated[int, typer.Option("--instance", help="Instance number, from 1.")],
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Search time limit in seconds.")
    ] = 10.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random kicks.")] = 0,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", help="Jobs per instance (default: N of the file name wtN.txt)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as a JSON object.")
    ] = False,
) -> None:
    """Sequence one instance on a single line, minimising total weighted tardiness.

    Prints the processing order (1-based job numbers), its total weighted tardiness and the
    search time. Exits 2 on a missing or malformed file or an instance out of range.
    """
    # imported here: numpy and the solver are not worth loading for every other command
    from loom.apps.scheduling.solver.wt import WtFormatError, read_instance, sequence

    if time_limit <= 0:
        _fail(f"--time-limit {time_limit}: must be positive")
    if jobs is not None and jobs < 1:
        _fail(f"--jobs {jobs}: must be at least 1")
    try:
        problem = read_instance(file, instance, jobs)
    except WtFormatError as error:
        _fail(f"{file}: {error}")
    except OSError as error:
        _fail(f"{file}: cannot read: {error.strerror or error}")
    result = sequence(problem, time_limit=time_limit, seed=seed)
    numbers = [index + 1 for index in result.sequence]
    if as_json:
        payload = {
            "sequence": numbers,
            "total_weighted_tardiness": result.total_weighted_tardiness,
            "seconds": round(result.seconds, 3),
        }
        typer.echo(json.dumps(payload))
        return
    typer.echo(
        f"{file.name} instance {instance}: total weighted tardiness "
        f"{result.total_weighted_tardiness} in {result.seconds:.2f} s ({result.stopped})"
    )
    typer.echo("sequence: " + " ".join(map(str, numbers)))
