"""The ``loom`` command: serve, migrate, seed, verify the audit log, manage apps and tenants."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from sqlalchemy import Engine, select, text

from loom.kernel.audit.verify import verify_chains
from loom.kernel.bootstrap import cli_runtime, cli_session, tune_gc
from loom.kernel.db.migrate import known_revision, pending, upgrade
from loom.kernel.db.rls import is_postgres, unprotected_tables
from loom.kernel.errors import DomainError
from loom.kernel.identity.service import create_user
from loom.kernel.messaging.mqtt import MqttError, round_trip
from loom.kernel.plugins.loader import check_spec, discover
from loom.kernel.portability.archive import export_org, import_archive
from loom.kernel.portability.backup import (
    BackupError,
    create_backup,
    read_manifest,
    restore_backup,
    target_tables_with_data,
)
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Actor
from loom.kernel.tenancy.service import add_membership, create_organisation
from loom.modules.shopfloor.cli_ingest import ingest_cli, simulate_cli

if TYPE_CHECKING:
    from fastapi import FastAPI

app = typer.Typer(
    help="Loom: the district platform for SME digital transformation.", no_args_is_help=True
)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
apps_app = typer.Typer(
    help="Installed apps (the loom.apps entry-point group).", no_args_is_help=True
)
org_app = typer.Typer(help="Organisations: create, export, import.", no_args_is_help=True)
user_app = typer.Typer(help="Users and memberships.", no_args_is_help=True)
for sub, name in (
    (db_app, "db"),
    (audit_app, "audit"),
    (apps_app, "apps"),
    (org_app, "org"),
    (user_app, "user"),
    (ingest_cli, "ingest"),
    (simulate_cli, "simulate"),
):
    app.add_typer(sub, name=name)

CLI_ACTOR = Actor(kind="system", label="system:cli")


def _fail(message: str, code: int = 1) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (kernel, modules and apps) to the configured database."""
    runtime = cli_runtime()
    upgrade(runtime.engine, runtime.apps.values())
    typer.echo(f"database is up to date: {runtime.engine.url.render_as_string(hide_password=True)}")


def _unprotected(engine: Engine) -> list[str] | None:
    """Return the tenant tables without row-level security; None where there is none (SQLite)."""
    with engine.connect() as connection:
        return unprotected_tables(connection) if is_postgres(connection) else None


@db_app.command("check")
def db_check() -> None:
    """Exit non-zero when migrations are pending or a tenant table lacks row-level security."""
    runtime = cli_runtime()
    missing = pending(runtime.engine, runtime.apps.values())
    if missing:
        _fail(f"pending migrations: {sorted(missing)}; run `loom db upgrade`")
    typer.echo("no pending migrations")
    unprotected = _unprotected(runtime.engine)
    if unprotected:
        _fail(
            f"tenant tables without row-level security: {', '.join(unprotected)}; "
            "run `loom db upgrade`"
        )
    if unprotected is not None:
        typer.echo("row-level security on every tenant table")


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute every audit chain; exit 1 naming the first edited or missing record."""
    with cli_session() as session:
        result = verify_chains(session)
    if not result.ok:
        _fail(f"audit log TAMPERED: {result.problem} ({result.checked} records verified before it)")
    typer.echo(f"audit log intact: {result.checked} records verified")


@apps_app.command("list")
def apps_list() -> None:
    """List installed apps."""
    specs = discover()
    if not specs:
        typer.echo("no apps installed")
    for spec in specs:
        kind = "built-in" if spec.builtin else "third-party"
        typer.echo(f"{spec.slug:<20} {spec.version:<10} {kind:<12} {spec.name}")


@apps_app.command("check")
def apps_check() -> None:
    """Validate every installed AppSpec; exit 1 listing every problem."""
    specs = discover()
    slugs = [s.slug for s in specs]
    failures = 0
    for spec in specs:
        problems = check_spec(spec, slugs)
        status = "ok" if not problems else "INVALID"
        typer.echo(f"{spec.slug}: {status}")
        for problem in problems:
            typer.echo(f"  - {problem}")
        failures += bool(problems)
    if failures:
        _fail(f"{failures} app(s) invalid")
    typer.echo(f"{len(specs)} app(s) valid")


@org_app.command("create")
def org_create(slug: str, name: str, kind: str) -> None:
    """Create an organisation of KIND (bureau, enterprise, contractor, assessor)."""
    try:
        with cli_session() as session:
            org = create_organisation(session, CLI_ACTOR, slug=slug, name=name, kind=kind)
            typer.echo(f"created organisation {org.slug} (id {org.id})")
    except DomainError as exc:
        _fail(exc.message, 2)


@org_app.command("export")
def org_export(
    org: str, out: Path = typer.Option(..., "--out", help="Archive to write (.zip)")
) -> None:
    """Write all of one organisation's rows, with a manifest of checksums, to an archive."""
    try:
        with cli_session() as session:
            manifest = export_org(session, org, out)
    except DomainError as exc:
        _fail(exc.message, 2)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    typer.echo(f"exported {rows} rows of {org} to {out}")


@org_app.command("import")
def org_import(archive: Path) -> None:
    """Restore an organisation archive into this (empty) database."""
    try:
        with cli_session() as session:
            manifest = import_archive(session, archive, cli_runtime().apps.values())
    except DomainError as exc:
        _fail(exc.message, 2)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    typer.echo(f"imported {rows} rows of {manifest['organisation']['slug']}")


@user_app.command("create")
def user_create(
    username: str,
    org: str = typer.Option(..., help="Organisation slug"),
    role: str = typer.Option("admin", help="admin, manager, member or viewer"),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    name: str = typer.Option("", help="Display name"),
) -> None:
    """Create a user and give them a role in an organisation."""
    try:
        with cli_session() as session:
            target = session.scalar(select(Organisation).where(Organisation.slug == org))
            if target is None:
                raise DomainError(f"no organisation with slug {org!r}", field="org")
            user = create_user(session, username, name or username, password)
            add_membership(session, CLI_ACTOR, target, user, role)
    except DomainError as exc:
        _fail(exc.message, 2)
    typer.echo(f"created user {username} as {role} of {org}")


@app.command("backup")
def backup(out: Path = typer.Option(..., "--out", help="Archive to write (.zip)")) -> None:
    """Back up the whole database (consistent while the server writes), with a manifest."""
    url = cli_runtime().settings.effective_database_url
    try:
        manifest = create_backup(url, out)
    except BackupError as exc:
        _fail(str(exc), exc.exit_code)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    typer.echo(f"backed up {len(manifest['tables'])} tables ({rows} rows) to {out}")


@app.command("restore")
def restore(
    archive: Path,
    force: bool = typer.Option(False, "--force", help="Replace a database that holds data"),
    yes: bool = typer.Option(False, "--yes", help="Do not ask before replacing data"),
) -> None:
    """Restore a backup into the configured database, then verify its content and audit log."""
    runtime = cli_runtime()
    url = runtime.settings.effective_database_url
    try:
        if force and not yes and target_tables_with_data(url):
            read_manifest(archive)  # refuse a foreign file before asking anything
            where = runtime.engine.url.render_as_string(hide_password=True)
            typer.confirm(f"replace every row of {where} with {archive}?", abort=True)
        report = restore_backup(
            archive, url, force=force, known_revisions=known_revision(runtime.apps.values())
        )
    except BackupError as exc:
        _fail(str(exc), exc.exit_code)
    typer.echo(
        f"restored {report.rows} rows in {len(report.manifest['tables'])} tables; "
        "content matches the manifest"
    )
    typer.echo(f"audit log intact: {report.audit_records} records verified")
    if pending(runtime.engine, runtime.apps.values()):
        typer.echo("the backup predates some migrations here: run `loom db upgrade`")


@app.command("demo")
def demo(
    seed_only: bool = typer.Option(False, "--seed-only", help="Seed the district and exit"),
    host: str = typer.Option("127.0.0.1", help="Address to serve on"),
    port: int = typer.Option(8000, help="Port to serve on"),
    rate: float = typer.Option(
        1.0, min=0.0, help="Live scans per second per demo factory (0: no live feed)"
    ),
) -> None:
    """Seed the demo district (once), then serve it with live shop-floor scans until Ctrl+C."""
    from loom.app import create_app
    from loom.demo.run import run_demo

    run_demo(seed_only=seed_only, host=host, port=port, rate=rate, make_app=create_app)


@app.command("doctor")
def doctor() -> None:
    """Check the database, pending migrations and the MQTT broker; exit 1 on any failure."""
    runtime = cli_runtime()
    failures = 0
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        missing = pending(runtime.engine, runtime.apps.values())
        state = f"{len(missing)} migration(s) pending" if missing else "migrated"
        where = runtime.engine.url.render_as_string(hide_password=True)
        typer.echo(f"database  ok   {where} ({state})")
        failures += bool(missing)
        unprotected = _unprotected(runtime.engine)
        if unprotected:
            typer.echo(f"rls       FAIL no row-level security on {', '.join(unprotected)}")
            failures += 1
        elif unprotected is not None:
            typer.echo("rls       ok   every tenant table")
    except Exception as exc:  # report any driver error as a failed check
        typer.echo(f"database  FAIL {exc}")
        failures += 1
    try:
        seconds = round_trip(runtime.settings.mqtt_url)
        millis = seconds * 1000
        typer.echo(f"mqtt      ok   {runtime.settings.mqtt_url} (round trip {millis:.1f} ms)")
    except (MqttError, ValueError) as exc:
        typer.echo(f"mqtt      FAIL {exc}")
        failures += 1
    if failures:
        _fail(f"{failures} check(s) failed")


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = typer.Option(1, min=1, help="Worker processes (one per core is typical)"),
    keep_alive: int = typer.Option(
        65,
        min=1,
        envvar="LOOM_KEEP_ALIVE_SECONDS",
        help="Seconds an idle keep-alive connection stays open",
    ),
) -> None:
    """Serve the web UI and API."""
    import uvicorn

    # uvicorn closes an idle connection after 5 s by default, so a client (or a proxy) that
    # reuses it at that moment gets a reset instead of an answer: the load runs lost 27-31
    # page views so. Above a proxy's idle timeout (60 s at common load balancers) it cannot race.

    if workers > 1:
        # uvicorn starts each worker from an import string; each builds its own app and pool.
        # Building the app can hold the interpreter for over 5 s on a busy machine, which
        # uvicorn's default health check takes for a hung worker (and restarts it forever).
        uvicorn.run(
            "loom.cli:worker_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            timeout_worker_healthcheck=60,
            timeout_keep_alive=keep_alive,
        )
        return
    application = worker_app()
    uvicorn.run(application, host=host, port=port, log_level="info", timeout_keep_alive=keep_alive)


def worker_app() -> FastAPI:
    """Build the application of one server process from the environment, collector tuned."""
    from loom.app import create_app

    application = create_app(cli_runtime().settings)
    tune_gc()
    return application


def mount_app_clis() -> None:
    """Mount every installed app's CLI as ``loom <slug>`` (idempotent)."""
    mounted = {group.name for group in app.registered_groups}
    for spec in discover():
        name = spec.cli_name or spec.slug
        if spec.cli is not None and name not in mounted:
            app.add_typer(spec.cli, name=name, help=spec.description or spec.name)


def main() -> None:
    """Entry point of the ``loom`` console script."""
    mount_app_clis()
    app()
