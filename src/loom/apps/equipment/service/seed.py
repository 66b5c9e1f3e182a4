"""The demo factory's equipment: machines on its lines, maintenance history and telemetry.

``seed_equipment`` gives the demo factory (yongfeng-apparel) eight machines on its two lines
(when its ledger is empty), spot-inspection checklists and a week of rounds, three
preventive plans with a history of closed work orders — one plan overdue at one machine, one
due soon at another — a few breakdowns, and yesterday's and today's shifts of telemetry sent
through the telemetry channel's handler, so the OEE pages and the assessment evidence show
figures. Running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.apps.equipment.models.maintenance import MaintenancePlan, WorkOrder
from loom.apps.equipment.service import maintenance_checklists as checklists
from loom.apps.equipment.service import maintenance_due as due
from loom.apps.equipment.service import maintenance_inspections as inspections
from loom.apps.equipment.service import maintenance_orders as orders
from loom.apps.equipment.service import maintenance_plans as plans
from loom.apps.equipment.service.telemetry import store_telemetry
from loom.apps.equipment.service.telemetry_settings import set_ideal_cycle
from loom.apps.equipment.service.telemetry_simulator import SimMachine, factory_stream
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import SCOPE_KEY, bind_scope
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Machine, ProductionLine
from loom.modules.masterdata.service import machines as ledger
from loom.modules.shopfloor.engine.events import LOCAL_TZ

#: per line: (suffix, machine type, brand, model, ideal seconds per piece)
MACHINES = (
    ("M01", "lockstitch", "JUKI", "DDL-9000C", 25),
    ("M02", "lockstitch", "JUKI", "DDL-9000C", 25),
    ("M03", "overlock", "Pegasus", "M952", 20),
    ("M04", "coverstitch", "Siruba", "F007K", 35),
)
CHECKLISTS = (
    (
        "lockstitch",
        "平车日点检",
        "daily",
        ("机针无弯曲", "油位在刻度内", "送布牙清洁", "压脚压力正常"),
    ),
    ("overlock", "包缝机日点检", "daily", ("刀片锋利", "线路畅通", "油位在刻度内")),
    ("coverstitch", "绷缝机班点检", "shift", ("针位正确", "线张力正常")),
)
ROUND_DAYS = 7
#: closed services of the monthly lockstitch plan (first due 61 days ago), days ago per
#: lockstitch by code: the first is now a day overdue, the second due in five days (its
#: first service came six days late), the third planned; the fourth is overdue with an order
HISTORY = ((61, 31), (55, 25), (61, 31, 10), (61, 31))
TELEMETRY_BATCH = 5_000
#: the telemetry's random seed: the same demo every time
TELEMETRY_SEED = 7


@dataclass(frozen=True)
class Seeded:
    """What the seed made: machines by code, and the overdue pair the demo starts from."""

    machines: dict[str, int]
    overdue_plan_id: int
    overdue_machine_id: int


@contextmanager
def _bound(session: Session, scope: Scope) -> Iterator[None]:
    previous = session.info.get(SCOPE_KEY)
    bind_scope(session, scope)
    try:
        yield
    finally:
        # the demo seed goes on with other organisations in the same session
        if previous is None:
            session.info.pop(SCOPE_KEY, None)
        else:
            session.info[SCOPE_KEY] = previous


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), LOCAL_TZ)


def _machines(session: Session, scope: Scope) -> dict[str, int]:
    """Return the ledger's machines by code, adding four per line to an empty ledger."""
    stmt = select(Machine).where(Machine.org_id == scope.org_id).order_by(Machine.code)
    found = {m.code: m.id for m in session.scalars(stmt)}
    if found:
        return found
    lines = session.scalars(
        select(ProductionLine)
        .where(ProductionLine.org_id == scope.org_id)
        .order_by(ProductionLine.code)
    ).all()
    for line in lines:
        for suffix, kind, brand, model, _cycle in MACHINES:
            data = ledger.MachineIn(
                code=f"{line.code}-{suffix}",
                machine_type=kind,
                brand=brand,
                model=model,
                serial=f"SN-{line.code}-{suffix}",
                line_id=line.id,
                purchased_on=date(2021, 3, 1),
            )
            machine = ledger.create(session, scope, data)
            found[machine.code] = machine.id
    for code, machine_id in found.items():
        cycle = next((c for s, *_rest, c in MACHINES if code.endswith(s)), None)
        if cycle is not None:
            set_ideal_cycle(session, scope, machine_id, cycle)
    return found


def _backdate(order: WorkOrder, opened: datetime, minutes: int) -> None:
    """Move a demo order's times into the past: it was opened, worked and closed then."""
    order.opened_at = opened
    order.started_at = opened + timedelta(minutes=10) if order.started_at else None
    if order.closed_at is not None:
        order.closed_at = opened + timedelta(minutes=10 + minutes)


def _history(
    session: Session, scope: Scope, plan: MaintenancePlan, machine_id: int, closed_on: date
) -> None:
    """Record a preventive order of ``plan`` at the machine, served on ``closed_on``."""
    order = due.open_from_plan(session, scope, plan.id, machine_id, closed_on)
    orders.start(session, scope, order.id, "王师傅")
    done = orders.CloseIn(
        downtime_minutes=40,
        resolution="按清单完成保养",
        parts=[orders.Part("缝纫机油 100 ml", 1)],
        done_items=list(range(len(order.checklist))),
    )
    orders.close(session, scope, order.id, done)
    _backdate(order, _at(closed_on, 13, 0), 40)
    session.flush()


def _plans(session: Session, scope: Scope, found: dict[str, int], today: date) -> Seeded:
    lockstitch = plans.create(
        session,
        scope,
        plans.PlanIn(
            code="PM-LK-30",
            name="平车月度保养",
            starts_on=today - timedelta(days=61),
            machine_type="lockstitch",
            interval_days=30,
            checklist=["清洁旋梭和送布牙", "加缝纫机油", "检查针杆间隙", "试缝检查线迹"],
        ),
    )
    plans.create(
        session,
        scope,
        plans.PlanIn(
            code="PM-OL-500H",
            name="包缝机 500 小时保养",
            starts_on=today - timedelta(days=30),
            machine_type="overlock",
            interval_hours=500,
            checklist=["更换上下刀", "清理线路和油盘", "检查差动送布"],
        ),
    )
    plans.create(
        session,
        scope,
        plans.PlanIn(
            code="PM-CS-90",
            name="绷缝机季度保养",
            starts_on=today + timedelta(days=20),
            machine_type="coverstitch",
            interval_days=90,
            checklist=["拆洗针板", "检查弯针", "加油"],
        ),
    )
    codes = sorted(code for code in found if code.endswith(("M01", "M02")))
    for code, closes in zip(codes, HISTORY, strict=False):
        for days_ago in closes:
            _history(session, scope, lockstitch, found[code], today - timedelta(days=days_ago))
    if len(codes) == len(HISTORY):
        # the last lockstitch's order for its overdue service is open, not yet started
        due.open_from_plan(session, scope, lockstitch.id, found[codes[-1]], today)
    return Seeded(found, lockstitch.id, found[codes[0]])


def _rounds(session: Session, scope: Scope, found: dict[str, int], today: date) -> None:
    for kind, name, frequency, items in CHECKLISTS:
        checklists.create_template(
            session, scope, checklists.TemplateIn(kind, name, frequency, list(items))
        )
    abnormal: list[int] = []
    for offset in range(ROUND_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        for code, machine_id in sorted(found.items()):
            suffix = code.rsplit("-", 1)[-1]
            size = {"M01": 4, "M02": 4, "M03": 3, "M04": 2}.get(suffix, 0)
            if not size:
                continue
            results = [inspections.Result(True, "")] * size
            if offset == 1 and code.endswith("L1-M02"):
                results = [inspections.Result(True, ""), inspections.Result(False, "油位低于下限")]
                results += [inspections.Result(True, "")] * (size - 2)
            shifts = ("day", "night") if suffix == "M04" else ("",)
            for shift in shifts:
                data = inspections.RoundIn(machine_id, day, "张师傅", list(results), shift)
                row = inspections.record_round(session, scope, data, today)
                row.recorded_at = _at(day, 8, 30)
                if row.abnormal:
                    abnormal.append(row.id)
    for round_id in abnormal:
        inspections.raise_order(session, scope, round_id, 1, "high")


def _breakdowns(session: Session, scope: Scope, found: dict[str, int], today: date) -> None:
    coverstitch = sorted(code for code in found if code.endswith("M04"))
    if not coverstitch:
        return
    fixed = orders.create_breakdown(
        session, scope, orders.OrderIn(found[coverstitch[0]], "跳线，线迹不良", "high", "李师傅")
    )
    orders.start(session, scope, fixed.id)
    orders.close(
        session,
        scope,
        fixed.id,
        orders.CloseIn(35, "更换机针，调整线张力", [orders.Part("机针 DBx1 #11", 2)]),
    )
    _backdate(fixed, _at(today - timedelta(days=1), 10, 15), 35)
    broken = orders.create_breakdown(
        session, scope, orders.OrderIn(found[coverstitch[-1]], "电机异响", "urgent", "李师傅")
    )
    orders.start(session, scope, broken.id)


def telemetry(session: Session, scope: Scope, today: date, now: datetime) -> int:
    """Send yesterday's shift and today's up to now through the channel; return the count."""
    found = _machines(session, scope)
    cycles = {suffix: float(cycle) for suffix, *_rest, cycle in MACHINES}
    machines = [SimMachine(code, cycles.get(code.rsplit("-", 1)[-1])) for code in sorted(found)]
    windows = [(_at(today - timedelta(days=1), 8), _at(today - timedelta(days=1), 17))]
    if now > _at(today, 8):
        windows.append((_at(today, 8), min(now, _at(today, 17))))
    records: list[dict[str, object]] = []
    for start, end in windows:
        records += factory_stream(machines, start, end, TELEMETRY_SEED)
    accepted = 0
    for first in range(0, len(records), TELEMETRY_BATCH):
        batch = records[first : first + TELEMETRY_BATCH]
        accepted += store_telemetry(session, scope, batch).accepted
    return accepted


def seed_equipment(
    session: Session, org: Organisation, *, today: date, now: datetime | None = None
) -> Seeded | None:
    """Seed the demo factory's equipment once; None when it was seeded before."""
    scope = system_scope(org.id, org.kind, "demo-seed")
    seeded = session.scalar(
        select(MaintenancePlan.id).where(MaintenancePlan.org_id == org.id).limit(1)
    )
    if seeded is not None:
        return None
    with _bound(session, scope):
        found = _machines(session, scope)
        result = _plans(session, scope, found, today)
        _rounds(session, scope, found, today)
        _breakdowns(session, scope, found, today)
        telemetry(session, scope, today, now or utcnow())
        session.flush()
    return result
