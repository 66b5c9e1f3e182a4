"""What the shop floor offers the brain: output, on-time delivery, pieces by category and order.

Garment Co's style ST-1 has orders (all finished pieces are applied "done" scans at the final
operation; local = Beijing time, UTC+8):

=====  =====  ==========  ========  ==========  ==========================================
order  total  due         status    category    finished pieces (local day: pieces)
=====  =====  ==========  ========  ==========  ==========================================
PO-A   100    2026-03-11  sewing    shirt       03-05: 60, 03-10: 30, 03-11: 10
PO-B   50     2026-03-09  sewing    (none)      03-10: 50
PO-C   40     2026-03-20  done      (none)      03-12: 20 (closed short of its total)
PO-D   30     2026-03-20  cancelled (none)      03-10: 30
=====  =====  ==========  ========  ==========  ==========================================

Window 03-10 … 03-12. PO-A reaches 100 on 03-11 (60 + 30 + 10), by its due date: on time.
PO-B reaches 50 on 03-10, after its due date 03-09: late. PO-C was closed: finished on its last
piece's day 03-12, on time. PO-D is cancelled: no delivery. So on-time per finishing day:
03-10 0 of 1, 03-11 1 of 1, 03-12 1 of 1.

Not counted anywhere: a quarantined final scan (99 pieces), a done scan at a non-final
operation (77), a rework scan at the final operation (5), a final scan of PO-C at local
03-13 00:30 (7, after the window), and another enterprise's scan.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import OrderAttributes
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.spec import MetricSample
from loom.kernel.tenancy.models import OrgKind
from loom.modules.masterdata.models import Style
from loom.modules.shopfloor.engine.events import LOCAL_TZ
from loom.modules.shopfloor.engine.keys import uuid7
from loom.modules.shopfloor.models import LineHour, ProductionOrder, ScanEvent
from loom.modules.shopfloor.service import brain_metrics as bm
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends

START, END = date(2026, 3, 10), date(2026, 3, 12)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a Beijing wall-clock time in March 2026."""
    return datetime(2026, 3, day, hour, minute, tzinfo=LOCAL_TZ)


def _scan(org: int, order: int, ts: datetime, qty: int, **more: Any) -> ScanEvent:
    fields: dict[str, Any] = {
        "org_id": org,
        "key": uuid7(ts),
        "ts": ts,
        "received_at": ts,
        "device": "D1",
        "operator_code": "W1",
        "bundle_no": 1,
        "operation_id": 4,
        "qty": qty,
        "kind": "done",
        "status": "applied",
        "order_id": order,
        "final": True,
    }
    return ScanEvent(**(fields | more))


def _seed(s: Session, org: int, other: int) -> dict[str, int]:
    style = Style(org_id=org, code="ST-1", name="衬衫", colours=["白"], sizes=["M"])
    s.add(style)
    s.flush()
    ids: dict[str, int] = {}
    for number, total, due, status in (
        ("PO-A", 100, 11, "sewing"),
        ("PO-B", 50, 9, "sewing"),
        ("PO-C", 40, 20, "done"),
        ("PO-D", 30, 20, "cancelled"),
    ):
        order = ProductionOrder(
            org_id=org,
            number=number,
            style_id=style.id,
            due_date=date(2026, 3, due),
            quantities={"白": {"M": total}},
            total_qty=total,
            status=status,
        )
        s.add(order)
        s.flush()
        ids[number] = order.id
    s.add(OrderAttributes(org_id=org, order_id=ids["PO-A"], category="shirt"))
    a, b, c, d = (ids[n] for n in ("PO-A", "PO-B", "PO-C", "PO-D"))
    s.add_all(
        [
            _scan(org, a, local(5, 10), 60),
            _scan(org, a, local(10, 9), 30),
            _scan(org, a, local(11, 9), 10),
            _scan(org, b, local(10, 9, 30), 50),
            _scan(org, c, local(12, 9), 20),
            _scan(org, d, local(10, 10), 30),
            _scan(org, a, local(10, 11), 99, status="quarantined"),
            _scan(org, a, local(10, 12), 77, final=False),
            _scan(org, a, local(10, 13), 5, kind="rework"),
            _scan(org, c, local(13, 0, 30), 7),
        ]
    )
    # output counters, by UTC hour: local 03-10 00:00, 08:00 and 23:00 count; 03-09 23:00
    # and 03-13 00:00 do not; 03-11 10:00 counts on 03-11
    for when, qty in (
        (local(10, 0), 3),
        (local(10, 8), 12),
        (local(10, 23), 5),
        (local(9, 23), 100),
        (local(13, 0), 44),
        (local(11, 10), 8),
    ):
        s.add(LineHour(org_id=org, line_id=0, hour=when, output_qty=qty))
    s.add(LineHour(org_id=other, line_id=0, hour=local(10, 9), output_qty=1000))
    s.flush()
    return ids


def _read(factory: Factory, provider: Any) -> tuple[list[MetricSample], dict[str, int]]:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    other = factory.org("others", OrgKind.ENTERPRISE)
    with session_scope(factory.runtime.session_factory) as s:
        ids = _seed(s, org.id, other.id)
        with acting_as(s, system_scope(org.id, org.kind, "brain")) as scope:
            return list(provider(s, scope, START, END)), ids


@both_backends
def test_output_counts_finished_garments_per_local_day(factory: Factory) -> None:
    samples, _ids = _read(factory, bm.output_pieces)
    # 03-10: 3 + 12 + 5 = 20; 03-11: 8 (the other hours are other local days)
    assert samples == [MetricSample(START, 20.0), MetricSample(date(2026, 3, 11), 8.0)]


@both_backends
def test_on_time_counts_orders_by_the_day_they_finished(factory: Factory) -> None:
    samples, _ids = _read(factory, bm.on_time)
    assert samples == [
        MetricSample(date(2026, 3, 10), 0.0, 1.0),
        MetricSample(date(2026, 3, 11), 1.0, 1.0),
        MetricSample(date(2026, 3, 12), 1.0, 1.0),
    ]


@both_backends
def test_category_pieces_use_the_scheduling_category_or_the_style(factory: Factory) -> None:
    samples, _ids = _read(factory, bm.category_pieces)
    got = {(s.day.day, dict(s.dims)["category"]): s.numerator for s in samples}
    # PO-D is cancelled but its pieces were sewn: they count as output of its style
    assert got == {(10, "shirt"): 30, (10, "ST-1"): 80, (11, "shirt"): 10, (12, "ST-1"): 20}


def test_order_progress_carries_the_total_on_the_first_sample(factory: Factory) -> None:
    samples, ids = _read(factory, bm.order_progress)
    got = [(s.day.day, dict(s.dims)["order"], s.numerator, s.denominator) for s in samples]
    a, b, c, d = (str(ids[n]) for n in ("PO-A", "PO-B", "PO-C", "PO-D"))
    assert sorted(got) == sorted(
        [(10, a, 30, 100), (11, a, 10, 0), (10, b, 50, 50), (12, c, 20, 40), (10, d, 30, 30)]
    )
    # summed over the window: PO-A 40 of 100 pieces
    assert sum(x[2] for x in got if x[1] == a) / sum(x[3] for x in got if x[1] == a) == 0.4


def test_finish_day_of_an_order() -> None:
    days = {date(2026, 3, 1): 40, date(2026, 3, 3): 60, date(2026, 3, 4): 5}
    assert bm.finish_day(100, "sewing", days) == date(2026, 3, 3)
    assert bm.finish_day(200, "sewing", days) is None
    assert bm.finish_day(200, "done", days) == date(2026, 3, 4)
    assert bm.finish_day(10, "done", {}) is None


def test_the_metrics_are_offered_by_the_shop_floor_manifest() -> None:
    from loom.modules.shopfloor.app import spec

    offered = {m.name: m.category for m in spec.brain_metrics}
    assert offered == {
        "shopfloor.output_pieces": "output",
        "shopfloor.on_time": "orders",
        "shopfloor.category_pieces": "orders",
        "shopfloor.order_progress": "orders",
    }
