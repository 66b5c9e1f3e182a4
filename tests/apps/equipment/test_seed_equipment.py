"""The demo seed of the equipment app: machines, maintenance history, rounds and telemetry."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import func, select

from loom.apps.equipment.models.maintenance import InspectionRound, WorkOrder
from loom.apps.equipment.models.telemetry import TelemetryRecord
from loom.apps.equipment.service import maintenance_due as due
from loom.apps.equipment.service.evidence import equipment_evidence, figures
from loom.apps.equipment.service.maintenance_common import factory_today
from loom.apps.equipment.service.seed import seed_equipment
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.modules.shopfloor.service.sample import seed_sample_factory
from loom.testing.factory import Factory


def test_seed_gives_the_demo_factory_a_history_due_items_and_telemetry(
    loom_app: FastAPI, factory: Factory
) -> None:
    ref = factory.org("yf-demo", OrgKind.ENTERPRISE, name="YF")
    today = factory_today()
    with session_scope(loom_app.state.loom.session_factory) as s:
        org = s.get(Organisation, ref.id)
        assert org is not None
        scope = system_scope(org.id, org.kind, "test")
        bind_scope(s, scope)
        seed_sample_factory(
            s, scope, prefix="YF", lines=2, operators_per_line=2, bundles_per_order=2
        )
        seeded = seed_equipment(s, org, today=today)
        assert seeded is not None
        # two lines YF-L1/YF-L2, four machines each
        assert sorted(seeded.machines) == [f"YF-L{n}-M0{k}" for n in (1, 2) for k in (1, 2, 3, 4)]
        assert seed_equipment(s, org, today=today) is None  # once only
        items = due.due_items(s, scope, today)
        by_pair = {(i.plan.code, i.machine.code): i for i in items}
        # HISTORY in seed.py: last served 31, 25, 10 and 31 days ago on a 30-day plan
        first = by_pair[("PM-LK-30", "YF-L1-M01")]
        assert (first.status, first.days_left, first.open_order) == ("overdue", -1, None)
        assert by_pair[("PM-LK-30", "YF-L1-M02")].days_left == 5
        assert by_pair[("PM-LK-30", "YF-L1-M02")].status == "due"
        assert by_pair[("PM-LK-30", "YF-L2-M01")].status == "planned"
        fourth = by_pair[("PM-LK-30", "YF-L2-M02")]
        assert fourth.status == "overdue"
        assert fourth.open_order is not None
        # a day and a half of telemetry is far below the overlock plan's 500 hours
        overlock = by_pair[("PM-OL-500H", "YF-L1-M03")]
        assert overlock.status == "planned"
        assert overlock.hours_run is not None
        assert 0 < overlock.hours_run < 30
        assert due.due_count(s, scope, today) == 2  # YF-L1-M01 and YF-L1-M02
        live = s.scalar(
            select(func.count())
            .select_from(WorkOrder)
            .where(WorkOrder.org_id == org.id, WorkOrder.status.in_(("open", "in_progress")))
        )
        # the fourth lockstitch's order, the order raised by the oil round, the motor breakdown
        assert live == 3
        rounds = s.scalar(
            select(func.count())
            .select_from(InspectionRound)
            .where(InspectionRound.org_id == org.id)
        )
        # 7 days × (6 machines with daily lists + 2 coverstitch machines × 2 shifts)
        assert rounds == 7 * (6 + 2 * 2)
        records = s.scalar(
            select(func.count(func.distinct(TelemetryRecord.machine_id))).where(
                TelemetryRecord.org_id == org.id
            )
        )
        assert records == 8
        found = figures(s, scope)
        # 2 + 2 + 3 + 2 preventive services; only YF-L1-M02's first one (55 days ago, due 61
        # days ago) was late: 8 of 9 on time = 89 %
        assert (found.preventive_closed, found.on_time, found.on_time_pct) == (9, 8, 89)
        assert (found.inspected_machines, found.machines, found.coverage_pct) == (8, 8, 100)
        [evidence] = equipment_evidence(s, scope)
        assert evidence.item_id == "S08"
        assert evidence.suggested_level == 3
        assert "8 of 8 machines" in evidence.summary
        last_close = s.scalar(
            select(func.max(WorkOrder.closed_at)).where(
                WorkOrder.org_id == org.id, WorkOrder.kind == "preventive"
            )
        )
        assert last_close is not None
        assert last_close.date() <= today - timedelta(days=9)  # history is in the past
