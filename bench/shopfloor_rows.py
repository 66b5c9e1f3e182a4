"""Event rows exactly as ingest stores them, and the bare insert of such rows per dialect."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from loom.kernel.db.base import utcnow
from loom.modules.shopfloor.engine.events import parse_event
from loom.modules.shopfloor.service.eventstore import COLUMNS, event_row, sqlite_rows
from loom.modules.shopfloor.service.resolve import judge, load_context


def stored_rows(
    session: Session, org_id: int, events: Sequence[dict[str, object]], row_org: int
) -> list[tuple[Any, ...]]:
    """Return the rows ingest would store for ``events`` (in COLUMNS order), under ``row_org``.

    The events are parsed and judged by ingest's own functions against the organisation's
    reference data, so the baseline writes the same values that ingest writes.
    """
    now = utcnow()
    parsed = [parse_event(event, now) for event in events]
    ctx = load_context(session, org_id, {e.bundle for e in parsed}, {e.operator for e in parsed})
    rows = []
    for event in parsed:
        verdict = judge(ctx, event)
        if verdict.reason:
            raise RuntimeError(f"the plan holds an event ingest would quarantine: {verdict}")
        rows.append(event_row(row_org, event, verdict, now))
    return rows


def driver_rows(rows: Sequence[tuple[Any, ...]], dialect: str) -> list[tuple[Any, ...]]:
    """Return the rows as the driver receives them (SQLite: the text forms eventstore writes)."""
    return list(rows) if dialect == "postgresql" else sqlite_rows(rows)


def bare_insert_sql(dialect: str) -> str:
    """Return a plain multi-row-capable INSERT of every event column, for executemany."""
    mark = "%s" if dialect == "postgresql" else "?"
    return (
        f"INSERT INTO shopfloor_event ({', '.join(COLUMNS)}) "  # noqa: S608 - constant names
        f"VALUES ({', '.join([mark] * len(COLUMNS))})"
    )
