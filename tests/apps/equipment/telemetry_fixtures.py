"""A small machine ledger and telemetry records for the equipment telemetry and OEE tests.

Line L1 works 480 minutes from 08:00 Beijing time with lunch 12:00–13:00 (the app's default
settings), so its shift on 2026-03-02 runs 00:00–09:00 UTC with a planned stop 04:00–05:00 UTC.
Machines M01 and M02 stand on L1; M03 stands on no line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from loom.modules.masterdata.models import Machine, ProductionLine
from loom.modules.shopfloor.engine import keys

TELEMETRY_WRITE = ["equipment.telemetry.write"]
#: the shift of 2026-03-02 begins at 08:00 Beijing time = 00:00 UTC
SHIFT_START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Ledger:
    """Ids of the seeded line and machines."""

    line_id: int
    machine_ids: dict[str, int]


def seed_ledger(factory: sessionmaker[Session], org_id: int, *, line_code: str = "L1") -> Ledger:
    """Write line L1 and machines M01, M02 (on L1) and M03 (on no line) for ``org_id``."""
    with factory() as s:
        line = ProductionLine(org_id=org_id, code=line_code, name="缝制一线", shift_minutes=480)
        s.add(line)
        s.flush()
        machines = {
            code: Machine(org_id=org_id, code=code, machine_type="lockstitch", line_id=line_id)
            for code, line_id in (("M01", line.id), ("M02", line.id), ("M03", None))
        }
        s.add_all(machines.values())
        s.commit()
        return Ledger(line.id, {code: m.id for code, m in machines.items()})


def at(minutes: float) -> datetime:
    """Return the shift's start plus ``minutes``."""
    return SHIFT_START + timedelta(minutes=minutes)


def state(minute: float, machine: str, value: str, reason: str | None = None) -> dict[str, Any]:
    """Return a state record with a fresh UUIDv7 id."""
    ts = at(minute)
    record: dict[str, Any] = {
        "id": str(keys.uuid7(ts)),
        "ts": ts.isoformat(),
        "machine": machine,
        "kind": "state",
        "state": value,
    }
    if reason is not None:
        record["reason"] = reason
    return record


def count(minute: float, machine: str, good: int, reject: int = 0) -> dict[str, Any]:
    """Return a count record with a fresh UUIDv7 id."""
    ts = at(minute)
    return {
        "id": str(keys.uuid7(ts)),
        "ts": ts.isoformat(),
        "machine": machine,
        "kind": "count",
        "good": good,
        "reject": reject,
    }
