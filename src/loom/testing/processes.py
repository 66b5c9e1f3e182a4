"""Loom in real processes, for crash tests: start uvicorn or an MQTT ingest worker, SIGKILL it.

The in-process TestClient cannot lose a process; these helpers run the application the way it
runs in production (uvicorn or ``loom ingest mqtt``, their own connections) so a test can kill it
mid-request or mid-stream and start a new one on the same database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess  # runs the test server with a fixed argv  # nosec B404
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx2
from fastapi import FastAPI

from loom.app import create_app
from loom.kernel.plugins.loader import discover
from loom.settings import Settings

#: the ``--factory`` target of a server with every installed app
ALL_APPS = "loom.testing.processes:all_apps"
HEALTH = "/api/v1/health"
#: importing every app and building the application takes a few seconds alone, but over a minute
#: when three servers start at once on two loaded cores (the server-kill fault test failed so);
#: a ceiling only: a server that is up ends the wait at once
STARTUP_SECONDS = 180.0


def all_apps() -> FastAPI:
    """Build the application from the LOOM_* environment with every installed app."""
    return create_app(Settings(), discover())


_handed_out: set[int] = set()


def free_port() -> int:
    """Return a loopback port that is free right now and not returned before in this process."""
    # servers started back to back must not be handed the same port: the second would fail
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def settings_env(settings: Settings) -> dict[str, str]:
    """Return the LOOM_* variables that make a child process use ``settings``."""
    return {
        "LOOM_ENV": settings.env,
        "LOOM_DATABASE_URL": settings.database_url,
        "LOOM_DATA_DIR": str(settings.data_dir),
        "LOOM_SECRET_KEY": settings.secret_key,
        "LOOM_MQTT_URL": settings.mqtt_url,
    }


class ChildProcess:
    """A Loom child process whose output goes to a log file; a context manager that stops it."""

    def __init__(self, command: list[str], env: Mapping[str, str], log: Path) -> None:
        """Start ``command``; its output is appended to ``log`` (restarts may share one file)."""
        self.log = log
        with log.open("ab") as out:
            # the child keeps its own copy of the descriptor; ours can close at once
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments  # nosec B603
                command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
            )

    def __enter__(self) -> Self:
        """Return the process (already started)."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the process if it still runs."""
        self.stop()

    @property
    def alive(self) -> bool:
        """Say whether the process is still running."""
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the process, as a power cut or the OOM killer would, and reap it."""
        if self.alive:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Ask the process to stop; kill it when it does not within ten seconds."""
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process.wait(timeout=30)

    def log_tail(self, lines: int = 40) -> str:
        """Return the last lines the processes writing this log wrote, for failure messages."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


class ServerProcess(ChildProcess):
    """One uvicorn process serving Loom on a fresh loopback port; a context manager."""

    def __init__(
        self,
        settings: Settings,
        log: Path,
        *,
        factory: str = ALL_APPS,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Start the process; its output is appended to ``log`` (restarts share one file)."""
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        super().__init__(command, {**settings_env(settings), **(env or {})}, log)

    def wait_until_up(self, timeout: float = STARTUP_SECONDS) -> None:
        """Block until the server answers its health check, or fail with its log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(
                    f"uvicorn exited with status {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if httpx2.get(self.base_url + HEALTH, timeout=1.0).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(
            f"uvicorn did not answer {HEALTH} in {timeout:.0f} s:\n{self.log_tail()}"
        )


class IngestWorkerProcess(ChildProcess):
    """``loom ingest mqtt`` with one worker and a stable client id, on the given database.

    A restart with the same ``client_id`` (and ``group``) resumes the broker session the killed
    worker left, with everything it had not acknowledged.
    """

    def __init__(
        self,
        settings: Settings,
        log: Path,
        *,
        client_id: str,
        group: str,
        session_expiry: int = 600,
        database_url: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Start the worker; ``database_url`` overrides the one of ``settings``."""
        self.client_id = client_id
        command = [
            sys.executable,
            "-c",
            "from loom.cli import main; main()",
            "ingest",
            "mqtt",
            "--client-id",
            client_id,
            "--group",
            group,
            "--session-expiry",
            str(session_expiry),
        ]
        child_env = settings_env(settings)
        if database_url is not None:
            child_env["LOOM_DATABASE_URL"] = database_url
        super().__init__(command, {**child_env, **(env or {})}, log)

    def wait_for_output(self, text: str, timeout: float = STARTUP_SECONDS) -> None:
        """Block until ``text`` appears in the log, or fail with the log's tail."""
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text(errors="replace"):
            if not self.alive or time.monotonic() > deadline:
                state = "exited" if not self.alive else "is still silent"
                raise RuntimeError(f"the worker {state} before {text!r}:\n{self.log_tail()}")
            time.sleep(0.05)
