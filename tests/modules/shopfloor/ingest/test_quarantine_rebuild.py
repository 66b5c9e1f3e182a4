"""Quarantine fixes and discards, pay at the rate valid at scan time, and the rebuild's check."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from loom.kernel.audit.models import AuditEvent
from loom.kernel.authz.guard import system_scope
from loom.kernel.errors import Conflict, ValidationFailed
from loom.modules.masterdata.models import PieceRate
from loom.modules.shopfloor.models import OpCount, OperatorDay, Quarantined, ScanEvent
from loom.modules.shopfloor.service import quarantine, rebuild
from loom.testing.factory import Factory
from loom.testing.plugin import LoomCli

from .support import T0, Plant, make_plant


@pytest.fixture
def plant(factory: Factory) -> Plant:
    """A sample factory with one line."""
    return make_plant(factory)


def _entry(plant: Plant, reason: str) -> int:
    with plant.session() as s:
        found = s.scalar(select(Quarantined.id).where(Quarantined.reason == reason))
        assert found is not None
        return int(found)


def test_fixing_a_wrong_operator_applies_the_event_once(plant: Plant) -> None:
    """A scan with a mistyped badge is re-applied after the fix, and counts exactly once."""
    assert plant.post([plant.event(0, 0, operator="S1O1")])["quarantined"] == 1
    entry = _entry(plant, "unknown_operator")
    scope = system_scope(plant.org.id, plant.org.kind, "test")
    with plant.session() as s, pytest.raises(ValidationFailed) as refused:
        quarantine.fix(s, scope, entry, operator_code="STILL-WRONG")
    assert refused.value.field == "operator_code"
    good = plant.sample.operators[plant.sample.lines[0]][0]
    with plant.session() as s:
        fixed = quarantine.fix(s, scope, entry, operator_code=good)
        assert fixed.status == "fixed"
    with plant.session() as s:
        assert s.scalar(select(OpCount.done_qty)) == 20
        assert s.scalars(select(ScanEvent.status)).all() == ["applied"]
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.org_id == plant.org.id))
        assert "shopfloor.quarantine.fixed" in list(actions)
        assert rebuild.check(s, plant.org.id).differences == []
    with plant.session() as s, pytest.raises(Conflict):
        quarantine.fix(s, scope, entry, operator_code=good)


def test_a_double_scan_cannot_be_fixed_into_a_second_payment(plant: Plant) -> None:
    """Re-applying the second "done" of a coupon unchanged is refused, naming the operation."""
    first, again = plant.event(0, 0), plant.event(0, 0, ts=T0 + timedelta(minutes=1))
    assert plant.post([first, again])["quarantined"] == 1
    entry = _entry(plant, "done_twice")
    scope = system_scope(plant.org.id, plant.org.kind, "test")
    with plant.session() as s, pytest.raises(ValidationFailed) as refused:
        quarantine.fix(s, scope, entry)
    assert refused.value.field == "operation_id"
    with plant.session() as s:
        assert quarantine.discard(s, scope, entry).status == "discarded"
    with plant.session() as s:
        assert sorted(s.scalars(select(ScanEvent.status))) == ["applied", "discarded"]
        assert s.scalar(select(OpCount.done_qty)) == 20
        assert quarantine.search(s, scope).total == 0
        assert quarantine.search(s, scope, status="discarded").total == 1


def test_pay_uses_the_rate_valid_on_the_scan_day(plant: Plant) -> None:
    """A rate version effective 2026-03-03 pays scans from that Beijing day on, not before."""
    op = plant.sample.operations[0]
    with plant.session() as s:
        s.add(
            PieceRate(
                org_id=plant.org.id,
                operation_id=op,
                effective_from=date(2026, 3, 3),
                rate=Decimal("0.10"),
            )
        )
    # T0 is 2026-03-02 09:15 Beijing; +15 h is 2026-03-03 00:15 Beijing (16:15 UTC on the 2nd)
    late = T0 + timedelta(hours=15)
    assert plant.post([plant.event(0, 0), plant.event(1, 0, ts=late)])["accepted"] == 2
    with plant.session() as s:
        days = {d.day: d.earnings_e4 for d in s.scalars(select(OperatorDay))}
    # 20 pieces × 0.08 = 1.60 CNY on the 2nd; 20 × 0.10 = 2.00 CNY on the 3rd
    assert days == {date(2026, 3, 2): 16_000, date(2026, 3, 3): 20_000}


def test_an_operation_without_a_rate_yet_is_quarantined(plant: Plant) -> None:
    """Before the first rate version there is nothing to pay: the scan waits in quarantine."""
    op = plant.sample.operations[0]
    with plant.session() as s:
        s.execute(
            update(PieceRate)
            .where(PieceRate.operation_id == op)
            .values(effective_from=date(2027, 1, 1))
        )
    assert plant.post([plant.event(0, 0)])["quarantined"] == 1
    assert _entry(plant, "no_rate")


def test_rebuild_finds_a_tampered_counter_and_restores_it(plant: Plant) -> None:
    """The check names a counter changed behind ingest's back; rebuild puts it right."""
    batch = [plant.event(b, o) for b in range(3) for o in range(4)]
    batch.append(plant.event(0, 1, kind="rework", qty=2, ts=T0 + timedelta(minutes=9)))
    assert plant.post(batch)["accepted"] == 13
    with plant.session() as s:
        report = rebuild.check(s, plant.org.id)
        assert (report.events, report.differences) == (13, [])
        s.execute(update(OpCount).values(done_qty=OpCount.done_qty + 1))
    with plant.session() as s:
        found = rebuild.check(s, plant.org.id).differences
        assert len(found) == 4  # one OpCount row per operation touched
        assert all(line.startswith("op[") for line in found)
        rebuild.rebuild(s, plant.org.id)
    with plant.session() as s:
        assert rebuild.check(s, plant.org.id).differences == []
        assert sum(s.scalars(select(OpCount.done_qty))) == 12 * 20


def test_the_rebuild_command_checks_every_enterprise(factory: Factory, loom_cli: LoomCli) -> None:
    """`loom shopfloor rebuild --check` exits 0 when counters agree and 1 when they do not."""
    plant = make_plant(factory)
    assert plant.post([plant.event(0, 0), plant.event(1, 0)])["accepted"] == 2
    run = loom_cli
    result = run("shopfloor", "rebuild", "--check", "--json")
    assert result.exit_code == 0, result.output
    assert '"differences": []' in result.output
    with plant.session() as s:
        s.execute(update(OperatorDay).values(earnings_e4=1))
    result = run("shopfloor", "rebuild", "--check")
    assert result.exit_code == 1
    assert "operator_day[" in result.output
    assert run("shopfloor", "rebuild").exit_code == 0
    assert run("shopfloor", "rebuild", "--check").exit_code == 0
