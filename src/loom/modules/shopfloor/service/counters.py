"""The derived figures as additive deltas, and their upsert into the counter tables.

Ingest, quarantine fixes and the rebuild all go through ``Deltas``: one definition of what an
applied event adds, so the incremental figures and a rebuild cannot drift apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from loom.modules.shopfloor.engine.events import hour_of, local_day
from loom.modules.shopfloor.models import (
    LineHour,
    OpCount,
    OperatorDay,
    OperatorDayOperation,
    OperatorHour,
)
from loom.modules.shopfloor.service.eventstore import pg_array, utc_naive


def _zero5() -> list[int]:
    return [0, 0, 0, 0, 0]


def _zero1() -> list[int]:
    return [0]


def _zero3() -> list[int]:
    return [0, 0, 0]


@dataclass
class Deltas:
    """Sums to add to each counter row, keyed by the row's primary key (without org_id)."""

    op: defaultdict[tuple[int, int, int], list[int]] = field(
        default_factory=lambda: defaultdict(_zero3)
    )
    line_hour: defaultdict[tuple[int, datetime], list[int]] = field(
        default_factory=lambda: defaultdict(_zero5)
    )
    operator_hour: defaultdict[tuple[int, datetime, int], list[int]] = field(
        default_factory=lambda: defaultdict(_zero3)
    )
    operator_day: defaultdict[tuple[int, date], list[int]] = field(
        default_factory=lambda: defaultdict(_zero5)
    )
    operator_day_op: defaultdict[tuple[int, date, int, int], list[int]] = field(
        default_factory=lambda: defaultdict(_zero1)
    )
    _days: dict[datetime, date] = field(default_factory=dict, repr=False, compare=False)

    def add(
        self,
        ts: datetime,
        kind: str,
        qty: int,
        order_id: int,
        operation_id: int,
        line_id: int,
        operator_id: int,
        sam_e4: int,
        rate_e4: int,
        final: bool,
    ) -> None:
        """Add one applied event: done pieces earn minutes and pay, rework and defects count."""
        hour = hour_of(ts)
        self.add_in_hour(
            hour, kind, qty, order_id, operation_id, line_id, operator_id, sam_e4, rate_e4, final
        )

    def add_in_hour(
        self,
        hour: datetime,
        kind: str,
        qty: int,
        order_id: int,
        operation_id: int,
        line_id: int,
        operator_id: int,
        sam_e4: int,
        rate_e4: int,
        final: bool,
    ) -> None:
        """Add applied pieces scanned in ``hour`` (a UTC hour, as ``hour_of`` gives it)."""
        done = qty if kind == "done" else 0
        rework = qty if kind == "rework" else 0
        defect = qty if kind == "defect" else 0
        earned = done * sam_e4
        pay = done * rate_e4
        day = self._days.get(hour)
        if day is None:
            # Beijing's offset is whole hours, so the UTC hour fixes the local day
            day = self._days[hour] = local_day(hour)
        op = self.op[(order_id, operation_id, line_id)]
        op[0] += done
        op[1] += rework
        op[2] += defect
        line = self.line_hour[(line_id, hour)]
        line[0] += done if final else 0
        line[1] += done
        line[2] += earned
        line[3] += rework
        line[4] += defect
        # every applied event, rework included, marks the operator present in that hour
        person = self.operator_hour[(operator_id, hour, line_id)]
        person[0] += done
        person[1] += earned
        person[2] += pay
        day_sums = self.operator_day[(operator_id, day)]
        day_sums[0] += done
        day_sums[1] += earned
        day_sums[2] += pay
        day_sums[3] += rework
        day_sums[4] += defect
        if done:
            self.operator_day_op[(operator_id, day, operation_id, rate_e4)][0] += done

    def __bool__(self) -> bool:
        return bool(self.op or self.operator_hour)


SPECS: tuple[tuple[str, Any, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "op",
        OpCount.__table__,
        ("order_id", "operation_id", "line_id"),
        ("done_qty", "rework_qty", "defect_qty"),
    ),
    (
        "line_hour",
        LineHour.__table__,
        ("line_id", "hour"),
        ("output_qty", "done_qty", "earned_e4", "rework_qty", "defect_qty"),
    ),
    (
        "operator_hour",
        OperatorHour.__table__,
        ("operator_id", "hour", "line_id"),
        ("done_qty", "earned_e4", "earnings_e4"),
    ),
    (
        "operator_day",
        OperatorDay.__table__,
        ("operator_id", "day"),
        ("done_qty", "earned_e4", "earnings_e4", "rework_qty", "defect_qty"),
    ),
    (
        "operator_day_op",
        OperatorDayOperation.__table__,
        ("operator_id", "day", "operation_id", "rate_e4"),
        ("done_qty",),
    ),
)


def _upsert_sql(table: Any, keys: tuple[str, ...], values: tuple[str, ...]) -> str:
    names = ("org_id", *keys, *values)
    adds = ", ".join(f"{v} = {table.name}.{v} + excluded.{v}" for v in values)
    return (
        f"INSERT INTO {table.name} ({', '.join(names)}) "  # noqa: S608 - constant names  # nosec B608
        f"VALUES ({', '.join(['?'] * len(names))}) "
        f"ON CONFLICT (org_id, {', '.join(keys)}) DO UPDATE SET {adds}"
    )


def _pg_upsert_sql(table: Any, keys: tuple[str, ...], values: tuple[str, ...]) -> str:
    # one array per column: the statement's text and plan stay the same whatever the row count
    names = (*keys, *values)
    types = ", ".join(f"%s::{table.c[name].type.compile(dialect=_PG)}[]" for name in names)
    adds = ", ".join(f"{v} = {table.name}.{v} + excluded.{v}" for v in values)
    return (
        f"INSERT INTO {table.name} (org_id, {', '.join(names)}) "  # noqa: S608 - constant names  # nosec B608
        f"SELECT %s, {', '.join(names)} "
        f"FROM unnest({types}) WITH ORDINALITY AS u({', '.join(names)}, n) "
        "ORDER BY n "
        f"ON CONFLICT (org_id, {', '.join(keys)}) DO UPDATE SET {adds}"
    )


_PG: Any = postgresql.dialect()  # type: ignore[no-untyped-call]
_SQLITE_UPSERTS = [_upsert_sql(table, keys, values) for _name, table, keys, values in SPECS]
_PG_UPSERTS = [_pg_upsert_sql(table, keys, values) for _name, table, keys, values in SPECS]


def _sqlite_value(value: Any) -> Any:
    # the text forms SQLAlchemy's DateTime and Date types store on SQLite
    if isinstance(value, datetime):
        return utc_naive(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def apply_deltas(session: Session, org_id: int, deltas: Deltas) -> None:
    """Add the deltas to the counter rows, creating rows on first use (one upsert per table).

    Plain SQL rather than SQLAlchemy's insert construct: this runs for every ingest batch, and
    the construct's per-row bookkeeping cost more than the database's own work.
    """
    connection = session.connection()
    sqlite = session.get_bind().dialect.name != "postgresql"
    # a batch's keys share a few hours and days: format each once, not once per counter row
    memo: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if type(value) is int:
            return value
        found = memo.get(value)
        if found is None:
            found = memo[value] = _sqlite_value(value)
        return found

    for (name, *_), sqlite_sql, pg_sql in zip(SPECS, _SQLITE_UPSERTS, _PG_UPSERTS, strict=True):
        cells: dict[tuple[Any, ...], list[int]] = getattr(deltas, name)
        if not cells:
            continue
        if sqlite:
            # one writer at a time: no lock order to keep, so no sort
            rows = [(org_id, *map(convert, key), *sums) for key, sums in cells.items()]
            connection.exec_driver_sql(sqlite_sql, rows)
            continue
        # Rows in key order: two transactions touching the same counters then lock them in the
        # same order, so concurrent workers on PostgreSQL queue instead of deadlocking.
        ordered = sorted(cells.items())
        # PostgreSQL: one statement per table with a column array each, rather than
        # executemany (a round trip per row) or a multi-row VALUES (planned anew every batch).
        # Rows are inserted, and so locked, in ordinality order, which is the key order above.
        columns = [
            pg_array(column)
            for column in zip(*(key + tuple(sums) for key, sums in ordered), strict=True)
        ]
        connection.exec_driver_sql(pg_sql, (org_id, *columns))
