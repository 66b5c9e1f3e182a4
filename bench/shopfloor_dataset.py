"""A year of a 20-line factory's scans, written straight into the event table with its counters.

Generating millions of events through HTTP would take hours, so the events are written with
``eventstore.insert_rows`` (ingest's own insert) in large transactions, and the counters with
``counters.Deltas`` + ``apply_deltas`` (ingest's own figures) in the same transactions. The row
values are those ingest resolves: the ids, SAM and piece rate come from ``resolve.load_context``.
"""

from __future__ import annotations

import gc
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from time import perf_counter
from typing import Any, cast

from fastapi import FastAPI
from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from bench.shopfloor_common import Plant, seed_plant
from bench.shopfloor_scans import (
    SCANS_PER_BUNDLE_EXTRA,
    LineWork,
    Scan,
    scan_days,
)
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.modules.masterdata.models import Operator
from loom.modules.shopfloor.engine.events import local_day
from loom.modules.shopfloor.engine.figures import local_today
from loom.modules.shopfloor.engine.keys import uuid7
from loom.modules.shopfloor.models import NO_LINE, Bundle, Lay, ProductionOrder
from loom.modules.shopfloor.service.counters import SPECS, Deltas, apply_deltas
from loom.modules.shopfloor.service.eventstore import insert_rows
from loom.modules.shopfloor.service.resolve import load_context
from loom.modules.shopfloor.service.sample import COLOURS, SIZES

LINES = 20
OPERATORS_PER_LINE = 30
BUNDLES_PER_LINE_DAY = 152
BUNDLES_PER_ORDER = 600
BUNDLE_QTY = 20
#: rows per insert statement, and rows per transaction (events and their counters commit together)
INSERT_ROWS = 20_000
TRANSACTION_ROWS = 500_000


@dataclass
class Dataset:
    """What was written, and figures computed on the side to check the dashboards against."""

    plant: Plant
    first_day: date
    last_day: date
    events: int = 0
    bundles: int = 0
    orders: int = 0
    # (line id, local day) → garments finished; order id → garments finished
    output: defaultdict[tuple[int, date], int] = field(default_factory=lambda: defaultdict(int))
    finished: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    counter_rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _orders(session: Session, plant: Plant, days: int, per_line: int) -> list[LineWork]:
    """Add each line's orders (one lay each) and their bundles; return the lines' work."""
    org = plant.org.id
    per_cell = BUNDLES_PER_ORDER * BUNDLE_QTY // (len(COLOURS) * len(SIZES))
    orders_per_line = math.ceil(per_line / BUNDLES_PER_ORDER)
    days_per_order = max(1, days // orders_per_line)
    first = local_today(utcnow()) - timedelta(days=days + 1)
    placed: list[tuple[int, ProductionOrder]] = []
    for n, line in enumerate(plant.sample.lines, start=1):
        for j in range(orders_per_line):
            placed.append(
                (
                    line,
                    ProductionOrder(
                        org_id=org,
                        number=f"Y-{n:02d}-{j + 1:04d}",
                        customer=f"Retailer {j % 7 + 1}",
                        style_id=plant.sample.style_id,
                        line_id=line,
                        due_date=first + timedelta(days=(j + 1) * days_per_order + 7),
                        quantities={c: dict.fromkeys(SIZES, per_cell) for c in COLOURS},
                        total_qty=per_cell * len(COLOURS) * len(SIZES),
                        # the line's last order is still being sewn
                        status="sewing" if j == orders_per_line - 1 else "done",
                    ),
                )
            )
    session.add_all([order for _, order in placed])
    session.flush()
    lays = [
        Lay(
            org_id=org,
            order_id=order.id,
            lay_no=1,
            colour=COLOURS[0],
            plies=BUNDLE_QTY,
            ratios=dict.fromkeys(SIZES, 1),
            status="cut",
        )
        for _, order in placed
    ]
    session.add_all(lays)
    session.flush()
    number = (session.scalar(select(func.max(Bundle.number)).where(Bundle.org_id == org)) or 0) + 1
    work = {
        line: LineWork(line, list(plant.sample.operators[line]), []) for line in plant.sample.lines
    }
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for (line, order), lay in zip(placed, lays, strict=True):
        for b in range(BUNDLES_PER_ORDER):
            rows.append(
                {
                    "org_id": org,
                    "number": number,
                    "order_id": order.id,
                    "lay_id": lay.id,
                    "colour": COLOURS[b % len(COLOURS)],
                    "size": SIZES[(b // len(COLOURS)) % len(SIZES)],
                    "qty": BUNDLE_QTY,
                    "ply_from": 1,
                    "ply_to": BUNDLE_QTY,
                    "created_at": now,
                }
            )
            work[line].bundles.append((number, BUNDLE_QTY))
            number += 1
    table = cast(Table, Bundle.__table__)
    for start in range(0, len(rows), 50_000):
        session.execute(insert(table), rows[start : start + 50_000])
    return list(work.values())


class RowMaker:
    """Turns scans into event rows with the values ingest resolves, and adds them to Deltas."""

    def __init__(self, session: Session, plant: Plant, day: date) -> None:
        org = plant.org.id
        self.org = org
        self.bundles: dict[int, tuple[int, int]] = {
            number: (bundle_id, order_id)
            for number, bundle_id, order_id in session.execute(
                select(Bundle.number, Bundle.id, Bundle.order_id).where(Bundle.org_id == org)
            )
        }
        self.operators: dict[str, tuple[int, int]] = {
            code: (operator_id, line_id or NO_LINE)
            for code, operator_id, line_id in session.execute(
                select(Operator.code, Operator.id, Operator.line_id).where(Operator.org_id == org)
            )
        }
        any_bundle = next(iter(self.bundles))
        ctx = load_context(session, org, {any_bundle}, set(self.operators))
        self.sams = ctx.sams
        self.rates = {op: ctx.rate_on(op, day) or 0 for op in ctx.sams}
        self.final = ctx.finals[plant.sample.style_id]

    def rows(self, scans: list[Scan], deltas: Deltas, data: Dataset) -> list[tuple[Any, ...]]:
        """Return the scans' rows (eventstore.COLUMNS order) and add them to the figures."""
        out = []
        received = timedelta(seconds=2)
        for s in scans:
            bundle_id, order_id = self.bundles[s.bundle]
            operator_id, line_id = self.operators[s.operator]
            sam = self.sams[s.operation]
            rate = self.rates[s.operation] if s.kind == "done" else 0
            final = s.operation == self.final
            out.append(
                (
                    self.org,
                    uuid7(s.ts),
                    None,
                    s.ts,
                    s.ts + received,
                    s.device,
                    s.operator,
                    s.bundle,
                    s.operation,
                    s.qty,
                    s.kind,
                    "applied",
                    operator_id,
                    bundle_id,
                    order_id,
                    line_id,
                    sam,
                    rate,
                    final,
                )
            )
            deltas.add(
                s.ts, s.kind, s.qty, order_id, s.operation, line_id, operator_id, sam, rate, final
            )
            if final and s.kind == "done":
                data.output[(line_id, local_day(s.ts))] += s.qty
                data.finished[order_id] += s.qty
        return out


def _write(session: Session, org: int, rows: list[tuple[Any, ...]], deltas: Deltas) -> None:
    for start in range(0, len(rows), INSERT_ROWS):
        insert_rows(session, rows[start : start + INSERT_ROWS])
    apply_deltas(session, org, deltas)


def _events(
    factory_sessions: Any,
    plant: Plant,
    work: list[LineWork],
    maker: RowMaker,
    data: Dataset,
    first: date,
) -> None:
    """Generate the scans day by day and write them with their counters in big transactions."""
    pending: list[tuple[Any, ...]] = []
    deltas = Deltas()
    for day, scans in scan_days(
        first, work, plant.sample.operations, BUNDLES_PER_LINE_DAY, seed=2027
    ):
        pending += maker.rows(scans, deltas, data)
        data.last_day = day
        if len(pending) >= TRANSACTION_ROWS:
            with session_scope(factory_sessions) as session:
                _write(session, plant.org.id, pending, deltas)
            data.events += len(pending)
            pending, deltas = [], Deltas()
    if pending:
        with session_scope(factory_sessions) as session:
            _write(session, plant.org.id, pending, deltas)
        data.events += len(pending)


def build(application: FastAPI, events: int) -> Dataset:
    """Seed a 20-line factory and write about ``events`` scan events with their counters."""
    factory_sessions = application.state.loom.session_factory
    started = perf_counter()
    plant = seed_plant(
        application,
        "dash",
        lines=LINES,
        operators_per_line=OPERATORS_PER_LINE,
        bundles_per_order=8,
    )
    per_line = math.ceil(events / (9 + SCANS_PER_BUNDLE_EXTRA) / LINES)
    days = math.ceil(per_line / BUNDLES_PER_LINE_DAY)
    first = local_today(utcnow()) - timedelta(days=days + 1)
    scope = system_scope(plant.org.id, plant.org.kind, "bench")
    # A million bundle rows, a million-entry bundle map and hundreds of thousands of pending
    # event rows would make every automatic collection rescan them (measured: about a quarter
    # of the load time); nothing built here is cyclic.
    gc.disable()
    try:
        with session_scope(factory_sessions) as session:
            bind_scope(session, scope)
            work = _orders(session, plant, days, per_line)
        with session_scope(factory_sessions) as session:
            maker = RowMaker(session, plant, first)
    finally:
        gc.enable()
    data = Dataset(plant, first, first)
    data.bundles = sum(len(w.bundles) for w in work)
    data.orders = sum(math.ceil(len(w.bundles) / BUNDLES_PER_ORDER) for w in work)
    data.seconds["seed (masterdata, orders, bundles)"] = perf_counter() - started
    started = perf_counter()
    gc.disable()
    try:
        _events(factory_sessions, plant, work, maker, data, first)
    finally:
        gc.enable()
    data.seconds["events and counters"] = perf_counter() - started
    with session_scope(factory_sessions) as session:
        for name, table, *_ in SPECS:
            data.counter_rows[name] = (
                session.scalar(
                    select(func.count()).select_from(table).where(table.c.org_id == plant.org.id)
                )
                or 0
            )
    return data
