"""The dashboard's figures in fewer statements: every meter's readings at once, pieces by day."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from loom.apps.energy.engine.readings import LOCAL_TZ
from loom.apps.energy.service import figures
from loom.apps.energy.service.meters import all_meters
from loom.apps.energy.settings import load_settings
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import bind_scope
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.enablement import stored_settings
from loom.kernel.tenancy.models import OrgKind, Role
from loom.kernel.tenancy.scope import Scope
from loom.testing.factory import Factory, OrgRef
from loom.testing.plugin import both_backends
from loom.testing.statements import selects_during
from tests.apps.energy.helpers import API, Plant, add_meter, add_output, read

T = TypeVar("T")
FIRST, LAST = date(2025, 3, 2), date(2025, 3, 3)


def _local(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=LOCAL_TZ)


@contextmanager
def _scoped(factory: Factory, org: OrgRef) -> Iterator[tuple[Session, Scope]]:
    scope = system_scope(org.id, org.kind, "test")
    with session_scope(factory.runtime.session_factory) as db:
        bind_scope(db, scope)
        yield db, scope


def _counted(factory: Factory, action: Callable[[], T]) -> tuple[T, list[str]]:
    return selects_during(factory.runtime.engine, action)


def _meters(admin: TestClient, plant: Plant) -> dict[str, int]:
    """Three meters whose readings sit inside, at both edges and outside 2–3 March."""
    main = add_meter(admin)  # register, CT ratio 40
    # 27 Feb and 6 Mar lie beyond the nearest readings outside the window: never read
    for at, value in (
        ("2025-02-27T12:00", "800"),
        ("2025-02-28T12:00", "900"),
        ("2025-03-02T12:00", "1000"),
        ("2025-03-03T12:00", "1100"),
        ("2025-03-05T12:00", "1300"),
        ("2025-03-06T12:00", "1400"),
    ):
        assert read(admin, main["id"], at, value).status_code == 201
    line = add_meter(
        admin, code="E-L1", attached_to="line", line_id=plant.line_id, main=False, multiplier="1"
    )
    # no reading inside the window: both intervals' ends come from outside it
    assert read(admin, line["id"], "2025-03-01T00:00", "0").status_code == 201
    assert read(admin, line["id"], "2025-03-05T00:00", "96").status_code == 201
    gas = add_meter(admin, code="G-1", kind="natural_gas", mode="period", multiplier="1")
    bill = {"period_start": "2025-03-01", "period_end": "2025-03-04", "value": "400"}
    assert admin.post(f"{API}/meters/{gas['id']}/readings", json=bill).status_code == 201
    return {"main": main["id"], "line": line["id"], "gas": gas["id"]}


@both_backends
def test_every_meters_readings_come_in_one_statement(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    ids = _meters(admin, plant)
    with _scoped(factory, factory_org) as (db, scope):
        meters = all_meters(db, scope)
        (series, skipped), sql = _counted(
            factory, lambda: figures.meter_series(db, meters, FIRST, LAST)
        )
    assert sum("FROM energy_reading" in s for s in sql) == 1
    assert len(sql) == 1
    assert skipped == 0
    days = {m.meter_id: dict(m.by_day) for m in series}
    # main: 28 Feb 12:00 -> 2 Mar 12:00, 100 x 40 = 4 000 kWh over 48 h: 12 h on the 2nd = 1 000;
    # 2 Mar 12:00 -> 3 Mar 12:00, 4 000: 2 000 on each day; 3 Mar 12:00 -> 5 Mar 12:00,
    # 200 x 40 = 8 000 over 48 h: 12 h on the 3rd = 2 000. So 3 000 and 4 000.
    assert days[ids["main"]] == {FIRST: Decimal(3000), LAST: Decimal(4000)}
    # line: 96 kWh over the 96 h from 1 Mar to 5 Mar: 24 a day
    assert days[ids["line"]] == {FIRST: Decimal(24), LAST: Decimal(24)}
    # the bill: 400 m³ over 1–4 March: 100 a day
    assert days[ids["gas"]] == {FIRST: Decimal(100), LAST: Decimal(100)}


@both_backends
def test_another_enterprises_meters_read_nothing_under_this_scope(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    _meters(admin, plant)
    other = factory.org("other-en", OrgKind.ENTERPRISE)
    factory.user("olga", (other, Role.ADMIN))
    theirs = add_meter(factory.client("olga"), code="E-MAIN")
    assert read(factory.client("olga"), theirs["id"], "2025-03-02T12:00", "5").status_code == 201
    with _scoped(factory, factory_org) as (db, scope):
        mine = all_meters(db, scope)
    with _scoped(factory, other) as (db, scope):
        # A's meter rows handed to B's session: the tenant criteria keep A's readings out
        series, _skipped = figures.meter_series(db, mine, date(2025, 2, 1), date(2025, 3, 31))
        assert all(not m.by_day for m in series)
        assert [m.code for m in all_meters(db, scope)] == ["E-MAIN"]


@both_backends
def test_pieces_are_summed_by_local_day(
    factory: Factory, factory_org: OrgRef, admin: TestClient, plant: Plant
) -> None:
    # 23:00 on the 2nd is still the 2nd in China; 00:00 and 10:00 on the 3rd are the 3rd
    rows = [(_local(2, 23), 5), (_local(3, 0), 7), (_local(3, 10), 11), (_local(4, 0), 13)]
    add_output(factory.app, factory_org.id, plant.line_id, rows)
    with _scoped(factory, factory_org) as (db, scope):
        got = figures.pieces_by_line(db, scope, FIRST, LAST)
    # 5 on the 2nd, 7 + 11 = 18 on the 3rd; the 4th lies outside the span
    assert got == {plant.line_id: {FIRST: 5, LAST: 18}}


@both_backends
def test_the_dashboard_reads_settings_with_the_enablement_rows(
    factory: Factory, factory_org: OrgRef, admin: TestClient
) -> None:
    form = {"electricity_basis": "equal", "electricity_equal_kgce": "0.3"}
    assert admin.post("/apps/energy/r1", data=form).status_code in (200, 303)
    with _scoped(factory, factory_org) as (db, _scope):
        stored_settings(db, factory_org.id, "energy")  # the request's app check reads them
        settings, sql = _counted(factory, lambda: load_settings(db, factory_org.id))
    assert sql == []
    assert settings.electricity_basis == "equal"
    assert settings.coefficients().electricity == Decimal("0.3")
