"""Request auth: GET /api/v1/me by bearer token and by session cookie against GET /health."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
from sqlalchemy import select

from bench.core import Case, Config, Report, backends
from bench.core import measure as measure_cases
from bench.machine import REPO
from loom.app import create_app
from loom.kernel.authz.guard import CSRF_COOKIE
from loom.kernel.authz.principal import SESSION_COOKIE, session_serializer
from loom.kernel.db.session import session_scope
from loom.kernel.identity.models import ApiToken
from loom.kernel.identity.secrets import split_token, token_matches
from loom.kernel.tenancy.models import Role
from loom.settings import Settings
from loom.testing.factory import TEST_PASSWORD, Factory

NAME = "request_auth"
HEALTH = "/api/v1/health"
ME = "/api/v1/me"
STARTUP_SECONDS = 30.0


def free_port() -> int:
    """Return a loopback port that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A uvicorn process serving the kernel on a loopback port."""

    process: subprocess.Popen[bytes]
    base_url: str

    def wait_until_up(self) -> None:
        """Block until the server answers its health check."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"uvicorn exited with status {self.process.returncode}")
            try:
                if httpx2.get(self.base_url + HEALTH, timeout=1.0).status_code == 200:
                    return
            except httpx2.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"uvicorn did not answer {HEALTH} within {STARTUP_SECONDS:.0f} s")


@contextmanager
def uvicorn_server(settings: Settings, factory: str = "bench.server:app") -> Iterator[Server]:
    """Start ``factory`` (the kernel alone by default) under uvicorn on a loopback port."""
    # Handing uvicorn a pre-bound socket (--fd) would close the small port race, but every
    # request then took ~47 ms instead of ~4 ms here, which would swamp the figures.
    port = free_port()
    env = {
        **os.environ,
        "LOOM_ENV": settings.env,
        "LOOM_DATABASE_URL": settings.database_url,
        "LOOM_DATA_DIR": str(settings.data_dir),
        "LOOM_SECRET_KEY": settings.secret_key,
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",  # a log line per request would be timed as well
    ]
    process = subprocess.Popen(command, cwd=REPO, env=env)  # noqa: S603 - fixed arguments
    try:
        yield Server(process, f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def getter(client: httpx2.Client, path: str) -> Callable[[int], int]:
    """Return a workload that sends ``n`` GETs and insists on 200, so no error is timed."""

    def run(n: int) -> int:
        for _ in range(n):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text}")
        return n

    return run


def login(client: httpx2.Client, username: str) -> None:
    """Log in through the real form (argon2 runs once, here, not in the timed requests)."""
    client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": TEST_PASSWORD,
            "csrf_token": client.cookies[CSRF_COOKIE],
            "next": "/",
        },
    )
    if response.status_code != 303 or SESSION_COOKIE not in client.cookies:
        raise RuntimeError(f"login as {username} failed: {response.status_code}")


def token_check(plain: str, stored: str) -> Callable[[int], int]:
    """Return a workload that checks a bearer token's secret against its stored hash."""
    parts = split_token(plain)
    assert parts is not None
    secret = parts[1]

    def run(n: int) -> int:
        for _ in range(n):
            if not token_matches(secret, stored):
                raise RuntimeError("token hash mismatch")
        return n

    return run


def cookie_check(settings: Settings, value: str) -> Callable[[int], int]:
    """Return a workload that verifies a session cookie's signature and age."""
    signer = session_serializer(settings.secret_key)

    def run(n: int) -> int:
        for _ in range(n):
            signer.loads(value, max_age=settings.session_max_age_seconds)
        return n

    return run


def measure(
    config: Config, report: Report, backend: str, url: str, data_dir: Path, *, with_crypto: bool
) -> None:
    """Create a member and a token, start uvicorn, and time the three request kinds."""
    settings = Settings(
        env="production",
        database_url=url,
        data_dir=data_dir,
        secret_key=secrets.token_urlsafe(48),
    )
    with uvicorn_server(settings) as server, ExitStack() as stack:
        # The database is migrated already; create the data while the server process starts.
        setup_app = create_app(settings, [])
        try:
            factory = Factory(setup_app)
            org = factory.org("bench-auth")
            factory.user("bench", (org, Role.MEMBER))
            token = factory.token(org, ["kernel.profile.view"])
            with session_scope(setup_app.state.loom.session_factory) as session:
                stored_hash = session.scalars(select(ApiToken.secret_hash)).one()
        finally:
            setup_app.state.loom.engine.dispose()
        server.wait_until_up()
        base_url = server.base_url
        anonymous = stack.enter_context(httpx2.Client(base_url=base_url))
        bearer = stack.enter_context(
            httpx2.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
        )
        cookie = stack.enter_context(httpx2.Client(base_url=base_url))
        login(cookie, "bench")
        # Each client keeps the CSRF cookie from its first answer, so no timed response
        # has to mint and set a new one.
        anonymous.get(HEALTH)
        bearer.get(HEALTH)
        cases = [
            Case(f"GET {HEALTH}, no auth (baseline)", getter(anonymous, HEALTH)),
            Case(f"GET {ME}, bearer token", getter(bearer, ME)),
            Case(f"GET {ME}, session cookie", getter(cookie, ME)),
        ]
        if with_crypto:
            # The credential checks alone, to see how much of the difference is cryptography.
            cases += [
                Case(
                    "no server: token hash compare", token_check(token, stored_hash), unit="checks"
                ),
                Case(
                    "no server: session cookie signature check",
                    cookie_check(settings, cookie.cookies[SESSION_COOKIE]),
                    unit="checks",
                ),
            ]
        report.rows += measure_cases(NAME, backend, cases, config, unit="requests")


def run(config: Config, report: Report) -> None:
    """Time the three request kinds against a real server on each configured backend."""
    for index, (backend, database) in enumerate(backends()):
        with database() as url, tempfile.TemporaryDirectory(prefix="loom-bench-") as data_dir:
            # The credential checks do not touch the database: time them on one backend only.
            measure(config, report, backend, url, Path(data_dir), with_crypto=index == 0)
