"""Energy per piece as the brain reads it: kgce and pieces per day, or nothing at all."""

from __future__ import annotations

from datetime import date, datetime

from fastapi.testclient import TestClient

from loom.apps.energy.engine.readings import LOCAL_TZ
from loom.apps.energy.service.brain_metrics import per_piece
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.spec import MetricSample
from loom.testing.factory import Factory, OrgRef
from tests.apps.energy.helpers import Plant, add_meter, add_output, read


def _local(day: int, hour: int) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=LOCAL_TZ)


def _samples(factory: Factory, org: OrgRef) -> list[MetricSample]:
    brain = system_scope(org.id, org.kind, "brain")
    with session_scope(factory.runtime.session_factory) as s, acting_as(s, brain) as scope:
        return list(per_piece(s, scope, date(2025, 3, 2), date(2025, 3, 3)))


def test_kgce_and_pieces_per_day(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    main = add_meter(admin)  # factory main meter, CT ratio 40
    for day, value in ((2, "1000"), (3, "1100"), (4, "1250")):
        assert read(admin, main["id"], f"2025-03-0{day}T00:00", value).status_code == 201
    add_output(factory.app, factory_org.id, plant.line_id, [(_local(2, 10), 800)])
    # (1 100 − 1 000) × 40 = 4 000 kWh × 0.1229 = 491.6 kgce over 800 pieces on the 2nd;
    # 150 × 40 = 6 000 kWh × 0.1229 = 737.4 kgce on the 3rd, without pieces (still counted:
    # the enterprise's own figure over both days is 1 229 / 800)
    samples = _samples(factory, factory_org)
    assert [(s.day.day, round(s.numerator, 4), s.denominator) for s in samples] == [
        (2, 491.6, 800.0),
        (3, 737.4, 0.0),
    ]


def test_an_enterprise_without_pieces_or_meters_offers_nothing(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    add_output(factory.app, factory_org.id, plant.line_id, [(_local(2, 10), 800)])
    assert _samples(factory, factory_org) == []  # pieces but no meter
    main = add_meter(admin)
    for day, value in ((2, "1000"), (3, "1100")):
        assert read(admin, main["id"], f"2025-03-0{day}T00:00", value).status_code == 201
    assert len(_samples(factory, factory_org)) == 1  # now both: 4 000 kWh on the 2nd
