"""``loom ingest mqtt`` (the MQTT ingest workers) and ``loom simulate shopfloor``."""

from __future__ import annotations

import logging
import multiprocessing
import random
import signal
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import typer

from loom.kernel.bootstrap import cli_runtime, cli_session, org_scope, tune_gc
from loom.kernel.errors import DomainError
from loom.kernel.identity.service import create_token
from loom.kernel.messaging.ingest import channel_routes
from loom.modules.shopfloor.engine.mqtt_topics import DEFAULT_GROUP, Stats, worker_client_id
from loom.modules.shopfloor.engine.simulation import SimConfig, simulate
from loom.modules.shopfloor.service.mqtt_ingest import SESSION_EXPIRY, IngestWorker
from loom.modules.shopfloor.service.simulator import (
    HttpSender,
    MqttSender,
    Tally,
    cap_in_time,
    default_now,
    latest_scan,
    load_factory,
    pace,
    payloads,
    start_time,
)

ingest_cli = typer.Typer(
    help="Ingest workers that store shop-floor scans and apps' device records.",
    no_args_is_help=True,
)
simulate_cli = typer.Typer(help="Simulated traffic for demos and benchmarks.", no_args_is_help=True)

TOKEN_DAYS = 30
log = logging.getLogger("loom.shopfloor.mqtt")


Handlers = list[tuple[signal.Signals, Any]]


def _on_signals(stop: threading.Event) -> Handlers:
    """Make SIGTERM and SIGINT set ``stop``; return the handlers they replace."""

    def handler(_signum: int, _frame: Any) -> None:
        """Ask the loop to stop."""
        stop.set()

    previous: Handlers = [(sig, signal.getsignal(sig)) for sig in (signal.SIGTERM, signal.SIGINT)]
    for sig, _old in previous:
        signal.signal(sig, handler)
    return previous


def _restore(previous: Handlers) -> None:
    """Put back the signal handlers ``_on_signals`` replaced."""
    for sig, old in previous:
        signal.signal(sig, old)


def _worker(base: str, index: int, group: str, expiry: int) -> IngestWorker:
    """Build worker ``index`` from the environment's settings."""
    runtime = cli_runtime()
    tune_gc()
    return IngestWorker(
        url=runtime.settings.mqtt_url,
        session_factory=runtime.session_factory,
        registry=runtime.registry,
        secret_key=runtime.settings.secret_key,
        client_id=worker_client_id(base, index),
        group=group,
        session_expiry=expiry,
        app=runtime.apps.get("shopfloor"),
        reconnect_max_delay=runtime.settings.mqtt_reconnect_max_seconds,
        # every installed app's ingest channel rides on the same workers
        channels=list(channel_routes(runtime.apps.values()).values()),
    )


def run_workers(workers: Sequence[IngestWorker], stop: threading.Event) -> None:
    """Start the workers, wait for ``stop`` (SIGTERM/SIGINT), then stop each after its batch."""
    for worker in workers:
        worker.start()
    started = time.monotonic()
    while not stop.wait(10):
        total = Stats()
        for worker in workers:
            for name in ("messages", "events", "accepted", "duplicates", "quarantined"):
                setattr(total, name, getattr(total, name) + getattr(worker.stats, name))
        log.info("ingest: %s", total.line(time.monotonic() - started))
    for worker in workers:
        worker.stop()


def _logging() -> None:
    """Log progress lines to stderr."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")


def worker_process(base: str, index: int, group: str, expiry: int) -> None:
    """Run one worker in a child process until SIGTERM (the parent's ``--workers N``)."""
    _logging()
    stop = threading.Event()
    _on_signals(stop)
    run_workers([_worker(base, index, group, expiry)], stop)


def _run_processes(base: str, count: int, group: str, expiry: int, stop: threading.Event) -> None:
    """Run ``count`` worker processes (real parallelism), restarting any that dies."""
    context = multiprocessing.get_context("spawn")
    children: dict[int, Any] = {}
    while not stop.is_set():
        for index in range(count):
            child = children.get(index)
            if child is not None and child.is_alive():
                continue
            if child is not None:
                log.error("worker %d exited with %s; restarting it", index, child.exitcode)
            # the same client id: the restarted worker resumes the broker session it left
            children[index] = context.Process(
                target=worker_process,
                args=(base, index, group, expiry),
                name=f"loom-ingest-{index}",
            )
            children[index].start()
        stop.wait(1.0)
    for child in children.values():
        child.terminate()  # SIGTERM: each finishes its batch
    for child in children.values():
        child.join(60)


@ingest_cli.command("mqtt")
def ingest_mqtt(
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes"),
    group: str = typer.Option(DEFAULT_GROUP, help="Shared-subscription group"),
    client_id: str = typer.Option(
        "", help="Stable MQTT client id (worker n > 0 gets '-n'); default loom-ingest-HOST"
    ),
    session_expiry: int = typer.Option(
        SESSION_EXPIRY, min=60, help="Seconds the broker keeps a stopped worker's queue"
    ),
    drain: bool = typer.Option(
        False, help="Retire these worker ids: take no new share, finish their queues, end them"
    ),
) -> None:
    """Consume $share/GROUP/loom/+/events and each app channel's; ack after each commit."""
    _logging()
    runtime = cli_runtime()
    base = client_id or f"loom-ingest-{socket.gethostname()}"
    typer.echo(f"ingesting from {runtime.settings.mqtt_url}: {workers} worker(s), group {group}")
    stop = threading.Event()
    previous = _on_signals(stop)
    try:
        if drain:
            retiring = [_worker(base, i, group, session_expiry) for i in range(workers)]
            for worker in retiring:
                worker.start()
            for worker in retiring:
                worker.drain()
        elif workers == 1:
            run_workers([_worker(base, 0, group, session_expiry)], stop)
        else:
            _run_processes(base, workers, group, session_expiry, stop)
    finally:
        _restore(previous)


def _issue_token(org: str) -> str:
    """Issue a device token holding shopfloor.event.write for ``org``; return its plain text."""
    runtime = cli_runtime()
    with cli_session() as session:
        scope = org_scope(session, org, "simulator")
        _token, issued = create_token(
            session,
            scope,
            runtime.registry,
            name="simulator",
            permissions=["shopfloor.event.write"],
            days=TOKEN_DAYS,
            kind="device",
        )
    return issued.plain


@simulate_cli.command("shopfloor")
def simulate_shopfloor(
    org: str = typer.Option(..., help="Organisation slug of the factory"),
    rate: float = typer.Option(1000.0, min=0.1, help="Events per second to send"),
    via: str = typer.Option("http", help="http or mqtt"),
    url: str = typer.Option("http://127.0.0.1:8000", help="Base URL of Loom (--via http)"),
    token: str = typer.Option("", help="Device token; a new one is issued when omitted"),
    duration: float | None = typer.Option(None, min=0.1, help="Stop after S seconds"),
    events: int | None = typer.Option(None, min=1, help="Stop after N events"),
    seed: int = typer.Option(1, help="Random seed"),
    batch: int = typer.Option(1000, min=1, max=10_000, help="Events per request or message"),
) -> None:
    """Run the seeded factory's floor and send its scans at RATE events/s."""
    if via not in {"http", "mqtt"}:
        raise typer.BadParameter("--via must be http or mqtt", param_hint="--via")
    runtime = cli_runtime()
    try:
        with cli_session() as session:
            scope = org_scope(session, org, "simulator")
            factory = load_factory(session, scope)
            after = latest_scan(session, scope)
        if not token:
            token = _issue_token(org)
            typer.echo(f"issued device token for {org}: {token}")
    except DomainError as exc:
        typer.secho(exc.message, fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    bundles = sum(len(o.bundles) for o in factory.orders)
    if not bundles or not factory.operators:
        typer.secho(f"{org} has no cut bundles or no operators to simulate", err=True)
        raise typer.Exit(1)
    now = default_now()
    tasks = sum(len(o.bundles) * len(factory.routings[o.style_id]) for o in factory.orders)
    wanted = events if events is not None else int(rate * duration) if duration else tasks
    config = SimConfig()
    start = start_time(factory, wanted, now, after, config.tz)
    scans = cap_in_time(simulate(factory, start, random.Random(seed), config), now)
    ended = threading.Event()

    def stream() -> Iterator[dict[str, object]]:
        """Yield the signed events and note when the floor has no more."""
        yield from payloads(scans, runtime.settings.secret_key, scope.org_id, seed)
        ended.set()

    typer.echo(
        f"simulating {len(factory.operators)} operators on {bundles} bundles from "
        f"{start.isoformat()} via {via} at {rate:,.0f} events/s"
    )
    tally = Tally()
    started = last = time.monotonic()
    sender: HttpSender | MqttSender | None = None

    def send(chunk: list[dict[str, object]]) -> None:
        """Send a batch and print a progress line every two seconds."""
        nonlocal last
        assert sender is not None
        sender.send(chunk, tally)
        if time.monotonic() - last >= 2:
            last = time.monotonic()
            typer.echo(tally.line(last - started))

    stop = threading.Event()
    previous = _on_signals(stop)
    try:
        sender = (
            HttpSender(url, token)
            if via == "http"
            else MqttSender(runtime.settings.mqtt_url, org, token)
        )
        pace(stream(), send, rate=rate, batch=batch, limit=events, seconds=duration, stop=stop)
    except (RuntimeError, OSError) as exc:
        typer.secho(f"sending failed: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    finally:
        if sender is not None:
            sender.close()
        _restore(previous)
    typer.echo(tally.line(time.monotonic() - started))
    if ended.is_set():
        typer.echo("the simulated floor has sewn every bundle (or caught up with the present)")
