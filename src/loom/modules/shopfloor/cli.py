"""``loom shopfloor …``: recompute the derived figures from raw events and compare."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlalchemy import select

from loom.kernel.bootstrap import cli_session, org_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.modules.shopfloor.service.rebuild import RebuildReport, check, rebuild

cli = typer.Typer(
    help="Shop-floor execution: orders, scans and the figures they update.", no_args_is_help=True
)


def _report(slug: str, report: RebuildReport, *, replaced: bool) -> dict[str, object]:
    return {
        "org": slug,
        "events": report.events,
        "rows": report.rows,
        "differences": report.differences,
        "replaced": replaced,
    }


@cli.command("rebuild")
def rebuild_command(
    org: Annotated[
        str | None, typer.Option("--org", help="Slug of one enterprise (default: all).")
    ] = None,
    check_only: Annotated[
        bool, typer.Option("--check", help="Only compare; exit 1 when the figures differ.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Recompute WIP, output, efficiency and pay from the raw events; replace or check them."""
    reports = []
    with cli_session() as session:
        if org:
            slugs = [org]
        else:
            kind = Organisation.kind == OrgKind.ENTERPRISE
            slugs = list(session.scalars(select(Organisation.slug).where(kind)))
        for slug in slugs:
            scope = org_scope(session, slug, "loom shopfloor rebuild")
            bind_scope(session, scope)
            report = check(session, scope.org_id) if check_only else rebuild(session, scope.org_id)
            reports.append(_report(slug, report, replaced=not check_only))
    differing = [r for r in reports if r["differences"]]
    if as_json:
        typer.echo(json.dumps({"organisations": reports}, ensure_ascii=False))
    else:
        for r in reports:
            diffs = r["differences"]
            assert isinstance(diffs, list)
            state = "agree" if not diffs else f"{len(diffs)} difference(s)"
            action = "counters replaced" if r["replaced"] else "checked"
            typer.echo(
                f"{r['org']}: {r['events']} applied events, {r['rows']} rows, {state}; {action}"
            )
            for line in diffs:
                typer.echo(f"  {line}")
    if check_only and differing:
        raise typer.Exit(1)
