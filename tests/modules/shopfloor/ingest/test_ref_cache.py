"""Ingest's copy of the reference data: read once, dropped the moment any writer changes it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, event, select, text
from sqlalchemy.orm import Session

from loom.kernel.db.base import utcnow
from loom.modules.masterdata.models import Operator
from loom.modules.shopfloor.engine.events import parser
from loom.modules.shopfloor.models import RefVersion, ScanEvent
from loom.modules.shopfloor.service import refcache
from loom.modules.shopfloor.service.resolve import judge, load_context
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.shopfloor.ingest.support import T0, Plant, make_plant
from tests.modules.shopfloor.test_line_plan_scans import planned_plant

#: every table the context reads, with a column an UPDATE can set to itself
WATCHED = {
    "shopfloor_bundle": "qty",
    "shopfloor_order": "line_id",
    "masterdata_routing_step": "seq",
    "masterdata_operation": "sam",
    "masterdata_piece_rate": "rate",
    "masterdata_operator": "line_id",
    "masterdata_workstation": "device_code",
    "masterdata_line_plan": "current",
}


def _token(session: Session, org_id: int) -> int | None:
    return session.execute(select(RefVersion.token).where(RefVersion.org_id == org_id)).scalar()


def _statements(session: Session, work: Any) -> list[str]:
    """Run ``work()`` and return the SQL statements it sent."""
    seen: list[str] = []
    engine = session.get_bind()

    def listener(*args: Any) -> None:
        if not args[2].startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE opens the transaction
            seen.append(args[2])  # (conn, cursor, statement, …)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


def _context(plant: Plant, session: Session) -> Any:
    sample = plant.sample
    bundles = {number for number, _, _ in sample.bundles}
    codes = set(sample.operators[sample.lines[0]])
    return load_context(session, plant.org.id, bundles, codes)


@both_backends
def test_a_warm_context_reads_only_the_token(factory: Factory) -> None:
    """The second batch of a factory costs one statement, and judges exactly as the first."""
    plant = make_plant(factory)
    with plant.session() as s:
        engine = s.get_bind()
        assert isinstance(engine, Engine)
        refcache.forget(engine)
        cold: list[Any] = []
        warm: list[Any] = []
        first = _statements(s, lambda: cold.append(_context(plant, s)))
        second = _statements(s, lambda: warm.append(_context(plant, s)))
    # token, bundles, routing, SAM, rates, operators (no devices, no "done" pairs)
    assert len(first) == 6
    assert len(second) == 1
    assert "shopfloor_ref_version" in second[0]
    sample = plant.sample
    number = sample.bundles[0][0]
    badge = sample.operators[sample.lines[0]][0]
    assert cold[0].bundles[number] == warm[0].bundles[number]
    assert cold[0].operators[badge] == warm[0].operators[badge]
    assert cold[0].routings == warm[0].routings
    assert cold[0].sams == warm[0].sams


@both_backends
def test_every_write_to_a_watched_table_moves_the_token(factory: Factory) -> None:
    """An UPDATE (even to the same value), INSERT or DELETE on any watched table moves it."""
    plant = planned_plant(factory).plant  # with a workstation and a published line plan
    org = plant.org.id
    with plant.session() as s:
        # a row in every watched table, or an UPDATE of none would move nothing
        counts = {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in WATCHED}
        assert all(counts.values()), counts
        before = _token(s, org)
        assert before is not None  # seeding the factory wrote the watched tables
        for table, column in WATCHED.items():
            previous = _token(s, org)
            sql = f"UPDATE {table} SET {column} = {column} WHERE org_id = :org"
            s.execute(text(sql), {"org": org})
            assert _token(s, org) != previous, table
        previous = _token(s, org)
        operator = Operator(org_id=org, code="NEW-1", name="新员工", line_id=None)
        s.add(operator)
        s.flush()
        inserted = _token(s, org)
        assert inserted != previous
        s.delete(operator)
        s.flush()
        assert _token(s, org) not in (inserted, previous)


@both_backends
def test_another_factory_keeps_its_own_token(factory: Factory) -> None:
    """Changing one factory's data leaves the other's token (and so its copy) alone."""
    one = make_plant(factory, "one")
    two = make_plant(factory, "two")
    with two.session() as s:
        kept = _token(s, two.org.id)
    with one.session() as s:
        s.execute(
            text("UPDATE masterdata_operation SET sam = sam WHERE org_id = :o"), {"o": one.org.id}
        )
    with two.session() as s:
        assert _token(s, two.org.id) == kept


@both_backends
def test_ingest_sees_a_change_made_outside_the_orm_at_once(factory: Factory) -> None:
    """A SAM changed by plain SQL and a badge added later both show on the very next batch."""
    plant = make_plant(factory)
    sample = plant.sample
    op = sample.operations[0]
    first = plant.event(0, 0, ts=T0)
    assert plant.post([first])["accepted"] == 1
    with plant.session() as s:
        # the cached context now holds this operation's SAM; change it behind the ORM's back
        old_sam = s.execute(text("SELECT sam FROM masterdata_operation WHERE id = :i"), {"i": op})
        sam = old_sam.scalar()
        s.execute(text("UPDATE masterdata_operation SET sam = 1.2345 WHERE id = :i"), {"i": op})
    assert plant.post([plant.event(1, 0, ts=T0 + timedelta(minutes=1))])["accepted"] == 1
    unknown = plant.event(2, 0, ts=T0 + timedelta(minutes=2), operator="LATE-1")
    answer = plant.post([unknown])
    assert answer["quarantined"] == 1  # no such badge yet, and the miss is held
    with plant.session() as s:
        s.add(Operator(org_id=plant.org.id, code="LATE-1", name="晚到", line_id=sample.lines[0]))
    again = plant.event(3, 0, ts=T0 + timedelta(minutes=3), operator="LATE-1")
    assert plant.post([again]) == {"accepted": 1, "duplicates": 0, "quarantined": 0, "rejected": []}
    with plant.session() as s:
        rows = s.execute(
            select(ScanEvent.bundle_no, ScanEvent.sam_e4, ScanEvent.status).order_by(ScanEvent.ts)
        ).all()
    numbers = [b for b, _, _ in sample.bundles[:4]]
    # SAM in ten-thousandths of a minute: the seeded value first, then 1.2345 min → 12,345
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (numbers[0], int(sam * 10_000), "applied"),
        (numbers[1], 12_345, "applied"),
        (numbers[2], 0, "quarantined"),
        (numbers[3], 12_345, "applied"),
    ]


def test_judging_from_the_copy_and_from_a_cold_read_agree(factory: Factory) -> None:
    """Every event of a mixed batch gets the same verdict from a warm copy as from a cold one."""
    plant = make_plant(factory)
    sample = plant.sample
    parse = parser(utcnow())
    events = [
        parse(plant.event(b, o, ts=T0 + timedelta(minutes=b * 9 + o)))
        for b in range(3)
        for o in range(len(sample.operations))
    ]
    events.append(parse(plant.event(0, 0, ts=T0, operator="NOBODY")))
    events.append(parse(plant.event(0, 0, ts=T0, bundle=987_654)))
    with plant.session() as s:
        engine = s.get_bind()
        assert isinstance(engine, Engine)

        def verdicts() -> list[Any]:
            ctx = load_context(
                s, plant.org.id, {e.bundle for e in events}, {e.operator for e in events}
            )
            return [judge(ctx, e) for e in events]

        refcache.forget(engine)
        cold = verdicts()
        warm = verdicts()
    assert cold == warm
    reasons = [v.reason for v in cold]
    assert reasons[-2:] == ["unknown_operator", "unknown_bundle"]
    assert set(reasons[:-2]) == {""}
