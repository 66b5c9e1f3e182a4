"""``loom energy …``: Energy management from the command line."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import typer

from loom.apps.energy.engine.coefficients import KINDS, to_tce
from loom.apps.energy.settings import EnergySettings

cli = typer.Typer(help="Energy management.", no_args_is_help=True)


@cli.command("tce")
def tce(
    kind: str = typer.Option(..., help=f"One of: {', '.join(KINDS)}"),
    amount: str = typer.Option(..., help="Consumption in the kind's unit (kWh, m³, t, kg, GJ)"),
    basis: str = typer.Option("equivalent", help="Electricity: equivalent or equal value"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Convert a consumption to tonnes of standard coal equivalent (GB/T 2589-2020)."""
    if kind not in KINDS:
        raise typer.BadParameter(f"one of {', '.join(KINDS)}", param_hint="--kind")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise typer.BadParameter("a number", param_hint="--amount") from None
    if not value.is_finite() or value < 0:
        raise typer.BadParameter("a number not below 0", param_hint="--amount")
    if basis not in ("equivalent", "equal"):
        raise typer.BadParameter("equivalent or equal", param_hint="--basis")
    coefficients = EnergySettings(electricity_basis=basis).coefficients()
    result = to_tce(value, kind, coefficients)
    factor = coefficients.kgce_per_unit(kind)
    if as_json:
        out = {"kind": kind, "amount": str(value), "kgce_per_unit": str(factor), "tce": str(result)}
        typer.echo(json.dumps(out))
    else:
        typer.echo(f"{value} {KINDS[kind].unit} × {factor} kgce = {result} tce")
