"""The demo factory's shop floor: master data, orders cut into bundles and a morning of scans."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import SCOPE_KEY, bind_scope
from loom.kernel.tenancy.models import Organisation
from loom.modules.masterdata.models import Style
from loom.modules.shopfloor.engine.events import LOCAL_TZ, event_dict
from loom.modules.shopfloor.engine.tickets import ticket_key
from loom.modules.shopfloor.service.ingest import ingest_batch
from loom.modules.shopfloor.service.sample import SampleFactory, seed_sample_factory

#: bundles per line that went through the routing this morning, and the pace of the line: a
#: 20-piece bundle every 16 minutes at each operation is 56-112 % of the routing's SAM
MORNING_BUNDLES = 12
STEP = timedelta(minutes=16)


def morning_events(sample: SampleFactory, key: bytes, day: date) -> list[dict[str, object]]:
    """Return scans from 08:00 on ``day``: each line's first bundles through their routing."""
    start = datetime.combine(day, time(8, 0), tzinfo=LOCAL_TZ).astimezone(UTC)
    events: list[dict[str, object]] = []
    for line, order in zip(sample.lines, sample.orders, strict=True):
        operators = sample.operators[line]
        bundles = [(n, q) for n, q, o in sample.bundles if o == order][:MORNING_BUNDLES]
        for b, (number, qty) in enumerate(bundles):
            # operation k of bundle b is done by operator k (a balanced line), one step apart
            for k, operation in enumerate(sample.operations):
                ts = start + STEP * (b + k)
                events.append(
                    event_dict(
                        key,
                        sample.org_id,
                        bundle=number,
                        operation=operation,
                        operator=operators[k % len(operators)],
                        ts=ts,
                        qty=qty,
                        device=f"L{line}-{k + 1:02d}",
                    )
                )
    return events


def seed_shopfloor(session: Session, org: Organisation, *, secret_key: str, today: date) -> None:
    """Seed the factory's shop floor once; with a secret key, ingest this morning's scans too."""
    if session.scalar(select(Style.id).where(Style.org_id == org.id)) is not None:
        return
    previous = session.info.get(SCOPE_KEY)
    scope = system_scope(org.id, org.kind, "demo-seed")
    bind_scope(session, scope)
    try:
        sample = seed_sample_factory(
            session, scope, prefix="YF", lines=2, operators_per_line=12, bundles_per_order=60
        )
        if secret_key:
            events = morning_events(sample, ticket_key(secret_key, org.id), today)
            ingest_batch(session, scope, events, secret_key=secret_key)
    finally:
        # the demo seed goes on with other organisations in the same session
        if previous is None:
            session.info.pop(SCOPE_KEY, None)
        else:
            session.info[SCOPE_KEY] = previous
