"""The demo's live shop floor: each factory's next simulated scans, posted as they happen.

A thread plays every demo factory's floor on from where its history stopped (the simulation of
``loom simulate shopfloor``) and posts the scans to the server's events API with a device token,
so they go through the same route, checks and counters as a real scanner's. Each scan is stamped
with the wall clock when it is sent, at a steady rate per factory: the line dashboards move
whatever the hour, and no scan is ever dated ahead of the server's clock.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from loom.kernel.authz.registry import PermissionRegistry
from loom.kernel.bootstrap import org_scope
from loom.kernel.db.base import utcnow
from loom.kernel.db.session import session_scope
from loom.kernel.identity.service import create_token
from loom.modules.shopfloor.engine import tickets
from loom.modules.shopfloor.engine.events import event_dict
from loom.modules.shopfloor.engine.simulation import Scan, SimConfig, simulate
from loom.modules.shopfloor.service.simulator import HttpSender, Tally, load_factory

#: seconds between two sends, and how long the feed waits for the server to answer at start
PERIOD = 1.0
STARTUP_SECONDS = 60.0
TOKEN_DAYS = 7


@dataclass
class LiveFloor:
    """One factory's live stream: its organisation, scans to come and where they are sent."""

    slug: str
    org_id: int
    key: bytes
    scans: Iterator[Scan]
    sender: HttpSender
    tally: Tally
    credit: float = 0.0
    done: bool = False


def wait_for(url: str, stop: threading.Event, seconds: float = STARTUP_SECONDS) -> bool:
    """Return True once ``url``'s health check answers 200, False if stopped or out of time."""
    host, _sep, port = url.removeprefix("http://").partition(":")
    deadline = time.monotonic() + seconds
    while not stop.is_set() and time.monotonic() < deadline:
        connection = http.client.HTTPConnection(host, int(port or 80), timeout=1)
        try:
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return True
        except OSError:
            pass
        finally:
            connection.close()
        stop.wait(0.2)
    return False


class LiveFeed(threading.Thread):
    """Posts each factory's next scans at ``rate`` per second until ``stop`` is set."""

    def __init__(
        self,
        url: str,
        session_factory: sessionmaker[Session],
        registry: PermissionRegistry,
        secret_key: str,
        slugs: list[str],
        *,
        rate: float,
        stop: threading.Event,
        say: Callable[[str], None],
    ) -> None:
        """Prepare the feed (nothing is read or sent before ``start``)."""
        super().__init__(name="loom-demo-live-feed", daemon=True)
        self.url = url
        self.session_factory = session_factory
        self.registry = registry
        self.secret_key = secret_key
        self.slugs = slugs
        self.rate = rate
        self.stop = stop
        self.say = say
        self.sent = 0

    def _floors(self) -> list[LiveFloor]:
        """Load every factory's floor as it stands and issue its device token."""
        floors = []
        with session_scope(self.session_factory) as session:
            for n, slug in enumerate(self.slugs):
                scope = org_scope(session, slug, "demo-live-feed")
                factory = load_factory(session, scope)
                _row, issued = create_token(
                    session,
                    scope,
                    self.registry,
                    name="demo live feed",
                    permissions=["shopfloor.event.write"],
                    days=TOKEN_DAYS,
                    kind="device",
                )
                played = simulate(factory, utcnow(), random.Random(n), SimConfig())
                key = tickets.ticket_key(self.secret_key, scope.org_id)
                sender = HttpSender(self.url, issued.plain)
                floors.append(LiveFloor(slug, scope.org_id, key, played, sender, Tally()))
        return floors

    def run(self) -> None:
        """Wait for the server, then send until stopped or every floor has sewn its bundles."""
        if not wait_for(self.url, self.stop):
            return
        floors = self._floors()
        last = time.monotonic()
        try:
            while not self.stop.wait(PERIOD) and not all(f.done for f in floors):
                now = time.monotonic()
                for floor in floors:
                    floor.credit += self.rate * (now - last)
                    self._send(floor)
                last = now
        finally:
            for floor in floors:
                floor.sender.close()

    def _send(self, floor: LiveFloor) -> None:
        """Send the scans the floor's credit allows, stamped now."""
        count = int(floor.credit)
        if floor.done or count == 0:
            return
        floor.credit -= count
        stamp = utcnow()
        batch = [
            event_dict(
                floor.key,
                floor.org_id,
                bundle=scan.bundle,
                operation=scan.operation,
                operator=scan.operator,
                ts=stamp,
                qty=scan.qty,
                kind=scan.kind,
                device=scan.device,
            )
            for scan in _take(floor.scans, count)
        ]
        if len(batch) < count:
            floor.done = True
            self.say(f"live feed: {floor.slug} has sewn every cut bundle")
        if not batch:
            return
        try:
            floor.sender.send(batch, floor.tally)
        except (RuntimeError, OSError) as exc:
            floor.done = True
            self.say(f"live feed: {floor.slug} stopped: {exc}")
            return
        self.sent += len(batch)


def _take(scans: Iterator[Scan], count: int) -> list[Scan]:
    taken = []
    for scan in scans:
        taken.append(scan)
        if len(taken) == count:
            break
    return taken
