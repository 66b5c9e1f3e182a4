"""Private PostgreSQL and Mosquitto servers that a fault test may stop and start at will.

The shared servers (LOOM_TEST_POSTGRES_URL, LOOM_TEST_MQTT_URL) serve other tests running in
parallel, so a test that restarts its server gets a throwaway one of its own on a free port.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Self

from loom.testing.processes import ChildProcess, free_port

PG_VERSION = "15"
PG_BIN = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")
#: generous bound of every wait on a server (a bound, not a timing assertion)
WAIT = 60.0


def _run(*command: str) -> None:
    """Run a server administration command; fail with its output."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def _wait_for_port(port: int, up: bool) -> None:
    """Block until something listens on the loopback port (``up``) or nothing does."""
    deadline = time.monotonic() + WAIT
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            listening = probe.connect_ex(("127.0.0.1", port)) == 0
        if listening == up:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"port {port} still {'closed' if up else 'open'} after {WAIT} s")
        time.sleep(0.05)


class PrivatePostgres:
    """A throwaway PostgreSQL 15 cluster with trust authentication on 127.0.0.1.

    Made with Debian's ``pg_createcluster`` where it exists (the test runs as root), else with
    ``initdb`` and ``pg_ctl`` run as the ``postgres`` user in a temporary directory.
    """

    def __init__(self, workdir: Path) -> None:
        """Choose the port and the URL; ``create`` makes the cluster."""
        self.port = free_port()
        self.name = f"loomfault_{uuid.uuid4().hex[:8]}"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self.debian = shutil.which("pg_createcluster") is not None
        self.workdir = workdir
        self.datadir = workdir / "pgdata"
        self.log = workdir / "postgres.log"
        self.created = False

    def create(self) -> None:
        """Create the cluster and start it."""
        if self.debian:
            # initdb options after "--": trust on the loopback, and no fsync of the new files
            _run(
                "pg_createcluster", PG_VERSION, self.name, "-p", str(self.port), "--",
                "--auth-host=trust", "--auth-local=trust", "--no-sync",
            )  # fmt: skip
        else:
            self.workdir.chmod(0o777)  # the postgres user writes its data and log here
            self._as_postgres(
                str(PG_BIN / "initdb"), "-D", str(self.datadir), "-A", "trust", "--no-sync"
            )
        self.created = True
        self.start()

    def _as_postgres(self, *command: str) -> None:
        """Run a PostgreSQL program as the ``postgres`` user (initdb refuses root)."""
        _run("su", "postgres", "-c", " ".join(command))

    def start(self) -> None:
        """Start the cluster and wait until it accepts connections."""
        if self.debian:
            _run("pg_ctlcluster", PG_VERSION, self.name, "start")
        else:
            options = f"'-p {self.port} -c listen_addresses=127.0.0.1'"
            self._as_postgres(
                str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.log),
                "-o", options, "-w", "start",
            )  # fmt: skip
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        """Stop the cluster the way an administrator's restart does: ``-m fast``.

        Fast shutdown rolls back open transactions and closes every connection.
        """
        if self.debian:
            _run("pg_ctlcluster", PG_VERSION, self.name, "stop", "-m", "fast")
        else:
            self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "stop")
        _wait_for_port(self.port, up=False)

    def drop(self) -> None:
        """Stop the cluster and delete it with its data."""
        if not self.created:
            return
        if self.debian:
            _run("pg_dropcluster", "--stop", PG_VERSION, self.name)
        else:
            self._as_postgres(
                str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "stop"
            )

    def __enter__(self) -> Self:
        """Return the cluster (``create`` starts it)."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Drop the cluster, whatever the test did to it."""
        self.drop()


class PrivateMosquitto:
    """A Mosquitto broker on a free port that keeps its sessions on disk across restarts."""

    def __init__(self, workdir: Path) -> None:
        """Write the configuration and start the broker."""
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        store = workdir / "mosquitto-store"
        store.mkdir()
        self.config = workdir / "mosquitto.conf"
        # persistence: sessions, their subscriptions and queued QoS 1 messages are written to
        # the store when the broker stops (SIGTERM) and read back when it starts
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            # started as root, Mosquitto would become user "mosquitto", who cannot write into
            # the test's private temporary directory (started as anyone else, this is ignored)
            "user root\n"
            "persistence true\n"
            f"persistence_location {store}/\n"
            "max_queued_messages 10000\n"
        )
        self.log = workdir / "mosquitto.log"
        self.process: ChildProcess | None = None
        self.start()

    def start(self) -> None:
        """Start the broker with the same configuration and wait for its listener."""
        self.process = ChildProcess(["mosquitto", "-c", str(self.config)], {}, self.log)
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        """SIGTERM the broker, which writes its sessions to the store, and wait for its exit."""
        if self.process is not None:
            self.process.stop()
            self.process = None
        _wait_for_port(self.port, up=False)

    def __enter__(self) -> Self:
        """Return the running broker."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the broker."""
        self.stop()
