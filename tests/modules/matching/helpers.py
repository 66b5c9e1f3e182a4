"""A small district for match-making tests: a brand and three factories, through real services.

- ``fa`` (Factory A): line of 6 operators (Mon–Sat, 480 minutes: no line profile), shares
  capacity, orders and quality daily; made 1,500 shirts 10 days ago; 2 defects in 100 checked.
- ``fb`` (Factory B): line of 1 operator, shares capacity and orders weekly, nothing else.
- ``fc`` (Factory C): a line of 6 operators but shares nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from loom.apps.quality.models import Inspection
from loom.apps.scheduling.service.profiles import OrderAttrsIn, save_attrs
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.tenancy.models import Organisation
from loom.modules.brain.service.consent import set_consent
from loom.modules.masterdata.service import lines, operators, styles
from loom.modules.matching.service.orders import today
from loom.modules.shopfloor.models import ScanEvent
from loom.modules.shopfloor.service import orders as production


@dataclass(frozen=True)
class District:
    """Organisation ids of the test district."""

    brand: int
    fa: int
    fb: int
    fc: int


def _line(session: Session, org: Organisation, code: str, people: int) -> int:
    scope = system_scope(org.id, org.kind, "test")
    with acting_as(session, scope):
        line = lines.create(session, scope, lines.ProductionLineIn(code=code, name=code))
        for n in range(people):
            operators.create(
                session,
                scope,
                operators.OperatorIn(code=f"{code}-{n}", name=f"op {n}", line_id=line.id),
            )
        return line.id


def _share(session: Session, org: Organisation, **granularity: str) -> None:
    scope = system_scope(org.id, org.kind, "test")
    with acting_as(session, scope):
        for category, value in granularity.items():
            set_consent(session, scope, category, value)


def _history(session: Session, org: Organisation, line_id: int) -> None:
    """1,500 shirts finished 10 days ago on a done order; 100 pieces checked, 2 defects."""
    scope = system_scope(org.id, org.kind, "test")
    day = today() - timedelta(days=10)
    with acting_as(session, scope):
        style = styles.create(
            session,
            scope,
            styles.StyleIn(code="OLD-1", name="old shirt", colours=["white"], sizes=["M"]),
        )
        order = production.create(
            session,
            scope,
            production.OrderIn(
                number="OLD-1",
                style_id=style.id,
                due_date=day,
                quantities={"white": {"M": 1500}},
                status="done",
            ),
        )
        save_attrs(session, scope, order.id, OrderAttrsIn(category="shirts"))
        # noon Beijing time is 04:00 UTC: the same local day
        ts = datetime.combine(day, time(4, 0), tzinfo=UTC)
        session.add(
            ScanEvent(
                org_id=org.id,
                key=uuid.uuid4(),
                ts=ts,
                received_at=ts,
                device="test",
                operator_code="A-0",
                bundle_no=1,
                operation_id=1,
                qty=1500,
                kind="done",
                status="applied",
                order_id=order.id,
                line_id=line_id,
                final=True,
            )
        )
        session.add(
            Inspection(
                org_id=org.id,
                kind="inline",
                day=day,
                line_id=line_id,
                pieces_checked=100,
                defects_total=2,
                defective_pieces=2,
            )
        )
        session.flush()


def finish(session: Session, org_id: int, order_id: int, day: date, qty: int) -> None:
    """Record ``qty`` pieces of a production order finished on ``day`` (a final done scan)."""
    org = session.get(Organisation, org_id)
    assert org is not None
    with acting_as(session, system_scope(org.id, org.kind, "test")):
        ts = datetime.combine(day, time(4, 0), tzinfo=UTC)
        session.add(
            ScanEvent(
                org_id=org.id,
                key=uuid.uuid4(),
                ts=ts,
                received_at=ts,
                device="test",
                operator_code="A-0",
                bundle_no=2,
                operation_id=1,
                qty=qty,
                kind="done",
                status="applied",
                order_id=order_id,
                final=True,
            )
        )
        session.flush()


def build(session: Session, orgs: dict[str, Organisation]) -> District:
    """Give the factories their lines, history and consents."""
    fa, fb, fc = orgs["fa"], orgs["fb"], orgs["fc"]
    line_a = _line(session, fa, "A", 6)
    _line(session, fb, "B", 1)
    _line(session, fc, "C", 6)
    _history(session, fa, line_a)
    _share(session, fa, capacity="daily", orders="daily", quality="daily")
    _share(session, fb, capacity="weekly", orders="weekly")
    return District(orgs["brand"].id, fa.id, fb.id, fc.id)
