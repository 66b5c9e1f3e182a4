"""Locustfile of the load scenario: demo users log in and browse their dashboards.

Run by ``bench.load`` as ``locust -f bench/load_users.py --headless …``; it reads its plan from
the JSON file named by ``LOOM_LOAD_PLAN`` (password, logins present in the seed, where to write
the samples). Every request is kept as (page, milliseconds, ok) and written out when the run
stops, so that the percentiles are computed exactly rather than from locust's rounded buckets.
"""

from __future__ import annotations

import itertools
import json
import os
import time
from pathlib import Path
from time import monotonic
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import HttpUser, between, events, task
from locust.env import Environment

from bench.load_pages import ROLES, Role, every_page

CSRF_COOKIE = "loom_csrf"  # loom.kernel.authz.guard.CSRF_COOKIE (not imported: no app here)
PLAN: dict[str, Any] = json.loads(Path(os.environ["LOOM_LOAD_PLAN"]).read_text())
SAMPLES: list[tuple[str, float, bool, str, float]] = []


def _keep(name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
    """Keep every request's page, time, outcome and, when it failed, why (status or error)."""
    reason = "" if exception is None else str(exception)[:80]
    # the wall clock at the answer: the orchestrator groups the views by when they happened
    SAMPLES.append((name, response_time, exception is None, reason, time.time()))


def _write(**_: Any) -> None:
    """Write the samples for the orchestrator once locust stops."""
    Path(PLAN["samples"]).write_text(json.dumps(SAMPLES))


def _watch(environment: Environment, **_: Any) -> None:
    """With ``until_every_page``, run on past ``seconds`` until every page has answered."""
    if PLAN.get("until_every_page"):
        gevent.spawn(_stop_when_covered, environment)


def _stop_when_covered(environment: Environment) -> None:
    # The smoke run checks that every page works, not how fast: on a machine busy with other
    # work the logins alone can take most of a fixed run, so it stops on coverage instead
    # (locust's --run-time stays the upper bound).
    wanted = set(every_page())
    started = monotonic()
    while True:
        gevent.sleep(0.5)
        if monotonic() - started >= PLAN["seconds"] and wanted <= {s[0] for s in SAMPLES}:
            assert environment.runner is not None
            environment.runner.quit()
            return


events.request.add_listener(_keep)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_write)  # type: ignore[no-untyped-call]
events.test_start.add_listener(_watch)  # type: ignore[no-untyped-call]


class RoleUser(HttpUser):
    """A logged-in demo user who opens its role's pages in turn, 1-5 s apart."""

    abstract = True
    wait_time = between(1, 5)
    role: Role
    # per role, so that the users of one role start on different pages
    starts: itertools.count[int]

    def on_start(self) -> None:
        """Log in through the real form (the password is checked with argon2 each time)."""
        logins = [name for name in self.role.usernames if name in PLAN["logins"]]
        offset = next(self.starts)
        self.username = logins[offset % len(logins)]
        self.pages = itertools.cycle(
            self.role.pages[offset % len(self.role.pages) :]
            + self.role.pages[: offset % len(self.role.pages)]
        )
        self.client.get("/login", name="GET /login")
        token = self.client.cookies.get(CSRF_COOKIE)
        with self.client.post(
            "/login",
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrf_token": token,
                "next": "/",
            },
            name="POST /login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 303:
                response.failure(f"login as {self.username}: {response.status_code}")

    @task
    def browse(self) -> None:
        """Open the next page; anything but 200 (a redirect to the login too) is an error."""
        page = next(self.pages)
        with self.client.get(
            page, name=page, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{self.username}: {response.status_code}")


for _role in ROLES:
    _name = "".join(part.title() for part in _role.name.split()) + "User"
    globals()[_name] = type(
        _name, (RoleUser,), {"role": _role, "weight": _role.weight, "starts": itertools.count()}
    )
