"""`loom programme …`: the programme console from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.bootstrap import cli_session, org_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.errors import DomainError
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.modules.programme.engine import PlanError
from loom.modules.programme.schemas.targets import KpiOut
from loom.modules.programme.service import plans
from loom.modules.programme.service.targets import kpi_report, parse_on

cli = typer.Typer(help="The programme console: plan, targets, projects.", no_args_is_help=True)
plan_cli = typer.Typer(
    help="The action plan as data: show and publish versions.", no_args_is_help=True
)
cli.add_typer(plan_cli, name="plan")

BureauOption = Annotated[
    str | None,
    typer.Option("--bureau", help="Slug of the bureau (default: the only bureau, if one)."),
]


def bureau_slug(session: Session, given: str | None) -> str:
    """Return the bureau to act for: the one named, or the only one there is."""
    if given:
        return given
    slugs = list(
        session.scalars(select(Organisation.slug).where(Organisation.kind == OrgKind.BUREAU))
    )
    if len(slugs) != 1:
        listed = ", ".join(slugs) or "none"
        typer.echo(f"error: name the bureau with --bureau (bureaus: {listed})", err=True)
        raise typer.Exit(2)
    return slugs[0]


@plan_cli.command("show")
def show(bureau: BureauOption = None) -> None:
    """Print the bureau's active plan: version, batches with quotas and targets."""
    with cli_session() as session:
        scope = org_scope(session, bureau_slug(session, bureau), "loom programme plan show")
        row = plans.active_version(session, scope.org_id)
        plan = plans.active_plan(session, scope.org_id)
        out = {
            "plan": plan.id,
            "published_version": row.version if row else None,
            "batches": [
                {"id": b.id, "deadline": b.deadline.isoformat(), "quotas": dict(b.quotas)}
                for b in plan.batches
            ],
            "targets": [
                {
                    "id": t.id,
                    "metric": t.metric,
                    "comparator": str(t.comparator),
                    "value": str(t.value),
                    "deadline": t.deadline.isoformat(),
                }
                for t in plan.targets
            ],
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))


@plan_cli.command("publish")
def publish(
    bureau: BureauOption = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Plan JSON; default: the plan shipped with Loom.")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Why this version.")] = "",
) -> None:
    """Validate and publish a version of the bureau's action plan."""
    text = None
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            typer.echo(f"error: --file: {exc.strerror}", err=True)
            raise typer.Exit(2) from None
    try:
        with cli_session() as session:
            scope = org_scope(session, bureau_slug(session, bureau), "loom programme plan publish")
            row = plans.publish(session, scope, text, note)
            typer.echo(f"published {row.code} as version {row.version}")
    except PlanError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem.path}: {problem.message}", err=True)
        raise typer.Exit(2) from None
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None


@cli.command("kpi")
def kpi(
    bureau: BureauOption = None,
    on: Annotated[str, typer.Option("--on", help="As-of day YYYY-MM-DD (default: today).")] = "",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as the API gives them.")
    ] = False,
) -> None:
    """Print each target of the bureau's plan against its actual value and status."""
    try:
        day = parse_on(on)
        with cli_session() as session:
            scope = org_scope(session, bureau_slug(session, bureau), "loom programme kpi")
            bind_scope(session, scope)  # the ORM tenant filter applies to the CLI too
            out = KpiOut.of(kpi_report(session, scope, day))
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(out.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{out.plan_title} ({out.plan}) as of {out.on.isoformat()}")
    rows = [("target", "actual", "target value", "deadline", "status")]
    for t in out.targets:
        goal = f"{t.comparator} {t.value}{'%' if t.unit == 'percent' else ''}"
        actual = t.shown if t.shown_at_deadline is None else f"{t.shown} ({t.shown_at_deadline})"
        rows.append((t.id, actual, goal, t.deadline.isoformat(), t.status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        typer.echo("  ".join(cells).rstrip())
    typer.echo("(value): the value on a passed deadline, which the status is judged on")
