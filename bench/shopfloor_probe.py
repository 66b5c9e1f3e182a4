"""Where the ingest route's time goes: events/s, and CPU per 1,000 events of server and database.

The benchmark (``bench.shopfloor_ingest``) reports rates, which on a shared machine move with
whatever else runs. This probe also reads the CPU time the uvicorn process and every PostgreSQL
process used during each run (``/proc``, Linux only), which moves far less, and the share of
one core the server used: below 1, the server waits (for the database, for locks, for its
clients); at 1, its own interpreter is the limit.

    .venv/bin/python -m bench.shopfloor_probe --backend postgresql --connections 2,8 --batches 16

One server process (``bench.shopfloor_server``), the benchmark's seeded factory and signed
scans; each connection posts batches of ``--batch`` events until the run's share is sent, and
every answer must accept the whole batch. Runs repeat ``--repeat`` times, connection counts in
turn. The database CPU is that of all PostgreSQL processes, so other databases' work counts too.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import orjson

from bench.core import postgres_server_url
from bench.shopfloor_common import (
    app_server,
    bench_settings,
    postgres_database,
    seed_plant,
    setup_app,
    sqlite_database,
)
from bench.shopfloor_ingest import EVENTS_URL, LINES, OPERATORS_PER_LINE, _plan
from bench.shopfloor_scans import bundles_per_order
from loom.testing.factory import Factory

_TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """Return the user + system CPU seconds of one process so far."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def postgres_cpu() -> float:
    """Return the CPU seconds of every process named postgres so far (0 without any).

    A backend that exits (a pool recycling its connection) takes its own times with it; they
    reappear in its parent's (the postmaster's) reaped-children times, which are counted too.
    """
    total = 0.0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as handle:
                text = handle.read()
        except OSError:
            continue  # gone meanwhile
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            # utime, stime, then cutime, cstime: the children already exited and reaped
            total += sum(int(value) for value in fields[11:15]) / _TICK
    return total


def _post_all(client: httpx2.Client, bodies: deque[bytes], size: int) -> None:
    while True:
        try:
            body = bodies.popleft()
        except IndexError:
            return
        answer = client.post(EVENTS_URL, content=body)
        if answer.status_code != 200 or answer.json()["accepted"] != size:
            raise RuntimeError(f"POST answered {answer.status_code}: {answer.text[:200]}")


def main() -> None:
    """Seed, serve and post; print one line per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--connections", default="2,8", help="comma-separated counts")
    parser.add_argument("--batches", type=int, default=16, help="batches per run")
    parser.add_argument("--batch", type=int, default=1_000, help="events per batch")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    counts = [int(n) for n in args.connections.split(",")]
    if args.backend == "sqlite":
        database = sqlite_database()
    else:
        server_url = postgres_server_url()
        if server_url is None:
            raise SystemExit("set LOOM_TEST_POSTGRES_URL to probe PostgreSQL")
        database = postgres_database(server_url)
    runs = args.repeat * len(counts)
    needed = (args.batches + 1) * runs * args.batch
    with database as url, tempfile.TemporaryDirectory() as data_dir:
        settings = bench_settings(url, Path(data_dir))
        with app_server(settings) as server, setup_app(settings) as application:
            bundles = bundles_per_order(needed, LINES)
            plant = seed_plant(
                application,
                "probe",
                lines=LINES,
                operators_per_line=OPERATORS_PER_LINE,
                bundles_per_order=bundles,
            )
            token = Factory(application).token(plant.org, ["shopfloor.event.write"], kind="device")
            events = _plan(plant, needed, settings)
            pool = deque(
                orjson.dumps(events[i : i + args.batch]) for i in range(0, needed, args.batch)
            )
            server.wait_until_up()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            for _ in range(args.repeat):
                for count in counts:
                    clients = [
                        httpx2.Client(base_url=server.base_url, headers=headers, timeout=120)
                        for _ in range(count)
                    ]
                    try:
                        _post_all(clients[0], deque([pool.popleft()]), args.batch)  # warm-up
                        share = deque(pool.popleft() for _ in range(args.batches))
                        database_before = postgres_cpu()
                        server_before = process_cpu(server.process.pid)
                        started = time.perf_counter()
                        with ThreadPoolExecutor(count) as executor:
                            for done in [
                                executor.submit(_post_all, c, share, args.batch) for c in clients
                            ]:
                                done.result()
                        wall = time.perf_counter() - started
                        server_cpu = process_cpu(server.process.pid) - server_before
                        database_cpu = postgres_cpu() - database_before
                    finally:
                        for client in clients:
                            client.close()
                    per_thousand = 1_000_000 / (args.batches * args.batch)
                    print(
                        f"{args.backend} {count} connections: "
                        f"{args.batches * args.batch / wall:,.0f} events/s, server "
                        f"{server_cpu * per_thousand:.1f} CPU-ms per 1,000 events "
                        f"({server_cpu / wall:.2f} of a core), PostgreSQL "
                        f"{database_cpu * per_thousand:.1f} CPU-ms per 1,000, "
                        f"load {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
