"""Request auth: GET /api/v1/me by bearer token and by session cookie against GET /health."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from bench.core import Case, Config, Report, backends, run_rounds, summarise
from loom.app import create_app
from loom.kernel.tenancy.models import Role
from loom.settings import Settings
from loom.testing.factory import Factory

NAME = "request_auth"
HEALTH = "/api/v1/health"
ME = "/api/v1/me"


def getter(client: TestClient, path: str) -> Callable[[int], int]:
    """Return a workload that sends ``n`` GETs and insists on 200, so no error is timed."""

    def run(n: int) -> int:
        for _ in range(n):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}: {response.text}")
        return n

    return run


def run(config: Config, report: Report) -> None:
    """Time the three request kinds in-process through starlette's TestClient."""
    requests = config.pick(800, 150)
    rounds = config.pick(5, 3)
    for backend, database in backends():
        with database() as url, tempfile.TemporaryDirectory(prefix="loom-bench-") as data_dir:
            settings = Settings(
                env="production",
                database_url=url,
                data_dir=Path(data_dir),
                secret_key=secrets.token_urlsafe(48),
            )
            app = create_app(settings, [])
            clients: list[TestClient] = []
            try:
                factory = Factory(app)
                org = factory.org("bench-auth")
                factory.user("bench", (org, Role.MEMBER))
                token = factory.token(org, ["kernel.profile.view"])
                # Every client first picks up the CSRF cookie, so no timed response sets one.
                anonymous = TestClient(app)
                anonymous.get(HEALTH)
                bearer = factory.token_client(token)
                bearer.get(HEALTH)
                cookie = factory.client("bench")  # logs in once through the form (argon2)
                clients += [anonymous, bearer, cookie]
                cases = [
                    Case(f"GET {HEALTH}, no auth (baseline)", requests, getter(anonymous, HEALTH)),
                    Case(f"GET {ME}, bearer token", requests, getter(bearer, ME)),
                    Case(f"GET {ME}, session cookie", requests, getter(cookie, ME)),
                ]
                samples = run_rounds(cases, rounds, warmup_ops=min(requests, 50))
                report.rows += summarise(
                    NAME, backend, cases, samples, unit="requests", baseline=cases[0].name
                )
            finally:
                for client in clients:
                    client.close()
                app.state.loom.engine.dispose()
