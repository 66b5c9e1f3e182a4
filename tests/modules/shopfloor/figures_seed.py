"""A small factory whose figures are worked out by hand in the figures tests.

Counter rows are inserted directly (ingest has its own tests), so every figure can be checked
against a sum done on paper. Beijing is UTC+8: local 08:00 on 2026-03-10 is 00:00 UTC.

Garment Co (enterprise A): lines L01 and L02; operators W1 and W2 on L01, W3 on L02.

Style ST-1's routing (operation, seq, predecessors): OP-010 合肩 (1, —), OP-020 上领 (2, OP-010),
OP-030 上袖 (3, OP-010), OP-040 终检 (4, OP-020 and OP-030; the final operation).

========  =====  ======  ========  ===========================================================
order     total  line    status    cut, and pieces done (OpCount) per operation
========  =====  ======  ========  ===========================================================
PO-1      100    L01     sewing    80 cut (30 + 50); L01: 60 / 40 / 25 / 20, L02: OP-020 5
PO-2      50     L01     done      none cut; L01: OP-010 50 (a closed order: never WIP)
PO-3      10     L02     open      10 cut; L01: OP-010 10 (planned on L02, worked on L01)
========  =====  ======  ========  ===========================================================

WIP of PO-1 (done summed over lines: 60 / 45 / 25 / 20): OP-010 80 − 60 = 20; OP-020 60 − 45
= 15; OP-030 60 − 25 = 35; OP-040 min(45, 25) − 20 = 5. Progress 20 / 100 = 20.0 %.
WIP of PO-3: OP-010 10 − 10 = 0; OP-020 10; OP-030 10; OP-040 min(0, 0) − 0 = 0.
WIP on L01 (PO-1 + PO-3): 20 / 25 / 45 / 5.

L01 on 2026-03-10, hours UTC (local): LineHour output / done / earned minutes, and operator-hours

=============  ======  ====  ======  ====================================================
hour           output  done  earned  OperatorHour rows on L01
=============  ======  ====  ======  ====================================================
00:00 (08:00)  10      40    45      W1 20 pcs 25 min, W2 20 pcs 20 min  → 45/120 = 37.5 %
01:00 (09:00)  12      50    100     W1 30 pcs 60 min, W2 20 pcs 40 min  → 100/120 = 83.3 %
03:00 (11:00)  8       20    30      W1 20 pcs 30 min                    → 30/60 = 50.0 %
=============  ======  ====  ======  ====================================================

Day: output 30, done 110, earned 175 min over 5 operator-hours → 175/300 = 58.3 %, operators 2.
Top: W1 70 pcs, 115 min, 3 h → 115/180 = 63.9 %; W2 40 pcs, 60 min, 2 h → 50.0 %.
Rows outside the local day (09 15:00 UTC, 10 16:00 UTC) and W3's hour on L02 must not count.

Pay, March 2026 (OperatorDay): W1 03-10 70 pcs 115 min 12.3350; W1 03-11 10 pcs 10 min 2.5000;
W2 03-10 40 pcs 60 min 8.0000. Outside March: W1 02-28 and 04-01 (9.9999 each).
W1's month: 2 days, 80 pcs, 125.00 min, 14.835; all: 3 days, 120 pcs, 185.00 min, 22.835.

W1's applied done scans of local 03-10: OP-010 30 + 10 at 0.0350 = 40 × 0.0350 = 1.40;
OP-020 20 (01:00 UTC) + 10 (09 16:05 UTC = local 00:05) at 0.3645 = 30 × 0.3645 = 10.935;
together 12.335. Not counted: a rework scan, a quarantined scan, a scan at local 03-11 00:30
and W2's scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import OrgKind, Role
from loom.modules.masterdata.models import (
    Operation,
    Operator,
    PieceRate,
    ProductionLine,
    RoutingStep,
    Style,
)
from loom.modules.shopfloor.engine.events import local_day
from loom.modules.shopfloor.engine.keys import uuid7
from loom.modules.shopfloor.models import (
    Bundle,
    Lay,
    LineHour,
    OpCount,
    OperatorDay,
    OperatorDayOperation,
    OperatorHour,
    ProductionOrder,
    Quarantined,
    ScanEvent,
)
from loom.testing.factory import Factory, OrgRef

API = "/api/v1/shopfloor"
PAGES = "/apps/shopfloor"
DAY = date(2026, 3, 10)


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """Return an aware UTC time in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@dataclass
class Seeded:
    """The factory, its admin client and the ids of the seeded rows by code."""

    org: OrgRef
    client: TestClient
    ids: dict[str, int]


def _add(session: Any, org_id: int, *rows: Any) -> None:
    """Add rows of ``org_id`` and flush, so their ids are known."""
    for row in rows:
        row.org_id = org_id
        session.add(row)
    session.flush()


def _masterdata(s: Any, org: int, ids: dict[str, int]) -> None:
    """Add the lines, style, operations, routing, rates and operators."""
    lines = [
        ProductionLine(code="L01", name="缝制一线"),
        ProductionLine(code="L02", name="缝制二线"),
    ]
    _add(s, org, *lines)
    ids |= {"L01": lines[0].id, "L02": lines[1].id}
    style = Style(code="ST-1", name="男士衬衫", colours=["白"], sizes=["M"])
    ops = [
        Operation(code=code, name=name, sam=Decimal(sam), machine_type="lockstitch", skill_grade=2)
        for code, name, sam in (
            ("OP-010", "合肩", "0.5"),
            ("OP-020", "上领", "1.25"),
            ("OP-030", "上袖", "1.0"),
            ("OP-040", "终检", "0.25"),
        )
    ]
    _add(s, org, style, *ops)
    ids["ST-1"] = style.id
    ids |= {op.code: op.id for op in ops}
    o1, o2, o3, o4 = (op.id for op in ops)
    _add(
        s,
        org,
        RoutingStep(style_id=style.id, operation_id=o1, seq=1, predecessors=[]),
        RoutingStep(style_id=style.id, operation_id=o2, seq=2, predecessors=[o1]),
        RoutingStep(style_id=style.id, operation_id=o3, seq=3, predecessors=[o1]),
        RoutingStep(style_id=style.id, operation_id=o4, seq=4, predecessors=[o2, o3]),
        *(
            PieceRate(operation_id=op, effective_from=date(2026, 1, 1), rate=Decimal(rate))
            for op, rate in ((o1, "0.035"), (o2, "0.3645"), (o3, "0.2"), (o4, "0.1"))
        ),
    )
    people = [
        Operator(code="W1", name="王芳", line_id=ids["L01"]),
        Operator(code="W2", name="李娜", line_id=ids["L01"]),
        Operator(code="W3", name="张伟", line_id=ids["L02"]),
    ]
    _add(s, org, *people)
    ids |= {p.code: p.id for p in people}


def _orders(s: Any, org: int, ids: dict[str, int]) -> None:
    """Add the orders, lays, bundles and their OpCount rows."""
    orders = [
        ProductionOrder(number="PO-1", style_id=ids["ST-1"], line_id=ids["L01"], total_qty=100),
        ProductionOrder(number="PO-2", style_id=ids["ST-1"], line_id=ids["L01"], total_qty=50),
        ProductionOrder(number="PO-3", style_id=ids["ST-1"], line_id=ids["L02"], total_qty=10),
    ]
    for order, status in zip(orders, ("sewing", "done", "open"), strict=True):
        order.due_date, order.status = date(2026, 4, 1), status
        order.quantities = {"白": {"M": order.total_qty}}
    _add(s, org, *orders)
    ids |= {o.number: o.id for o in orders}
    lays = [Lay(order_id=ids["PO-1"], lay_no=1, colour="白", plies=80, ratios={"M": 1})]
    lays.append(Lay(order_id=ids["PO-3"], lay_no=1, colour="白", plies=10, ratios={"M": 1}))
    _add(s, org, *lays)
    bundles = [
        Bundle(number=1, order_id=ids["PO-1"], lay_id=lays[0].id, colour="白", size="M", qty=30),
        Bundle(number=2, order_id=ids["PO-1"], lay_id=lays[0].id, colour="白", size="M", qty=50),
        Bundle(number=3, order_id=ids["PO-3"], lay_id=lays[1].id, colour="白", size="M", qty=10),
    ]
    _add(s, org, *bundles)
    ops = [ids[c] for c in ("OP-010", "OP-020", "OP-030", "OP-040")]
    l01, l02 = ids["L01"], ids["L02"]
    counts = [
        OpCount(order_id=ids["PO-1"], operation_id=ops[0], line_id=l01, done_qty=60),
        OpCount(order_id=ids["PO-1"], operation_id=ops[1], line_id=l01, done_qty=40),
        OpCount(order_id=ids["PO-1"], operation_id=ops[2], line_id=l01, done_qty=25, rework_qty=2),
        OpCount(order_id=ids["PO-1"], operation_id=ops[3], line_id=l01, done_qty=20, defect_qty=1),
        OpCount(order_id=ids["PO-1"], operation_id=ops[1], line_id=l02, done_qty=5),
        OpCount(order_id=ids["PO-2"], operation_id=ops[0], line_id=l01, done_qty=50),
        OpCount(order_id=ids["PO-3"], operation_id=ops[0], line_id=l01, done_qty=10),
    ]
    _add(s, org, *counts)


def _hours(s: Any, org: int, ids: dict[str, int]) -> None:
    """Add the LineHour, OperatorHour and OperatorDay rows."""
    l01, w1, w2, w3 = ids["L01"], ids["W1"], ids["W2"], ids["W3"]
    rows: list[Any] = [
        LineHour(line_id=l01, hour=utc(10, 0), output_qty=10, done_qty=40, earned_e4=450_000),
        LineHour(
            line_id=l01,
            hour=utc(10, 1),
            output_qty=12,
            done_qty=50,
            earned_e4=1_000_000,
            rework_qty=1,
            defect_qty=2,
        ),
        LineHour(line_id=l01, hour=utc(10, 3), output_qty=8, done_qty=20, earned_e4=300_000),
        # local 23:00 on 03-09 and 00:00 on 03-11: other days
        LineHour(line_id=l01, hour=utc(9, 15), output_qty=99, done_qty=99, earned_e4=990_000),
        LineHour(line_id=l01, hour=utc(10, 16), output_qty=77, done_qty=77, earned_e4=770_000),
    ]
    person = [
        (w1, utc(10, 0), l01, 20, 250_000),
        (w2, utc(10, 0), l01, 20, 200_000),
        (w1, utc(10, 1), l01, 30, 600_000),
        (w2, utc(10, 1), l01, 20, 400_000),
        (w1, utc(10, 3), l01, 20, 300_000),
        (w3, utc(10, 0), ids["L02"], 50, 500_000),  # another line
        (w1, utc(9, 15), l01, 99, 990_000),  # the day before, locally
    ]
    rows += [
        OperatorHour(operator_id=o, hour=h, line_id=line, done_qty=d, earned_e4=e)
        for o, h, line, d, e in person
    ]
    days = [
        (w1, date(2026, 3, 10), 70, 1_150_000, 123_350),
        (w1, date(2026, 3, 11), 10, 100_000, 25_000),
        (w2, date(2026, 3, 10), 40, 600_000, 80_000),
        (w1, date(2026, 2, 28), 5, 50_000, 99_999),
        (w1, date(2026, 4, 1), 5, 50_000, 99_999),
    ]
    rows += [
        OperatorDay(operator_id=o, day=d, done_qty=q, earned_e4=e, earnings_e4=p)
        for o, d, q, e, p in days
    ]
    _add(s, org, *rows)


def scan(ids: dict[str, int], **fields: Any) -> ScanEvent:
    """Return a stored scan of W1 on bundle 1, with ``fields`` changed."""
    ts = fields.pop("ts")
    row: dict[str, Any] = {
        "key": uuid7(ts),
        "ts": ts,
        "received_at": ts,
        "device": "D1",
        "operator_code": "W1",
        "operator_id": ids["W1"],
        "bundle_no": 1,
        "bundle_id": None,
        "order_id": ids["PO-1"],
        "line_id": ids["L01"],
        "qty": 1,
        "kind": "done",
        "status": "applied",
    }
    return ScanEvent(**(row | fields))


def _scans(s: Any, org: int, ids: dict[str, int]) -> None:
    """Add W1's scans of local 03-10 and the ones that must not count."""
    op1, op2, op3 = ids["OP-010"], ids["OP-020"], ids["OP-030"]
    rows = [
        scan(ids, ts=utc(10, 0, 15), operation_id=op1, qty=30, rate_e4=350),
        scan(ids, ts=utc(10, 1, 5), operation_id=op1, qty=10, rate_e4=350),
        scan(ids, ts=utc(10, 1, 20), operation_id=op2, qty=20, rate_e4=3645),
        scan(ids, ts=utc(9, 16, 5), operation_id=op2, qty=10, rate_e4=3645),  # local 00:05
        scan(ids, ts=utc(10, 2), operation_id=op2, qty=2, kind="rework"),
        scan(ids, ts=utc(10, 2, 30), operation_id=op3, qty=5, status="quarantined", rate_e4=2000),
        scan(ids, ts=utc(10, 16, 30), operation_id=op3, qty=7, rate_e4=2000),  # local 03-11
        scan(ids, ts=utc(10, 3), operation_id=op3, qty=9, rate_e4=2000, operator_id=ids["W2"]),
    ]
    # the pay detail's counter, summed from these scans the way ingest's Deltas sums them
    detail: dict[tuple[int, date, int, int], int] = {}
    for row in rows:
        if row.status == "applied" and row.kind == "done":
            cell = (row.operator_id, local_day(row.ts), row.operation_id, row.rate_e4)
            detail[cell] = detail.get(cell, 0) + row.qty
    counters = [
        OperatorDayOperation(operator_id=o, day=d, operation_id=op, rate_e4=r, done_qty=q)
        for (o, d, op, r), q in detail.items()
    ]
    _add(s, org, *rows, *counters)


def seed_figures(factory: Factory, slug: str = "garments", user: str = "gina") -> Seeded:
    """Create the factory above with an admin, and return its ids."""
    org = factory.org(slug, OrgKind.ENTERPRISE, name="Garment Co")
    factory.user(user, (org, Role.ADMIN))
    ids: dict[str, int] = {}
    with session_scope(factory.runtime.session_factory) as s:
        _masterdata(s, org.id, ids)
        _orders(s, org.id, ids)
        _hours(s, org.id, ids)
        _scans(s, org.id, ids)
    return Seeded(org=org, client=factory.client(user), ids=ids)


def quarantine_entries(factory: Factory, seeded: Seeded) -> dict[str, int]:
    """Add three open entries: a malformed message, an unknown operator, an unknown bundle.

    The unknown-operator scan (badge X99, OP-040 on bundle 1, 4 pieces on local 03-12) applies
    once its badge is corrected to W2: 4 × 0.1000 = 0.40 CNY on W2's 03-12.
    """
    ids = seeded.ids
    with session_scope(factory.runtime.session_factory) as s:
        stranger = scan(
            ids,
            ts=utc(12, 2),
            operation_id=ids["OP-040"],
            qty=4,
            operator_code="X99",
            operator_id=None,
            status="quarantined",
        )
        lost = scan(ids, ts=utc(12, 3), operation_id=ids["OP-010"], bundle_no=999)
        lost.status, lost.order_id = "quarantined", None
        _add(s, seeded.org.id, stranger, lost)
        entries = [
            Quarantined(
                reason="malformed",
                detail="qty: an integer is required",
                payload={"id": "x", "qty": "many"},
            ),
            Quarantined(
                event_key=stranger.key,
                received_at=utc(12, 2, 1),
                reason="unknown_operator",
                detail="no operator with badge X99",
                payload={"operator": "X99", "bundle": 1, "operation": ids["OP-040"]},
            ),
            Quarantined(
                event_key=lost.key,
                reason="unknown_bundle",
                detail="no bundle number 999",
                payload={"operator": "W1", "bundle": 999, "operation": ids["OP-010"]},
            ),
        ]
        _add(s, seeded.org.id, *entries)
        return {"malformed": entries[0].id, "operator": entries[1].id, "bundle": entries[2].id}
