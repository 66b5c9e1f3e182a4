"""Ninety days of bundle scans per factory: the simulated floor, sent through the real ingest.

``engine.simulation`` plays each factory's operators over its cut bundles from 90 days ago until
now; its scans are signed like the tickets' coupons and stored by ``ingest_batch``, the service
the HTTP route and the MQTT workers use, so the events, WIP counters, output and piece-rate pay
agree as they do in production. Orders whose garments are all finished are then marked done.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from functools import partial
from itertools import islice, takewhile

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.demo.factories import CUT_AHEAD, PACE, SPARE_DAYS, WORK_MINUTES, Floor, cut_ahead
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.engine.simulation import Scan, SimConfig, SimFactory, simulate
from loom.modules.shopfloor.models import OpCount, ProductionOrder
from loom.modules.shopfloor.service import orders
from loom.modules.shopfloor.service.ingest import MAX_BATCH, ingest_batch
from loom.modules.shopfloor.service.simulator import load_factory, payloads

#: the simulated floor's random seed: the same history every time for the same "now"
SEED = 90
#: days of history simulated at a time (orders are cut before each window)
WINDOW = 5


def history_start(today: date, days: int) -> datetime:
    """Return local midnight ``days`` days before ``today``: when the simulated history begins."""
    return datetime.combine(today - timedelta(days=days), time(0), LOCAL_TZ)


def _before(end: datetime, scan: Scan) -> bool:
    return scan.ts < end


def _batches(items: Iterator[dict[str, object]], size: int) -> Iterator[list[dict[str, object]]]:
    while chunk := list(islice(items, size)):
        yield chunk


def replay_history(
    session: Session,
    scope: Scope,
    floor: Floor,
    staff: int,
    *,
    secret_key: str,
    start: datetime,
    now: datetime,
    tick: Callable[[int], None] = lambda _n: None,
) -> int:
    """Simulate the floor from ``start`` to ``now`` and ingest its scans; return how many.

    The history runs in windows of a few days: before each, the orders starting soon are cut,
    as a cutting room works a couple of days ahead of the lines (the simulator would otherwise
    let the first operations race through every order cut at once).
    """
    stored = 0
    day = 0
    moment = start
    rng = random.Random(SEED)
    # each line keeps the cut work of the window and the cutting room's lead ahead of it
    target = (WINDOW + CUT_AHEAD) * staff * WORK_MINUTES * PACE
    while moment < now:
        until = min(start + timedelta(days=day + WINDOW), now)
        factory = load_factory(session, scope)
        if cut_ahead(session, scope, floor, backlog(factory), target):
            factory = load_factory(session, scope)
        played = simulate(factory, moment, rng, SimConfig())
        scans = takewhile(partial(_before, until), played)
        signed = payloads(scans, secret_key, scope.org_id, rng.randrange(1 << 30))
        for batch in _batches(signed, MAX_BATCH):
            result = ingest_batch(session, scope, batch, secret_key=secret_key)
            if result.rejected or result.quarantined:
                # the simulated floor follows every rule: a refusal here is a bug in the seed
                raise RuntimeError(f"demo scans refused: {result.rejected[:3]}")
            stored += result.accepted
            tick(len(batch))
        # finished orders are done: the next window's floor no longer loads their bundles
        settle_orders(session, scope)
        moment, day = until, day + WINDOW
    # the cut work the live simulator goes on with
    spare = SPARE_DAYS * staff * WORK_MINUTES * PACE
    cut_ahead(session, scope, floor, backlog(load_factory(session, scope)), spare)
    return stored


def backlog(factory: SimFactory) -> dict[int, float]:
    """Return each line's standard minutes of cut work not yet done."""
    left: dict[int, float] = {}
    for order in factory.orders:
        routing = factory.routings.get(order.style_id, {})
        if order.line_id is None:
            continue
        minutes = sum(
            factory.operations[op].sam * bundle.qty
            for bundle in order.bundles
            for op in routing
            if (bundle.number, op) not in factory.done
        )
        left[order.line_id] = left.get(order.line_id, 0.0) + minutes
    return left


def settle_orders(session: Session, scope: Scope) -> dict[str, int]:
    """Mark finished orders done and started ones sewing; return how many of each status."""
    rows = list(
        session.scalars(
            select(ProductionOrder)
            .where(ProductionOrder.org_id == scope.org_id)
            .order_by(ProductionOrder.id)
        )
    )
    finished = orders.finished(session, scope, rows)
    started = set(
        session.scalars(
            select(OpCount.order_id).where(OpCount.org_id == scope.org_id, OpCount.done_qty > 0)
        )
    )
    counts: dict[str, int] = {}
    for order in rows:
        done = finished.get(order.id, 0)
        status = order.status
        if done >= order.total_qty:
            status = "done"
        elif order.id in started:
            status = "sewing"
        if status != order.status:
            orders.update(
                session,
                scope,
                order.id,
                orders.OrderIn(
                    number=order.number,
                    style_id=order.style_id,
                    due_date=order.due_date,
                    quantities=order.quantities,
                    customer=order.customer,
                    line_id=order.line_id,
                    status=status,
                    note=order.note,
                ),
            )
        counts[status] = counts.get(status, 0) + 1
    return counts
