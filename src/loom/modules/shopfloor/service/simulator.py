"""``loom simulate shopfloor``: load a factory, run the simulated floor, send its scans.

The factory (orders with bundles cut, routings, operators on lines) is read from the database;
``engine.simulation`` turns it into scans in simulated time; this module signs them as the
bundle tickets' coupons are signed and sends them in batches over HTTP (a device token as
Bearer) or MQTT (QoS 1, the token in the ``authorization`` user property), paced to a rate.
"""

from __future__ import annotations

import http.client
import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.db.base import utcnow
from loom.kernel.messaging.mqtt import connect, user_properties
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import (
    LinePlan,
    Operation,
    Operator,
    OperatorSkill,
    RoutingStep,
    Workstation,
)
from loom.modules.shopfloor.engine import keys, tickets
from loom.modules.shopfloor.engine.mqtt_topics import events_topic
from loom.modules.shopfloor.engine.simulation import (
    Scan,
    SimBundle,
    SimFactory,
    SimOperation,
    SimOperator,
    SimOrder,
    WorkCalendar,
    events_per_day,
)
from loom.modules.shopfloor.models import Bundle, ProductionOrder, ScanEvent

EVENTS_PATH = "/api/v1/shopfloor/events"
#: the ingest refuses timestamps more than a day ahead of its clock; stay clear of that
MAX_AHEAD = timedelta(hours=20)


def load_factory(session: Session, scope: Scope) -> SimFactory:
    """Read the organisation's open orders, routings, operators and what is already done."""
    org = scope.org_id
    ops = {
        op.id: SimOperation(op.id, float(op.sam), op.machine_type, op.skill_grade)
        for op in session.scalars(select(Operation).where(Operation.org_id == org))
    }
    routings: dict[int, dict[int, tuple[int, ...]]] = {}
    for step in session.scalars(
        select(RoutingStep).where(RoutingStep.org_id == org).order_by(RoutingStep.seq)
    ):
        routings.setdefault(step.style_id, {})[step.operation_id] = tuple(step.predecessors)
    bundles: dict[int, list[SimBundle]] = {}
    for number, order_id, qty in session.execute(
        select(Bundle.number, Bundle.order_id, Bundle.qty)
        .where(Bundle.org_id == org)
        .order_by(Bundle.number)
    ):
        bundles.setdefault(order_id, []).append(SimBundle(number, qty))
    orders = tuple(
        SimOrder(o.id, o.style_id, o.line_id, tuple(bundles[o.id]))
        for o in session.scalars(
            select(ProductionOrder)
            .where(
                ProductionOrder.org_id == org, ProductionOrder.status.not_in(("done", "cancelled"))
            )
            .order_by(ProductionOrder.due_date, ProductionOrder.id)
        )
        if o.id in bundles and o.style_id in routings
    )
    skills: dict[int, dict[str, tuple[int, int]]] = {}
    for skill in session.scalars(select(OperatorSkill).where(OperatorSkill.org_id == org)):
        skills.setdefault(skill.operator_id, {})[skill.machine_type] = (
            skill.grade,
            skill.efficiency,
        )
    devices: dict[int | None, list[str]] = {}
    for line_id, code in session.execute(
        select(Workstation.line_id, Workstation.device_code)
        .where(Workstation.org_id == org, Workstation.device_code.is_not(None))
        .order_by(Workstation.line_id, Workstation.seq)
    ):
        devices.setdefault(line_id, []).append(str(code))
    staff: dict[int | None, list[Operator]] = {}
    for operator in session.scalars(
        select(Operator)
        .where(Operator.org_id == org, Operator.active.is_(True))
        .order_by(Operator.code)
    ):
        staff.setdefault(operator.line_id, []).append(operator)
    # the n-th operator of a line works at the line's n-th scanner, if it has that many
    operators = tuple(
        SimOperator(
            o.code,
            line_id,
            (devices.get(line_id) or [])[i]
            if i < len(devices.get(line_id) or [])
            else f"sim-{o.code}",
            skills.get(o.id, {}),
        )
        for line_id, people in staff.items()
        for i, o in enumerate(people)
    )
    return SimFactory(ops, routings, orders, operators, _done(session, org), _plans(session, org))


def _plans(session: Session, org: int) -> dict[tuple[int | None, int], dict[int, tuple[str, ...]]]:
    """Return each line's current published plan as {operation: badge codes}, by line and style."""
    badges = dict(
        session.execute(select(Operator.id, Operator.code).where(Operator.org_id == org)).all()
    )
    plans: dict[tuple[int | None, int], dict[int, tuple[str, ...]]] = {}
    for line_id, style_id, tasks in session.execute(
        select(LinePlan.line_id, LinePlan.style_id, LinePlan.tasks).where(
            LinePlan.org_id == org, LinePlan.current.is_(True)
        )
    ):
        crew: dict[int, list[str]] = {}
        for task in tasks:
            badge = badges.get(task["operator_id"])
            if badge is not None:
                crew.setdefault(task["operation_id"], []).append(badge)
        plans[(line_id, style_id)] = {op: tuple(codes) for op, codes in crew.items()}
    return plans


def _done(session: Session, org: int) -> frozenset[tuple[int, int]]:
    """Return the (bundle number, operation) pairs already done and applied."""
    return frozenset(
        (bundle_no, op_id)
        for bundle_no, op_id in session.execute(
            select(ScanEvent.bundle_no, ScanEvent.operation_id).where(
                ScanEvent.org_id == org, ScanEvent.kind == "done", ScanEvent.status == "applied"
            )
        )
    )


def latest_scan(session: Session, scope: Scope) -> datetime | None:
    """Return the time of the organisation's latest stored scan, if any."""
    return session.scalar(
        select(ScanEvent.ts)
        .where(ScanEvent.org_id == scope.org_id)
        .order_by(ScanEvent.ts.desc())
        .limit(1)
    )


def start_time(
    factory: SimFactory, events: int, now: datetime, after: datetime | None, tz: str
) -> datetime:
    """Place the simulated run so that its ``events`` scans end about now (never in the future)."""
    per_day = events_per_day(factory) or 1.0
    # working days hold 480 of 1,440 minutes, and weekends do not stop a garment floor
    days = math.ceil(events / per_day) + 1
    local = (now - timedelta(days=days)).astimezone(WorkCalendar(tz).tz).date()
    start = datetime.combine(local, datetime.min.time(), WorkCalendar(tz).tz)
    return max(start, after) if after is not None else start


def payloads(
    scans: Iterable[Scan], secret_key: str, org_id: int, seed: int
) -> Iterator[dict[str, object]]:
    """Turn scans into signed events with UUIDv7 ids (random bits from ``seed``)."""
    key = tickets.ticket_key(secret_key, org_id)
    rng = random.Random(seed)
    for scan in scans:
        yield {
            "id": str(keys.uuid7(scan.ts, rng.randbytes(10))),
            "ts": scan.ts.isoformat(),
            "device": scan.device,
            "operator": scan.operator,
            "bundle": scan.bundle,
            "operation": scan.operation,
            "qty": scan.qty,
            "kind": scan.kind,
            "sig": tickets.sign(key, org_id, scan.bundle, scan.operation),
        }


@dataclass
class Tally:
    """What was sent and what the server said about it."""

    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    quarantined: int = 0
    rejected: int = 0
    answered: bool = False

    def line(self, seconds: float) -> str:
        """Return a progress line."""
        rate = self.sent / seconds if seconds > 0 else 0.0
        answer = (
            f"accepted {self.accepted}, duplicates {self.duplicates}, quarantined "
            f"{self.quarantined}, rejected {self.rejected}"
            if self.answered
            else "(MQTT: the ingest worker counts acceptance)"
        )
        return f"sent {self.sent} events ({rate:,.0f}/s) {answer}"


class HttpSender:
    """POSTs batches over one kept-alive connection."""

    def __init__(self, base_url: str, token: str, timeout: float = 60.0) -> None:
        """Prepare the connection."""
        parsed = urlparse(base_url)
        conn_type = (
            http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
        )
        self._conn = conn_type(parsed.hostname or "127.0.0.1", parsed.port, timeout=timeout)
        self._path = (parsed.path.rstrip("/") or "") + EVENTS_PATH
        self._headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def send(self, batch: list[dict[str, object]], tally: Tally) -> None:
        """Send one batch and add the server's answer to ``tally``; raise on an error answer."""
        body = orjson.dumps(batch)
        try:
            response = self._post(body)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # the server closed the idle kept-alive connection; resending is safe because a
            # resent event counts as a duplicate
            self._conn.close()
            response = self._post(body)
        body = response.read()
        if response.status >= 300:
            raise RuntimeError(f"server answered {response.status}: {body[:300]!r}")
        answer: dict[str, Any] = orjson.loads(body)
        tally.answered = True
        tally.sent += len(batch)
        tally.accepted += int(answer.get("accepted", 0))
        tally.duplicates += int(answer.get("duplicates", 0))
        tally.quarantined += int(answer.get("quarantined", 0))
        tally.rejected += len(answer.get("rejected", []))

    def _post(self, body: bytes) -> http.client.HTTPResponse:
        """POST one body and return the response."""
        self._conn.request("POST", self._path, body=body, headers=self._headers)
        return self._conn.getresponse()

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class MqttSender:
    """Publishes batches at QoS 1 to the organisation's events topic."""

    def __init__(self, mqtt_url: str, org_slug: str, token: str) -> None:
        """Prepare the connection."""
        self._client = connect(mqtt_url)
        self._topic = events_topic(org_slug)
        self._properties = user_properties({"authorization": f"Bearer {token}"})
        self._pending: list[Any] = []

    def send(self, batch: list[dict[str, object]], tally: Tally) -> None:
        """Publish one batch; keep a bounded window of unconfirmed publications."""
        info = self._client.publish(
            self._topic, orjson.dumps(batch), qos=1, properties=self._properties
        )
        self._pending.append(info)
        tally.sent += len(batch)
        if len(self._pending) >= 50:
            for done in self._pending[:25]:
                done.wait_for_publish(60)
            del self._pending[:25]

    def close(self) -> None:
        """Wait for every publication to be confirmed by the broker, then disconnect."""
        for info in self._pending:
            info.wait_for_publish(60)
        self._client.disconnect()
        self._client.loop_stop()


def pace(
    events: Iterator[dict[str, object]],
    send: Callable[[list[dict[str, object]]], None],
    *,
    rate: float,
    batch: int,
    limit: int | None,
    seconds: float | None,
    stop: threading.Event,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Send ``events`` in batches at about ``rate`` events/s until a limit; return events sent."""
    started = clock()
    sent = 0
    while not stop.is_set():
        size = batch if limit is None else min(batch, limit - sent)
        if size <= 0 or (seconds is not None and clock() - started >= seconds):
            break
        chunk = [e for _, e in zip(range(size), events, strict=False)]
        if not chunk:
            break
        send(chunk)
        sent += len(chunk)
        ahead = sent / rate - (clock() - started)
        if ahead > 0:
            sleep(ahead)
    return sent


def cap_in_time(scans: Iterable[Scan], now: datetime) -> Iterator[Scan]:
    """Stop the stream before it reaches too far beyond the server's clock."""
    limit = now + MAX_AHEAD
    for scan in scans:
        if scan.ts > limit:
            return
        yield scan


def default_now() -> datetime:
    """Return the current time (a seam for tests)."""
    return utcnow()
