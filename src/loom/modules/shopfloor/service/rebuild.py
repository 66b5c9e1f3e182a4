"""Recompute every derived figure from the raw events, to check or replace the counters.

Both paths add events through ``counters.Deltas``; what a rebuild can find is an event stored but
not counted, counted twice, or a counter changed behind ingest's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from loom.modules.shopfloor.models import (
    LineHour,
    OpCount,
    OperatorDay,
    OperatorDayOperation,
    OperatorHour,
    ScanEvent,
)
from loom.modules.shopfloor.service.counters import SPECS, Deltas, apply_deltas

_TABLES = (OpCount, LineHour, OperatorHour, OperatorDay, OperatorDayOperation)


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild found: events read, counter rows, and the rows that differed."""

    events: int
    rows: int
    differences: list[str]


def from_events(session: Session, org_id: int) -> tuple[Deltas, int]:
    """Return the figures computed from the organisation's applied events, and their count."""
    columns = (
        ScanEvent.ts,
        ScanEvent.kind,
        ScanEvent.qty,
        ScanEvent.order_id,
        ScanEvent.operation_id,
        ScanEvent.line_id,
        ScanEvent.operator_id,
        ScanEvent.sam_e4,
        ScanEvent.rate_e4,
        ScanEvent.final,
    )
    stmt = (
        select(*columns)
        .where(ScanEvent.org_id == org_id, ScanEvent.status == "applied")
        .execution_options(yield_per=20_000)
    )
    deltas = Deltas()
    count = 0
    for row in session.execute(stmt):
        deltas.add(*row)  # type: ignore[arg-type, call-arg]
        count += 1
    return deltas, count


def from_counters(session: Session, org_id: int) -> Deltas:
    """Return the figures as the counter tables hold them."""
    deltas = Deltas()
    for name, table, keys, values in SPECS:
        cells: dict[tuple[Any, ...], list[int]] = getattr(deltas, name)
        stmt = select(*(table.c[k] for k in keys), *(table.c[v] for v in values)).where(
            table.c.org_id == org_id
        )
        for row in session.execute(stmt):
            cells[tuple(row[: len(keys)])] = list(row[len(keys) :])
    return deltas


def _normalised(cells: dict[tuple[Any, ...], list[int]]) -> dict[tuple[Any, ...], list[int]]:
    # a row of zeros says the same as no row
    return {key: sums for key, sums in cells.items() if any(sums)}


def differences(expected: Deltas, actual: Deltas, limit: int = 50) -> list[str]:
    """Return up to ``limit`` human-readable differences between two sets of figures."""
    found: list[str] = []
    for name, _table, keys, values in SPECS:
        want = _normalised(getattr(expected, name))
        have = _normalised(getattr(actual, name))
        for key in sorted(set(want) | set(have), key=repr):
            if want.get(key) != have.get(key):
                where = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
                found.append(
                    f"{name}[{where}]: events give {want.get(key)}, counters hold {have.get(key)}"
                    f" ({', '.join(values)})"
                )
                if len(found) >= limit:
                    return found
    return found


def check(session: Session, org_id: int) -> RebuildReport:
    """Compare the counters with a recomputation, changing nothing."""
    expected, count = from_events(session, org_id)
    actual = from_counters(session, org_id)
    rows = sum(len(_normalised(getattr(expected, name))) for name, *_ in SPECS)
    return RebuildReport(count, rows, differences(expected, actual))


def rebuild(session: Session, org_id: int) -> RebuildReport:
    """Replace the organisation's counters with figures recomputed from its events (flushes)."""
    before = check(session, org_id)
    for model in _TABLES:
        session.execute(delete(model).where(model.org_id == org_id))
    expected, _ = from_events(session, org_id)
    apply_deltas(session, org_id, expected)
    session.flush()
    return before
