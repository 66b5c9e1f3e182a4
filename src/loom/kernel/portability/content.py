"""Fingerprint a whole database: row count and SHA-256 of the content of every table."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypedDict
from uuid import UUID

from sqlalchemy import Connection, column, inspect, literal, select, table, text

VERSION_TABLE = "alembic_version"


class TableDigest(TypedDict):
    """One table's fingerprint as the manifest stores it."""

    rows: int
    sha256: str


def _encode(value: Any) -> Any:
    # Raw driver values (no SQLAlchemy type processing): what SQLite or psycopg returns as is.
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal | UUID | timedelta):
        return str(value)
    raise TypeError(f"cannot fingerprint a value of type {type(value).__name__}")


def table_names(connection: Connection) -> list[str]:
    """Return every user table of the database (SQLite's own tables excluded), sorted."""
    if connection.dialect.name == "sqlite":
        stmt = text(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        stmt = text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(connection.execute(stmt).scalars())


def _digest(connection: Connection, name: str) -> TableDigest:
    columns = [c["name"] for c in inspect(connection).get_columns(name)]
    # Untyped column() constructs: the driver's values come back unprocessed.
    target = table(name, *(column(c) for c in columns))
    keys = inspect(connection).get_pk_constraint(name)["constrained_columns"] or columns
    stmt = select(target).order_by(*(target.c[k] for k in keys))
    sha = hashlib.sha256()
    rows = 0
    result = connection.execution_options(yield_per=2000).execute(stmt)
    for row in result:
        line = json.dumps(
            list(row), default=_encode, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        sha.update(line.encode())
        sha.update(b"\n")
        rows += 1
    return {"rows": rows, "sha256": sha.hexdigest()}


def content_digests(connection: Connection) -> dict[str, TableDigest]:
    """Return every table's row count and content hash (rows in primary-key order)."""
    return {name: _digest(connection, name) for name in table_names(connection)}


def alembic_heads(connection: Connection) -> list[str]:
    """Return the migration revisions recorded in the database, sorted."""
    if VERSION_TABLE not in table_names(connection):
        return []
    versions = table(VERSION_TABLE, column("version_num"))
    return sorted(connection.execute(select(versions.c.version_num)).scalars())


def holds_data(connection: Connection) -> list[str]:
    """Return the tables (other than Alembic's) that hold at least one row."""
    full = []
    for name in table_names(connection):
        if name == VERSION_TABLE:
            continue
        probe = select(literal(1)).select_from(table(name)).limit(1)
        if connection.execute(probe).first() is not None:
            full.append(name)
    return full
