"""What ingest has read of an organisation's reference data, kept while its token stands still.

Every batch names a few hundred bundles and operators of one factory, nearly all of them named
by the batch before. Reading them again cost six statements a batch (about 9 ms of a 50 ms
batch on PostgreSQL). The database moves a per-organisation token whenever any of those tables
changes (triggers of migration ``shopfloor_0002``), so one primary-key read tells whether what
this process holds is still what the tables say; when the token moved, everything is dropped
and read again as needed. Misses are kept too (a bundle number nobody cut), since cutting it
would move the token.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from loom.modules.shopfloor.models import RefVersion

if TYPE_CHECKING:
    from loom.modules.shopfloor.service.resolve import BundleRef, Plan

#: beyond this many bundles an organisation's copy starts again (memory stays bounded)
MAX_BUNDLES = 200_000
#: read once per batch: plain SQL, as a Core select's compile-cache lookup and result
#: machinery cost more than the read itself (about 4 % of an ingest server's busy time)
_TOKEN = f"SELECT token FROM {RefVersion.__tablename__} WHERE org_id = "  # noqa: S608 - a constant name  # nosec B608


@dataclass
class RefData:
    """One organisation's reference data as read under one token; grows as batches need more."""

    token: int | None
    bundles: dict[int, BundleRef | None] = field(default_factory=dict)
    operators: dict[str, tuple[int, int | None] | None] = field(default_factory=dict)
    # style → {operation: seq}; a style read with no routing maps to {}
    routings: dict[int, dict[int, int]] = field(default_factory=dict)
    finals: dict[int, int] = field(default_factory=dict)
    sams: dict[int, int] = field(default_factory=dict)
    rates: dict[int, tuple[list[date], list[int]]] = field(default_factory=dict)
    operations: set[int] = field(default_factory=set)  # whose SAM and rates were read
    plans: dict[str, Plan | None] = field(default_factory=dict)  # device → its line's plan
    rate_slots: dict[tuple[int, int], int | None] = field(default_factory=dict)


_lock = threading.Lock()
_by_engine: weakref.WeakKeyDictionary[Engine, dict[int, RefData]] = weakref.WeakKeyDictionary()


def current(session: Session, org_id: int) -> RefData:
    """Return this process's copy for the organisation, new if the token moved since it was read."""
    connection = session.connection()
    mark = "%s" if connection.dialect.paramstyle in ("format", "pyformat") else "?"
    token = connection.exec_driver_sql(_TOKEN + mark, (org_id,)).scalar()
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    assert isinstance(engine, Engine)
    with _lock:
        held = _by_engine.setdefault(engine, {})
        found = held.get(org_id)
        if found is None or found.token != token or len(found.bundles) > MAX_BUNDLES:
            # an organisation with no row yet (token None) is cached too: its first change
            # creates the row, which moves the token away from None
            found = held[org_id] = RefData(token)
        return found


def forget(engine: Engine) -> None:
    """Drop every copy held for ``engine`` (tests that rebuild a database under one engine)."""
    with _lock:
        _by_engine.pop(engine, None)
