"""The six demo factories: 90 days of scans that agree with every counter, and the apps' data."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.energy.models import EnergyMeter, EnergyReading
from loom.apps.equipment.models.telemetry import TelemetryRecord
from loom.apps.quality.models import Inspection
from loom.apps.scheduling.models.plans import LineProfile, OrderAttributes
from loom.demo.factories import FLOORS, HISTORY_DAYS
from loom.kernel.authz.guard import system_scope
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.modules.masterdata.models import Machine, Operator, ProductionLine, Style
from loom.modules.programme.models import Enterprise
from loom.modules.shopfloor.engine.events import local_day
from loom.modules.shopfloor.models import (
    Bundle,
    LineHour,
    OpCount,
    OperatorDay,
    ProductionOrder,
    Quarantined,
    ScanEvent,
)
from loom.modules.shopfloor.service.orders import final_operations

# one xdist worker seeds the district once for every test of the package
pytestmark = pytest.mark.xdist_group("demo")

SLUGS = [floor[0] for floor in FLOORS]


def _org(db: Session, slug: str) -> int:
    org_id = db.scalar(select(Organisation.id).where(Organisation.slug == slug))
    assert org_id is not None
    return org_id


def _sum(db: Session, column: object, org_id: int, *where: object) -> int:
    model = column.class_  # type: ignore[attr-defined]
    stmt = select(func.coalesce(func.sum(column), 0)).where(model.org_id == org_id, *where)
    return int(db.scalar(stmt) or 0)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_factory_has_scans_on_about_ninety_days(db: Session, slug: str) -> None:
    org_id = _org(db, slug)
    stamps = db.scalars(select(ScanEvent.ts).where(ScanEvent.org_id == org_id)).all()
    days = {local_day(ts) for ts in stamps}
    # the history starts 90 local days ago and runs to now: 90 full days, plus today when the
    # seed ran after the floor's 08:00 start
    assert HISTORY_DAYS <= len(days) <= HISTORY_DAYS + 1
    # every operator scans several bundles a day (a bundle takes 20-40 minutes at an operation)
    lines, staff = next((f[2], f[3]) for f in FLOORS if f[0] == slug)
    assert len(stamps) > 5 * lines * staff * HISTORY_DAYS
    # the simulated floor follows every rule: nothing was quarantined
    quarantined = db.scalar(
        select(func.count()).select_from(Quarantined).where(Quarantined.org_id == org_id)
    )
    assert quarantined == 0


@pytest.mark.parametrize("slug", SLUGS)
def test_scans_equal_the_wip_output_and_pay_counters(db: Session, slug: str) -> None:
    org_id = _org(db, slug)
    applied = (ScanEvent.status == "applied",)
    for kind, counter in (("done", "done_qty"), ("rework", "rework_qty"), ("defect", "defect_qty")):
        scanned = _sum(db, ScanEvent.qty, org_id, *applied, ScanEvent.kind == kind)
        assert scanned > 0, kind
        # the same pieces in the WIP counter (per order and operation), the line's hours and
        # the operators' days
        assert _sum(db, getattr(OpCount, counter), org_id) == scanned
        assert _sum(db, getattr(LineHour, counter), org_id) == scanned
        assert _sum(db, getattr(OperatorDay, counter), org_id) == scanned
    # pay: every done piece at the rate stored on its scan
    pay = db.scalar(
        select(func.sum(ScanEvent.qty * ScanEvent.rate_e4)).where(
            ScanEvent.org_id == org_id, ScanEvent.kind == "done", *applied
        )
    )
    assert _sum(db, OperatorDay.earnings_e4, org_id) == pay
    # a finished garment is a done scan of the routing's final operation
    finished = _sum(
        db, ScanEvent.qty, org_id, *applied, ScanEvent.kind == "done", ScanEvent.final.is_(True)
    )
    assert _sum(db, LineHour.output_qty, org_id) == finished


@pytest.mark.parametrize("slug", SLUGS)
def test_orders_are_done_in_progress_or_waiting_as_their_scans_say(db: Session, slug: str) -> None:
    org_id = _org(db, slug)
    orders = db.scalars(select(ProductionOrder).where(ProductionOrder.org_id == org_id)).all()
    statuses = Counter(o.status for o in orders)
    assert statuses["done"] >= 2
    assert statuses["sewing"] >= 1
    assert statuses["open"] >= 2
    finals = _finals(db, org_id, sorted({o.style_id for o in orders}))
    for order in orders:
        finished = _sum(
            db,
            OpCount.done_qty,
            org_id,
            OpCount.order_id == order.id,
            OpCount.operation_id == finals[order.style_id],
        )
        bundles = db.scalar(
            select(func.count()).select_from(Bundle).where(Bundle.order_id == order.id)
        )
        if order.status == "done":
            assert finished == order.total_qty
        elif order.status == "open":
            # waiting for the scheduler: not cut yet
            assert bundles == 0
            assert finished == 0
        else:
            assert bundles
            assert finished < order.total_qty


def _finals(db: Session, org_id: int, style_ids: list[int]) -> dict[int, int]:
    return final_operations(db, system_scope(org_id, OrgKind.ENTERPRISE, "test"), style_ids)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_factory_has_master_data_and_the_apps_data(db: Session, slug: str) -> None:
    org_id = _org(db, slug)
    lines = db.scalars(select(ProductionLine.id).where(ProductionLine.org_id == org_id)).all()
    expected_lines, staff = next((f[2], f[3]) for f in FLOORS if f[0] == slug)
    assert len(lines) == expected_lines

    def count(model: object, *where: object) -> int:
        stmt = select(func.count()).select_from(model).where(model.org_id == org_id, *where)  # type: ignore[attr-defined]
        return int(db.scalar(stmt) or 0)

    assert count(Operator) == expected_lines * staff
    assert count(Style) >= 2
    # the equipment seed puts four machines on each line, and they report telemetry
    assert count(Machine) == 4 * expected_lines
    assert count(TelemetryRecord) > 0
    # a main meter and one per line, read every morning for two weeks and today
    assert count(EnergyMeter) == 1 + expected_lines
    assert count(EnergyReading) == 15 * (1 + expected_lines)
    # inspections on bundles the floor sewed: inline ones trace their operator from the scans
    # (end-of-line checks need finished garments that day, which a line starting a new style
    # may not have for a few days; patrol checks are every other day of the fortnight)
    assert count(Inspection, Inspection.kind == "endline") >= 1
    assert count(Inspection, Inspection.kind == "inline") >= 5
    inline = db.scalars(
        select(Inspection.operator_source).where(
            Inspection.org_id == org_id, Inspection.kind == "inline"
        )
    ).all()
    assert inline
    assert set(inline) == {"scan"}
    assert count(LineProfile) == expected_lines
    waiting = count(ProductionOrder, ProductionOrder.status != "done")
    assert count(OrderAttributes) == waiting


def test_the_factories_are_linked_to_their_registry_entries(db: Session) -> None:
    linked = db.scalars(
        select(Organisation.slug)
        .join(Enterprise, Enterprise.enterprise_org_id == Organisation.id)
        .where(Organisation.slug.in_(SLUGS))
    ).all()
    assert sorted(linked) == sorted(SLUGS)
