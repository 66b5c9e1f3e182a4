"""``loom demo``: seed the district once, then serve it with the live shop floor until Ctrl+C."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import typer
import uvicorn

from loom.demo.accounts import DEMO_PASSWORD, DISTRICT_LOGINS, DemoLogin
from loom.demo.district import district_seeded, seed_district, total_units
from loom.demo.factories import FLOORS
from loom.demo.live import LiveFeed
from loom.demo.progress import Bar
from loom.kernel.bootstrap import cli_runtime, cli_session, tune_gc
from loom.kernel.db.migrate import pending
from loom.kernel.errors import DomainError
from loom.settings import Settings


def seed(secret_key: str) -> tuple[DemoLogin, ...]:
    """Seed the district into the configured database unless it is there; return its logins."""
    with cli_session() as session:
        if district_seeded(session):
            typer.echo("The demo district is already seeded: nothing to do.")
            return DISTRICT_LOGINS
        started = time.monotonic()
        with Bar(total_units(), "seeding the demo district") as bar:
            outcome = seed_district(session, secret_key=secret_key, progress=bar)
    counts = ", ".join(f"{name} {value:,}" for name, value in outcome.counts.items())
    typer.echo(f"Seeded the demo district in {time.monotonic() - started:.1f} s: {counts}")
    return outcome.logins


def print_logins(url: str | None, logins: tuple[DemoLogin, ...]) -> None:
    """Print where the demo answers (when it is served) and one login per role."""
    if url is not None:
        typer.echo(f"\nLoom demo district: {url}")
    typer.echo(f"\nLogins (password for all: {DEMO_PASSWORD}):")
    for login in logins:
        typer.echo(f"  {login.username:<11} {login.role_label}")


def run_demo(
    *, seed_only: bool, host: str, port: int, rate: float, make_app: Callable[[Settings], Any]
) -> None:
    """Seed if needed, print the logins, then serve ``make_app``'s app with the live feed.

    The composition root (``loom.app``) is handed in by the CLI: the demo sits beside it.
    """
    runtime = cli_runtime()
    missing = pending(runtime.engine, runtime.apps.values())
    if missing:
        typer.secho("the database is not migrated: run `loom db upgrade` first", fg="red", err=True)
        raise typer.Exit(1)
    try:
        logins = seed(runtime.settings.secret_key)
    except DomainError as exc:
        typer.secho(exc.message, fg="red", err=True)
        raise typer.Exit(2) from exc
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"  # noqa: S104 - compared only  # nosec B104
    print_logins(None if seed_only else url, logins)
    if seed_only:
        return
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        """Stop the live feed (uvicorn hands the signal on once it has shut down)."""
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    feed = LiveFeed(
        url,
        runtime.session_factory,
        runtime.registry,
        runtime.settings.secret_key,
        [slug for slug, *_rest in FLOORS],
        rate=rate,
        stop=stop,
        say=lambda line: typer.echo(line, err=True),
    )
    typer.echo(f"Serving on {url} with live scans ({rate:g}/s per factory); Ctrl+C stops both.")
    server = uvicorn.Server(
        uvicorn.Config(make_app(runtime.settings), host=host, port=port, log_level="warning")
    )
    tune_gc()
    try:
        if rate > 0:
            feed.start()
        server.run()
    finally:
        stop.set()
        if feed.is_alive():
            feed.join(timeout=10)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo(f"Stopped: the live feed sent {feed.sent:,} scans.")
