"""A small garment factory for the quality tests, with scans to trace defects through.

Lines L01 and L02; operators W1, W2 on L01 and W3 on L02; style ST-Q with operations OP-10
合肩, OP-20 上领, OP-30 钉扣; order PO-Q1 (customer Acme, 200 pieces) with bundles 1 (30
pieces) and 2 (50 pieces), and order PO-Q2 (customer Beta). Applied "done" scans: bundle 1
OP-10 by W1, OP-20 by W2; bundle 2 OP-10 by W2. A quarantined scan of bundle 2 OP-20 by W1 must
never be taken for the operator who did it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from loom.kernel.db.session import session_scope
from loom.modules.masterdata.models import Operation, Operator, ProductionLine, Style
from loom.modules.shopfloor.engine.keys import uuid7
from loom.modules.shopfloor.models import Bundle, Lay, ProductionOrder, ScanEvent

API = "/api/v1/quality"
PAGES = "/apps/quality"


@dataclass
class Seeded:
    """The ids of the seeded rows by code."""

    ids: dict[str, int]


def _add(session: Any, org_id: int, *rows: Any) -> None:
    for row in rows:
        row.org_id = org_id
        session.add(row)
    session.flush()


def _scan(
    ids: dict[str, int], minute: int, bundle: str, op: str, who: str, **more: Any
) -> ScanEvent:
    ts = datetime(2026, 3, 10, 1, minute, tzinfo=UTC)
    row: dict[str, Any] = {
        "key": uuid7(ts),
        "ts": ts,
        "received_at": ts,
        "device": "D1",
        "operator_code": who,
        "operator_id": ids[who],
        "bundle_no": 1 if bundle == "B1" else 2,
        "bundle_id": ids[bundle],
        "order_id": ids["PO-Q1"],
        "line_id": ids["L01"],
        "operation_id": ids[op],
        "qty": 30,
        "kind": "done",
        "status": "applied",
    }
    return ScanEvent(**(row | more))


def seed_factory(app: FastAPI, org_id: int) -> dict[str, int]:
    """Add the factory's master data, orders, bundles and scans; return the ids by code."""
    ids: dict[str, int] = {}
    with session_scope(app.state.loom.session_factory) as s:
        lines = [
            ProductionLine(code="L01", name="缝制一线"),
            ProductionLine(code="L02", name="缝制二线"),
        ]
        _add(s, org_id, *lines)
        ids |= {line.code: line.id for line in lines}
        style = Style(code="ST-Q", name="衬衫", colours=["白"], sizes=["M"])
        ops = [
            Operation(code=c, name=n, sam=Decimal("0.5"), machine_type="lockstitch", skill_grade=2)
            for c, n in (("OP-10", "合肩"), ("OP-20", "上领"), ("OP-30", "钉扣"))
        ]
        _add(s, org_id, style, *ops)
        ids |= {op.code: op.id for op in ops} | {"ST-Q": style.id}
        people = [
            Operator(code="W1", name="王芳", line_id=ids["L01"]),
            Operator(code="W2", name="李娜", line_id=ids["L01"]),
            Operator(code="W3", name="张伟", line_id=ids["L02"]),
        ]
        _add(s, org_id, *people)
        ids |= {p.code: p.id for p in people}
        orders = [
            ProductionOrder(number="PO-Q1", customer="Acme", total_qty=200),
            ProductionOrder(number="PO-Q2", customer="Beta", total_qty=100),
        ]
        for order in orders:
            order.style_id, order.line_id, order.due_date = style.id, ids["L01"], date(2026, 4, 1)
            order.quantities = {"白": {"M": order.total_qty}}
        _add(s, org_id, *orders)
        ids |= {o.number: o.id for o in orders}
        lay = Lay(order_id=ids["PO-Q1"], lay_no=1, colour="白", plies=80, ratios={"M": 1})
        _add(s, org_id, lay)
        bundles = [
            Bundle(number=1, order_id=ids["PO-Q1"], lay_id=lay.id, colour="白", size="M", qty=30),
            Bundle(number=2, order_id=ids["PO-Q1"], lay_id=lay.id, colour="白", size="M", qty=50),
        ]
        _add(s, org_id, *bundles)
        ids |= {"B1": bundles[0].id, "B2": bundles[1].id}
        _add(
            s,
            org_id,
            _scan(ids, 1, "B1", "OP-10", "W1"),
            _scan(ids, 2, "B1", "OP-20", "W2"),
            _scan(ids, 3, "B2", "OP-10", "W2", qty=50),
            _scan(ids, 4, "B2", "OP-20", "W1", status="quarantined"),
        )
    return ids


def created(client: TestClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST ``body`` and return the created object, asserting a 201."""
    response = client.post(url, json=body)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def seed_catalogue(client: TestClient) -> dict[str, int]:
    """Add the common garment defects; return their ids by code."""
    response = client.post(f"{API}/defects/common")
    assert response.status_code == 200, response.text
    return {d["code"]: d["id"] for d in response.json()}
