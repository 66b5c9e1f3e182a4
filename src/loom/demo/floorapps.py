"""The N apps' data of a demo factory: quality inspections, machines, meters and schedules.

Each goes through its app's own service: inspections are recorded on bundles the simulated floor
really sewed (so defects trace to the operator who scanned them), machine telemetry through the
equipment channel's handler, meter readings through the energy app's device channel, line
profiles and order attributes through the scheduling app's profiles service.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.energy.service import meters
from loom.apps.energy.service.ingest import MAX_RECORDS, handle_meter_records
from loom.apps.equipment.service.seed import seed_equipment, telemetry
from loom.apps.quality.service import inspections
from loom.apps.quality.service.catalogue import seed_common
from loom.apps.scheduling.service import profiles
from loom.demo.factories import Floor
from loom.demo.styles import GARMENTS
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.events import LOCAL_TZ, local_day
from loom.modules.shopfloor.models import ProductionOrder, ScanEvent

#: days of inspections before today, and the defect codes inspectors find most
INSPECTION_DAYS = 14
#: days of daily meter readings before today
ENERGY_DAYS = 14
DEFECTS = ("SKIP", "BRKT", "OPEN", "PUCK", "UNEV", "THRD", "STAI", "MEAS")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def seed_quality(session: Session, scope: Scope, today: date, now: datetime) -> int:
    """Give the factory the defect catalogue and a month of inline and end-of-line checks."""
    seed_common(session, scope)
    rng = random.Random(f"quality-{scope.org_id}")
    since = _at(today - timedelta(days=INSPECTION_DAYS), 0)
    rows = session.execute(
        select(ScanEvent.line_id, ScanEvent.ts, ScanEvent.bundle_no, ScanEvent.operation_id)
        .where(
            ScanEvent.org_id == scope.org_id,
            ScanEvent.ts >= since,
            ScanEvent.kind == "done",
            ScanEvent.status == "applied",
        )
        .order_by(ScanEvent.ts)
    ).all()
    by_day: defaultdict[tuple[int, date], list[tuple[datetime, int, int]]] = defaultdict(list)
    finals: defaultdict[tuple[int, date], list[tuple[datetime, int, int]]] = defaultdict(list)
    final_ops = set(
        session.scalars(
            select(ScanEvent.operation_id)
            .where(ScanEvent.org_id == scope.org_id, ScanEvent.final.is_(True))
            .distinct()
        )
    )
    for line_id, ts, bundle, operation in rows:
        key = (line_id, local_day(ts))
        (finals if operation in final_ops else by_day)[key].append((ts, bundle, operation))
    made = 0
    for key in sorted(set(by_day) | set(finals)):
        for kind, pool in (("inline", by_day[key]), ("endline", finals[key])):
            # end-of-line checks daily, patrol (inline) checks every other day
            if not pool or (kind == "inline" and key[1].toordinal() % 2):
                continue
            ts, bundle, operation = pool[rng.randrange(len(pool))]
            when = min(ts + timedelta(minutes=rng.randint(5, 40)), now)
            found = [
                inspections.DefectCount(code, 1, None if kind == "inline" else operation)
                for code in rng.sample(DEFECTS, rng.choice((0, 0, 1, 1, 2, 3)))
            ]
            data = inspections.InspectionIn(
                kind=kind,
                line_id=key[0],
                pieces_checked=10 if kind == "inline" else 20,
                defects=tuple(found),
                operation_id=operation if kind == "inline" else None,
                bundle_no=bundle,
                inspected_at=when,
            )
            inspections.create(session, scope, data, now)
            made += 1
    return made


def seed_machines(
    session: Session, org: Organisation, scope: Scope, today: date, now: datetime, full: bool
) -> None:
    """Give the factory machines on its lines and their telemetry (the first one more)."""
    if full:
        # maintenance plans, rounds and breakdowns too: the equipment pages' walk-through
        seed_equipment(session, org, today=today, now=now)
    else:
        telemetry(session, scope, today, now)


def seed_energy(
    session: Session, scope: Scope, floor: Floor, today: date, days: int = ENERGY_DAYS
) -> int:
    """Add a main meter and one per line, and their 08:00 readings of every day; return them."""
    rng = random.Random(f"energy-{scope.org_id}")
    codes: list[tuple[str, str, int | None, bool]] = [(f"{floor.prefix}-E0", "总电表", None, True)]
    codes += [
        (f"{floor.prefix}-E{n}", f"缝制{n}线电表", line, False)
        for n, line in enumerate(floor.lines, start=1)
    ]
    records: list[dict[str, object]] = []
    for code, name, line, main in codes:
        meters.create(
            session,
            scope,
            meters.MeterIn(
                code=code,
                name=name,
                kind="electricity",
                attached_to="factory" if line is None else "line",
                line_id=line,
                main=main,
            ),
        )
        value = rng.randint(20_000, 90_000)
        # a line draws 60-110 kWh a working day; the main meter adds the plant's base load
        daily = (140 + 85 * len(floor.lines)) if main else 85
        for offset in range(days, -1, -1):
            day = today - timedelta(days=offset)
            records.append(
                {
                    "id": f"{code}-{day.isoformat()}",
                    "meter": code,
                    "ts": _at(day, 8).isoformat(),
                    "value": str(value),
                }
            )
            value += daily + rng.randint(-25, 25)
    stored = 0
    for first in range(0, len(records), MAX_RECORDS):
        stored += handle_meter_records(
            session, scope, records[first : first + MAX_RECORDS]
        ).accepted
    return stored


def seed_schedules(session: Session, scope: Scope, floor: Floor, staff: int, today: date) -> int:
    """Give each line its scheduling profile and every open order its attributes."""
    for n, line_id in enumerate(floor.lines):
        categories = sorted({GARMENTS[g].category for g in floor.garments})
        profiles.save_profile(
            session,
            scope,
            line_id,
            profiles.LineProfileIn(
                categories=categories,
                operators=staff,
                efficiency_pct=90 + 3 * n,
                # the floor works every day (as the simulated history does), New Year off
                weekdays=(0, 1, 2, 3, 4, 5, 6),
                holidays=(date(today.year + 1, 1, 1),),
                overtime={today + timedelta(days=3 + n): 90},
            ),
        )
    open_orders = session.scalars(
        select(ProductionOrder)
        .where(
            ProductionOrder.org_id == scope.org_id,
            ProductionOrder.status.in_(("open", "cutting", "sewing")),
        )
        .order_by(ProductionOrder.due_date, ProductionOrder.id)
    ).all()
    keys = {style_id: key for key, style_id in floor.styles.items()}
    for k, order in enumerate(open_orders):
        garment = GARMENTS[keys[order.style_id]]
        release = today + timedelta(days=4 * k) if order.status == "open" else None
        profiles.save_attrs(
            session,
            scope,
            order.id,
            profiles.OrderAttrsIn(
                category=garment.category, release_date=release, weight=1 + k % 3
            ),
        )
    return len(open_orders)
