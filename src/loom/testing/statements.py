"""Capture the SQL statements a piece of work sends, for tests that pin a page's queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine, event

T = TypeVar("T")


def statements_during(
    engine: Engine, action: Callable[[], T], keep: Callable[[str], bool]
) -> tuple[T, list[str]]:
    """Run ``action``; return its result and the statements ``keep`` accepts (spaces collapsed)."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        flat = " ".join(sql.split())
        if keep(flat):
            seen.append(flat)

    event.listen(engine, "before_cursor_execute", note)
    try:
        return action(), seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def selects_during(engine: Engine, action: Callable[[], T]) -> tuple[T, list[str]]:
    """Run ``action``; return its result and the SELECTs it sent, whitespace collapsed.

    Reads only: SQLite's BEGIN and PostgreSQL's role switch (``set_config``) belong to the
    session, not to the work under test.
    """
    return statements_during(
        engine, action, lambda sql: sql.startswith("SELECT") and "set_config" not in sql
    )
