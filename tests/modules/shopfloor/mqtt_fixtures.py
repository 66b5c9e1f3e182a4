"""A small seeded garment factory written through the ORM, for the MQTT and simulator tests.

One style (a shirt) whose routing forks and joins: 合肩 first, then 上领 and 上袖 in either order,
then 钉扣 (the final operation). Two sewing lines of three operators each, one order per line,
cut into 20-piece bundles numbered from 1.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from loom.kernel.messaging.mqtt import connect, user_properties
from loom.modules.masterdata.models import (
    Operation,
    Operator,
    OperatorSkill,
    PieceRate,
    ProductionLine,
    RoutingStep,
    Style,
)
from loom.modules.shopfloor.engine import keys, tickets
from loom.modules.shopfloor.engine.mqtt_topics import shared_subscription
from loom.modules.shopfloor.models import Bundle, Lay, OpCount, ProductionOrder, ScanEvent
from loom.modules.shopfloor.service.mqtt_ingest import IngestWorker
from loom.testing.factory import Factory, OrgRef

WRITE = ["shopfloor.event.write"]
#: generous bound of every wait on the broker (a bound, not a timing assertion)
WAIT = 20.0
#: (code, name, SAM minutes, machine type, skill grade)
OPERATIONS = (
    ("OP10", "合肩", "0.50", "overlock", 2),
    ("OP20", "上领", "1.25", "lockstitch", 3),
    ("OP30", "上袖", "0.90", "lockstitch", 2),
    ("OP40", "钉扣", "0.40", "button", 1),
)


@dataclass(frozen=True)
class Seeded:
    """Ids and codes of the seeded factory."""

    org_id: int
    style_id: int
    operation_ids: tuple[int, ...]  # in OPERATIONS order
    predecessors: dict[int, tuple[int, ...]]
    line_ids: tuple[int, ...]
    operator_codes: tuple[str, ...]
    bundle_numbers: tuple[int, ...]
    bundle_qty: int

    @property
    def first_operation(self) -> int:
        """Return the routing's first operation (it has no predecessor)."""
        return self.operation_ids[0]


def seed_factory(
    factory: sessionmaker[Session], org_id: int, *, bundles_per_order: int = 10, qty: int = 20
) -> Seeded:
    """Write the factory for ``org_id`` and return what tests need of it."""
    with factory() as s:
        style = Style(
            org_id=org_id, code="SH-01", name="男士衬衫", colours=["白"], sizes=["M", "L"]
        )
        s.add(style)
        ops = [
            Operation(
                org_id=org_id,
                code=code,
                name=name,
                sam=Decimal(sam),
                machine_type=machine,
                skill_grade=grade,
            )
            for code, name, sam, machine, grade in OPERATIONS
        ]
        s.add_all(ops)
        s.flush()
        for op in ops:
            s.add(
                PieceRate(
                    org_id=org_id,
                    operation_id=op.id,
                    effective_from=date(2020, 1, 1),
                    rate=op.sam * Decimal("0.30"),
                )
            )
        first, collar, sleeve, button = (op.id for op in ops)
        predecessors = {
            first: (),
            collar: (first,),
            sleeve: (first,),
            button: (collar, sleeve),
        }
        for seq, (op_id, preds) in enumerate(predecessors.items(), start=1):
            s.add(
                RoutingStep(
                    org_id=org_id,
                    style_id=style.id,
                    operation_id=op_id,
                    seq=seq,
                    predecessors=list(preds),
                )
            )
        lines = [ProductionLine(org_id=org_id, code=f"L{n}", name=f"缝制{n}线") for n in (1, 2)]
        s.add_all(lines)
        s.flush()
        codes: list[str] = []
        for n, line in enumerate(lines):
            for k in range(3):
                code = f"E{n + 1}{k + 1:02d}"
                codes.append(code)
                operator = Operator(org_id=org_id, code=code, name=code, line_id=line.id)
                s.add(operator)
                s.flush()
                for machine, grade in (("overlock", 3), ("lockstitch", 4), ("button", 2)):
                    s.add(
                        OperatorSkill(
                            org_id=org_id,
                            operator_id=operator.id,
                            machine_type=machine,
                            grade=grade,
                            efficiency=85 + 5 * k,
                        )
                    )
        numbers: list[int] = []
        for n, line in enumerate(lines):
            total = bundles_per_order * qty
            order = ProductionOrder(
                org_id=org_id,
                number=f"PO-{n + 1}",
                style_id=style.id,
                line_id=line.id,
                due_date=date(2026, 12, 31),
                quantities={"白": {"M": total}},
                total_qty=total,
            )
            s.add(order)
            s.flush()
            lay = Lay(
                org_id=org_id,
                order_id=order.id,
                lay_no=1,
                colour="白",
                plies=total,
                ratios={"M": 1},
            )
            s.add(lay)
            s.flush()
            for _ in range(bundles_per_order):
                number = len(numbers) + 1
                numbers.append(number)
                s.add(
                    Bundle(
                        org_id=org_id,
                        number=number,
                        order_id=order.id,
                        lay_id=lay.id,
                        colour="白",
                        size="M",
                        qty=qty,
                    )
                )
        s.commit()
        return Seeded(
            org_id=org_id,
            style_id=style.id,
            operation_ids=tuple(op.id for op in ops),
            predecessors=predecessors,
            line_ids=tuple(line.id for line in lines),
            operator_codes=tuple(codes),
            bundle_numbers=tuple(numbers),
            bundle_qty=qty,
        )


def unique_slug(name: str) -> str:
    """Return a slug no other test uses (the broker keeps sessions between tests)."""
    return f"{name}-{uuid.uuid4().hex[:8]}"


def publish(url: str, topic: str, payloads: list[bytes], token: str | None) -> None:
    """Publish each payload at QoS 1 and wait until the broker has it."""
    client = connect(url)
    try:
        props = user_properties({"authorization": f"Bearer {token}"}) if token else None
        infos = [client.publish(topic, p, qos=1, properties=props) for p in payloads]
        for info in infos:
            info.wait_for_publish(WAIT)
    finally:
        client.disconnect()
        client.loop_stop()


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until true; fail (not a timing assertion: the bound is generous)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def forget_session(url: str, client_id: str) -> None:
    """Remove a persistent session from the broker (clean start, no expiry)."""
    client = connect(url, client_id=client_id, clean_start=True)
    client.disconnect()
    client.loop_stop()


def subscribe_offline(url: str, client_id: str, group: str) -> None:
    """Create a worker's persistent session and subscription at the broker, then leave."""
    subscribed = threading.Event()

    def on_connected(client: Any, _present: bool) -> None:
        """Subscribe as a worker does."""
        client.on_subscribe = lambda *_args: subscribed.set()
        client.subscribe(shared_subscription(group), qos=1)

    client = connect(
        url, client_id=client_id, clean_start=False, session_expiry=600, on_connected=on_connected
    )
    try:
        assert subscribed.wait(WAIT)
    finally:
        client.disconnect()
        client.loop_stop()


class Workers:
    """Starts workers on one share group for a test and removes their sessions afterwards."""

    def __init__(self, factory: Factory, url: str) -> None:
        """Remember the factory and broker."""
        self.factory = factory
        self.url = url
        self.group = unique_slug("g")
        self.started: list[IngestWorker] = []

    def start(
        self, client_id: str = "", session_factory: sessionmaker[Session] | None = None
    ) -> IngestWorker:
        """Start a worker and wait until it is subscribed."""
        runtime = self.factory.runtime
        worker = IngestWorker(
            url=self.url,
            session_factory=session_factory or runtime.session_factory,
            registry=runtime.registry,
            secret_key=runtime.settings.secret_key,
            client_id=client_id or unique_slug("w"),
            group=self.group,
            backoff=0.05,
            app=runtime.apps.get("shopfloor"),
        )
        worker.start()
        assert worker.subscribed.wait(WAIT)
        self.started.append(worker)
        return worker

    def close(self) -> None:
        """Stop every worker and forget its session."""
        for worker in self.started:
            worker.stop()
        for client_id in {w.client_id for w in self.started}:
            forget_session(self.url, client_id)


def signed_events(seeded: Seeded, key: bytes, bundles: range, operation: int = 0) -> list[Any]:
    """Return signed done events of ``operation`` (default the first) for ``bundles``."""
    op = operation or seeded.first_operation
    ts = datetime.now(UTC) - timedelta(hours=1)
    return [
        {
            "id": str(keys.uuid7(ts + timedelta(seconds=n))),
            "ts": (ts + timedelta(seconds=n)).isoformat(),
            "device": "scanner-1",
            "operator": seeded.operator_codes[0],
            "bundle": n,
            "operation": op,
            "qty": seeded.bundle_qty,
            "kind": "done",
            "sig": tickets.sign(key, seeded.org_id, n, op),
        }
        for n in bundles
    ]


class Floor:
    """A seeded organisation with a device token, and helpers to publish and count."""

    def __init__(self, factory: Factory, name: str) -> None:
        """Set up."""
        self.factory = factory
        self.org: OrgRef = factory.org(unique_slug(name))
        self.seeded = seed_factory(factory.runtime.session_factory, self.org.id)
        self.token = factory.token(self.org, WRITE, kind="device")
        self.key = tickets.ticket_key(factory.runtime.settings.secret_key, self.org.id)

    def events(self, bundles: range) -> list[Any]:
        """Return signed "done" events of the first operation for ``bundles``."""
        return signed_events(self.seeded, self.key, bundles)

    def count(self, model: Any = ScanEvent) -> int:
        """Return how many rows of ``model`` the organisation has."""
        with self.factory.runtime.session_factory() as s:
            return s.scalar(select(func.count()).where(model.org_id == self.org.id)) or 0

    def done_pieces(self) -> int:
        """Return the pieces the counters show as done."""
        with self.factory.runtime.session_factory() as s:
            stmt = select(func.coalesce(func.sum(OpCount.done_qty), 0))
            return s.scalar(stmt.where(OpCount.org_id == self.org.id)) or 0
