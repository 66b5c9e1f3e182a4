"""``loom subcontract …`` commands."""

from __future__ import annotations

import typer

from loom.kernel.bootstrap import cli_session, org_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.errors import DomainError
from loom_subcontract.summaries import overdue_jobs, today

cli = typer.Typer(
    help="Sub-contracting: pieces out at embroiderers, printers and washers.",
    no_args_is_help=True,
)


@cli.command("overdue")
def overdue(org: str = typer.Option(..., "--org", help="Organisation slug")) -> None:
    """Print the organisation's open jobs that are past due with pieces still out."""
    try:
        with cli_session() as session:
            scope = org_scope(session, org, "subcontract.overdue")
            bind_scope(session, scope)  # the ORM tenant filter applies to the CLI too
            jobs = overdue_jobs(session, scope)
            on = today()
            if not jobs:
                typer.echo(f"{org}: no overdue jobs")
                return
            typer.echo(f"{org}: {len(jobs)} overdue job(s) as of {on.isoformat()}")
            for job in jobs:
                late = (on - job.due_on).days
                typer.echo(
                    f"#{job.id:<6} {job.partner[:28]:<28} {job.reference[:20]:<20} "
                    f"{job.process.value:<10} due {job.due_on.isoformat()} "
                    f"({late} day(s) late)  {job.outstanding} of {job.qty_sent} out"
                )
    except DomainError as exc:
        typer.secho(exc.message, fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
