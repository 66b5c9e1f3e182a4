"""Load scenario: demo users browse dashboards while devices post scans, on PostgreSQL.

A throwaway PostgreSQL database gets every app, the demo district (``--smoke``: the small demo)
and an extra enterprise whose scans the ingest driver posts (``bench.load_ingest``). ``loom
serve --workers N`` serves it; locust (``bench/load_users.py``) runs headless in its own process
with the demo logins browsing their roles' pages 1-5 s apart, while this process posts scans at
the target rate. Reported: p50/p95/p99 per page from every single request, errors, the ingest
rate achieved, and the machine's CPU. Full: 200 users, 3 minutes, 5,000 events/s.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic, process_time, sleep
from typing import Any

import httpx2
import psutil  # type: ignore[import-untyped]
from prometheus_client.parser import text_string_to_metric_families

from bench.core import Check, Config, Note, Report, postgres_server_url
from bench.load_ingest import drive, seed_source
from bench.load_result import (
    FULL,
    LOGIN_NAMES,
    SMOKE,
    LoadResult,
    Scenario,
    as_json,
    checks,
    error_reasons,
    ingest_figures,
    lines,
    page_stats,
    windows,
)
from bench.machine import REPO, analyze
from bench.request_auth import Server, free_port
from bench.shopfloor_common import bench_settings
from bench.shopfloor_probe import postgres_cpu
from loom.app import create_app
from loom.demo.accounts import DEMO_PASSWORD
from loom.demo.district import seed_district
from loom.demo.small import seed_demo
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.loader import discover
from loom.testing.databases import create_postgres_database, drop_postgres_database

NAME = "load"
STARTUP_SECONDS = 180.0


def _cpu_jiffies() -> tuple[int, int]:
    """Return (busy, total) jiffies of the whole machine so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    total = sum(fields[:8])  # user … steal; guest time is already inside user
    return total - idle, total


def _tree_cpu(process: psutil.Process) -> float:
    """Return the CPU seconds a process and its live children have used."""
    total = 0.0
    for proc in [process, *process.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _seed(url: str, data_dir: Path, secret: str, scenario: Scenario, events: int) -> Any:
    """Seed the demo (district or small) and the ingest enterprise; return the ingest source."""
    settings = bench_settings(url, data_dir).model_copy(update={"secret_key": secret})
    application = create_app(settings)
    try:
        with session_scope(application.state.loom.session_factory) as session:
            if scenario.district:
                seed_district(session, secret_key=secret)
            else:
                seed_demo(session, secret_key=secret)
        # after the district, which refuses to seed beside organisations it does not know
        source = seed_source(application, events, secret)
        analyze(application.state.loom.engine)
        return source
    finally:
        application.state.loom.engine.dispose()


def _serve(url: str, data_dir: Path, secret: str, workers: int, log: Path) -> tuple[Any, Server]:
    """Start ``loom serve --workers N`` on a free loopback port, metrics summed over workers."""
    port = free_port()
    metrics_dir = data_dir / "prometheus"
    metrics_dir.mkdir(parents=True)
    env = {
        **os.environ,
        "LOOM_ENV": "production",
        "LOOM_DATABASE_URL": url,
        "LOOM_DATA_DIR": str(data_dir),
        "LOOM_SECRET_KEY": secret,
        "LOOM_METRICS_TOKEN": secret,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    loom = str(Path(sys.executable).parent / "loom")
    command = [loom, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    return process, Server(process, f"http://127.0.0.1:{port}")


def _locust(base_url: str, scenario: Scenario, plan: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start locust headless on the users of ``bench/load_users.py``."""
    locust = str(Path(sys.executable).parent / "locust")
    command = [
        *(locust, "-f", str(REPO / "bench" / "load_users.py"), "--headless"),
        *("--host", base_url, "--users", str(scenario.users)),
        *(
            "--spawn-rate",
            str(scenario.spawn_rate),
            "--run-time",
            f"{max(scenario.seconds, scenario.cap_seconds)}s",
        ),
        *("--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"),
    ]
    env = {**os.environ, "LOOM_LOAD_PLAN": str(plan), "PYTHONPATH": str(REPO)}
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - fixed arguments
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _accepted_in_metrics(base_url: str, token: str) -> float:
    """Return the accepted scan events the server's /metrics reports, all workers summed."""
    response = httpx2.get(
        base_url + "/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    response.raise_for_status()
    return sum(
        sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == "loom_ingest_events_total"
        and sample.labels == {"channel": "events", "outcome": "accepted"}
    )


def _wait_until_up(server: Server, workers: int, log: Path) -> None:
    """Block until every worker has started and the health check answers."""
    # a loaded 2-core machine took 45 s to build the app in each worker: be patient
    deadline = monotonic() + STARTUP_SECONDS
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"loom serve exited with status {server.process.returncode}")
        if monotonic() > deadline:
            raise RuntimeError(f"loom serve did not start within {STARTUP_SECONDS:.0f} s")
        # a worker accepts no connection before its startup: count them in uvicorn's log
        started = log.read_text().count("Application startup complete")
        if started >= workers:
            try:
                if httpx2.get(server.base_url + "/api/v1/health", timeout=5).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
        sleep(0.2)


def _stop(process: subprocess.Popen[Any]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_scenario(scenario: Scenario, server_url: str) -> LoadResult:
    """Run one scenario on a throwaway PostgreSQL database migrated with every app."""
    url = create_postgres_database(server_url, discover())
    try:
        return run_on(scenario, url)
    finally:
        drop_postgres_database(server_url, url)


def run_on(scenario: Scenario, url: str) -> LoadResult:
    """Seed, serve, load and measure one scenario on an empty, migrated database at ``url``."""
    secret = secrets.token_urlsafe(48)
    with tempfile.TemporaryDirectory(prefix="loom-load-") as directory:
        data_dir = Path(directory)
        log = data_dir / "serve.log"
        # the server needs no data to start: it builds its apps while this process seeds
        server_process, server = _serve(url, data_dir, secret, scenario.workers, log)
        try:
            began = monotonic()
            events = int(scenario.rate * scenario.seconds) + scenario.batch
            source = _seed(url, data_dir, secret, scenario, events)
            seed_seconds = monotonic() - began
            _wait_until_up(server, scenario.workers, log)
            return _measure(scenario, server, source, secret, data_dir, seed_seconds)
        except BaseException:
            sys.stderr.write(log.read_text()[-4_000:])
            raise
        finally:
            _stop(server_process)


def _measure(
    scenario: Scenario, server: Server, source: Any, secret: str, data_dir: Path, seed: float
) -> LoadResult:
    """Run locust and the ingest driver side by side; collect their figures and the CPU."""
    samples_path = data_dir / "samples.json"
    plan = data_dir / "plan.json"
    logins = ["bureau", "factory", "planner", "operator", "contractor", "assessor"]
    if scenario.district:
        logins.append("factory2")
    plan.write_text(
        json.dumps(
            {
                "password": DEMO_PASSWORD,
                "logins": logins,
                "samples": str(samples_path),
                "seconds": scenario.seconds,
                "until_every_page": scenario.until_every_page,
            }
        )
    )
    busy0, total0 = _cpu_jiffies()
    load0 = os.getloadavg()
    server_tree = psutil.Process(server.process.pid)
    server_cpu0 = _tree_cpu(server_tree)
    # PostgreSQL (every database on the server: nothing else should run) and this process,
    # which signs and posts the scans: with the server and locust, where the machine's CPU went
    database_cpu0, own_cpu0 = postgres_cpu(), process_time()
    load_began = monotonic()
    locust = _locust(server.base_url, scenario, plan, data_dir / "locust.log")
    outcome: dict[str, Any] = {}

    def ingest() -> None:
        outcome["result"] = drive(
            server.base_url,
            source,
            rate=scenario.rate,
            batch=scenario.batch,
            seconds=scenario.seconds,
        )

    driver = threading.Thread(target=ingest, daemon=True)
    driver.start()
    locust_cpu = 0.0
    locust_tree = psutil.Process(locust.pid)
    while locust.poll() is None:
        try:
            locust_cpu = max(locust_cpu, _tree_cpu(locust_tree))
        except psutil.NoSuchProcess:
            break
        sleep(1.0)  # sample locust's CPU while it lives: its children are gone at exit
    load_seconds = monotonic() - load_began
    driver.join()
    busy1, total1 = _cpu_jiffies()
    server_cpu = _tree_cpu(server_tree) - server_cpu0
    database_cpu, own_cpu = postgres_cpu() - database_cpu0, process_time() - own_cpu0
    tally, wall = outcome["result"]
    if locust.returncode != 0 or not samples_path.exists():
        log = (data_dir / "locust.log").read_text()[-4_000:]
        raise RuntimeError(f"locust exited with {locust.returncode}: {log}")
    samples = [tuple(s) for s in json.loads(samples_path.read_text())]
    stats = page_stats(samples)
    cpus = os.cpu_count() or 1
    cpu = {
        "cores": cpus,
        "machine_busy_percent": round(100 * (busy1 - busy0) / max(total1 - total0, 1), 1),
        "load_average_before": [round(v, 2) for v in load0],
        "load_average_after": [round(v, 2) for v in os.getloadavg()],
        "server_cpu_seconds": round(server_cpu, 1),
        "locust_cpu_seconds": round(locust_cpu, 1),
        "postgresql_cpu_seconds": round(database_cpu, 1),
        "driver_cpu_seconds": round(own_cpu, 1),
    }
    return LoadResult(
        scenario=scenario,
        pages={k: v for k, v in stats.items() if k not in LOGIN_NAMES},
        logins={k: v for k, v in stats.items() if k in LOGIN_NAMES},
        ingest=ingest_figures(tally, wall, scenario),
        cpu=cpu,
        metrics_accepted=_accepted_in_metrics(server.base_url, secret),
        seed_seconds=round(seed, 1),
        load_seconds=round(load_seconds, 1),
        error_reasons=error_reasons(samples),
        windows=windows(samples),
    )


def run(config: Config, report: Report) -> None:
    """Run the scenario for ``python -m bench`` (``--quick``: the smoke scenario)."""
    server = postgres_server_url()
    if server is None:
        report.notes.append(Note(NAME, "-", "skipped: the load scenario needs PostgreSQL"))
        return
    result = run_scenario(SMOKE if config.quick else FULL, server)
    for text in lines(result):
        report.notes.append(Note(NAME, "postgresql", text))
    for what, ok, detail in checks(result):
        report.checks.append(Check(NAME, "postgresql", what, ok, detail))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one scenario from the command line and write var/bench/load-<timestamp>.json."""
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="20 users, 20 s, 500 events/s")
    for flag in ("users", "seconds", "workers", "batch"):
        parser.add_argument(f"--{flag}", type=int, help=f"override the scenario's {flag}")
    parser.add_argument("--rate", type=float, help="override the ingest events per second")
    args = parser.parse_args(argv)
    scenario = SMOKE if args.smoke else FULL
    changes = {k: getattr(args, k) for k in ("users", "seconds", "workers", "batch", "rate")}
    scenario = replace(scenario, **{k: v for k, v in changes.items() if v is not None})
    server = postgres_server_url()
    if server is None:
        print("set LOOM_BENCH_POSTGRES_URL or LOOM_TEST_POSTGRES_URL", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    result = run_scenario(scenario, server)
    print("\n".join(lines(result)))
    failed = [(w, d) for w, ok, d in checks(result) if not ok]
    for what, detail in failed:
        print(f"FAIL  {what}: {detail}")
    out = REPO / "var" / "bench" / f"load-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "started_at": started.isoformat(timespec="seconds"),
        "command": sys.argv,
        **as_json(result),
    }
    out.write_text(json.dumps(data, indent=2) + "\n")
    print(f"results written to {out.relative_to(REPO)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
