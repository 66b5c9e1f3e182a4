"""``loom balance …``: line balancing from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from loom.apps.balancing.solver.salbp import CycleTimeError, ParseError, read, solve

cli = typer.Typer(help="Sewing line balancing.", no_args_is_help=True)


@cli.command("salbp")
def salbp(
    file: Annotated[Path, typer.Argument(help="Scholl .IN2 or Otto .alb instance file.")],
    cycle_time: Annotated[
        int | None,
        typer.Option("--cycle-time", help="Cycle time (default: the .alb file's own)."),
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Seconds before the best plan so far is kept.")
    ] = 10.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Solve SALBP-1: the fewest stations for a cycle time, proved optimal if time allows.

    Exits 2 naming the problem when the file or the cycle time is unusable.
    """
    try:
        parsed = read(file)
    except ParseError as exc:
        typer.echo(f"error: {file}: {exc}", err=True)
        raise typer.Exit(2) from None
    c = cycle_time if cycle_time is not None else parsed.cycle_time
    if c is None:
        typer.echo(f"error: --cycle-time is required ({file} names none)", err=True)
        raise typer.Exit(2)
    if time_limit <= 0:
        typer.echo(f"error: --time-limit must be positive, got {time_limit}", err=True)
        raise typer.Exit(2)
    try:
        result = solve(parsed.instance, c, time_limit=time_limit)
    except CycleTimeError as exc:
        typer.echo(f"error: --cycle-time {c}: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        out = {
            "stations": result.stations,
            "lower_bound": result.lower_bound,
            "optimal": result.optimal,
            "assignment": result.assignment,
            "seconds": round(result.seconds, 4),
        }
        typer.echo(json.dumps(out))
        return
    proof = "optimal" if result.optimal else f"not proved, lower bound {result.lower_bound}"
    typer.echo(
        f"{file.name}: {parsed.instance.n} tasks, cycle time {c}: "
        f"{result.stations} stations ({proof}) in {result.seconds:.2f} s"
    )
    for k, tasks in enumerate(result.assignment, start=1):
        load = sum(parsed.instance.times[t - 1] for t in tasks)
        typer.echo(f"  station {k:>3}: load {load:>6}  tasks {' '.join(map(str, tasks))}")
