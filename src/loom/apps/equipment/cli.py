"""``loom equipment …``: Equipment management and OEE from the command line."""

from __future__ import annotations

from datetime import timedelta

import typer

from loom.apps.equipment.permissions import TELEMETRY_WRITE
from loom.apps.equipment.service.telemetry_settings import machine_settings
from loom.apps.equipment.service.telemetry_simulator import (
    HttpTelemetrySender,
    MqttTelemetrySender,
    SimMachine,
    factory_stream,
)
from loom.kernel.bootstrap import cli_runtime, cli_session, org_scope
from loom.kernel.db.base import utcnow
from loom.kernel.errors import DomainError
from loom.kernel.identity.service import create_token

cli = typer.Typer(help="Equipment management and OEE.", no_args_is_help=True)
TOKEN_DAYS = 30


def _issue_token(org: str) -> str:
    """Issue a device token holding equipment.telemetry.write; return its plain text."""
    runtime = cli_runtime()
    with cli_session() as session:
        scope = org_scope(session, org, "telemetry simulator")
        _token, issued = create_token(
            session,
            scope,
            runtime.registry,
            name="telemetry simulator",
            permissions=[TELEMETRY_WRITE],
            days=TOKEN_DAYS,
            kind="device",
        )
    return issued.plain


@cli.command("simulate")
def simulate(
    org: str = typer.Option(..., help="Organisation slug of the factory"),
    minutes: int = typer.Option(480, min=1, max=7 * 24 * 60, help="Minutes up to now to simulate"),
    via: str = typer.Option("http", help="http or mqtt"),
    url: str = typer.Option("http://127.0.0.1:8000", help="Base URL of Loom (--via http)"),
    token: str = typer.Option("", help="Device token; a new one is issued when omitted"),
    seed: int = typer.Option(1, help="Random seed"),
    batch: int = typer.Option(500, min=1, max=10_000, help="Records per request or message"),
) -> None:
    """Send the machines' state changes and counts of the last MINUTES as a device would."""
    if via not in {"http", "mqtt"}:
        raise typer.BadParameter("--via must be http or mqtt", param_hint="--via")
    runtime = cli_runtime()
    try:
        with cli_session() as session:
            scope = org_scope(session, org, "telemetry simulator")
            machines = [
                SimMachine(m.code, m.ideal_cycle_s) for m in machine_settings(session, scope)
            ]
        if not token:
            token = _issue_token(org)
            typer.echo(f"issued device token for {org}: {token}")
    except DomainError as exc:
        typer.secho(exc.message, fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    if not machines:
        typer.secho(f"{org} has no active machines in its ledger", err=True)
        raise typer.Exit(1)
    end = utcnow()
    records = factory_stream(machines, end - timedelta(minutes=minutes), end, seed)
    sender: HttpTelemetrySender | MqttTelemetrySender = (
        HttpTelemetrySender(url, token)
        if via == "http"
        else MqttTelemetrySender(runtime.settings.mqtt_url, org, token)
    )
    try:
        for start in range(0, len(records), batch):
            sender.send(records[start : start + batch])
    except (RuntimeError, OSError) as exc:
        typer.secho(f"sending failed: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    finally:
        sender.close()
    answers = ", ".join(f"{k} {v}" for k, v in sender.answers.items())
    typer.echo(f"sent {len(records)} records of {len(machines)} machines via {via}. {answers}")
