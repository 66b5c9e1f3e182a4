"""The telemetry simulator: streams the ingest channel accepts and the OEE engine never sees
as silent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loom.apps.equipment.engine.oee import breakdown
from loom.apps.equipment.engine.timeline import StateReport, timeline
from loom.apps.equipment.service.telemetry_records import parse_record
from loom.apps.equipment.service.telemetry_simulator import SimMachine, factory_stream

START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
END = START + timedelta(hours=8)


def test_a_simulated_shift_is_valid_well_covered_and_reproducible() -> None:
    machines = [SimMachine("M01", 30.0), SimMachine("M02", None)]
    records = factory_stream(machines, START, END, seed=3)
    again = factory_stream(machines, START, END, seed=3)
    # ids are fresh UUIDv7s on every run; everything else repeats with the seed
    assert [{**r, "id": ""} for r in records] == [{**r, "id": ""} for r in again]
    parsed = [parse_record(r, END) for r in records]  # raises on any malformed record
    assert [r.ts for r in parsed] == sorted(r.ts for r in parsed)
    assert {r.machine for r in parsed} == {"M01", "M02"}
    assert {r.state for r in parsed if r.kind == "state"} >= {"running", "idle"}
    for code in ("M01", "M02"):
        mine = [r for r in parsed if r.machine == code]
        reports = [StateReport(r.ts, r.state or "", r.reason) for r in mine if r.kind == "state"]
        segments = timeline(START, END, reports, life=[r.ts for r in mine])
        # states are repeated every 10 min and counts come every 5: nothing is unknown
        assert breakdown(segments).unknown == 0
        pieces = sum(r.good + r.reject for r in mine)
        running = breakdown(segments).running
        # at most one piece per ideal cycle (30 s, the default for M02 too) of running time
        assert 0 < pieces <= running / 30
