"""Each enterprise's planned load, kept between the brain's reads per plan version.

The capacity map and match-making read the free minutes of every sharing enterprise on each
request; rebuilding its scheduling problem every time was 85 % of the capacity map's cost
(docs/benchmarks.md, load test run 2). An adopted plan never changes once stored, so its load
is kept under a key naming the plan: adopting another plan changes the key, and the next read
computes the new plan's load. Without an adopted plan the load is an estimate dispatched from
the open orders, which move with every order and scan: it is kept for ``ESTIMATE_SECONDS`` at
most, and only on the day it was made. Entries live per engine (one database) and process.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

#: operator-minutes per (line id, day) and the first day they are known
Load = tuple[date, Mapping[tuple[int, date], float]]
#: how long an estimate without an adopted plan is reused
ESTIMATE_SECONDS = 300.0
#: entries kept per database: a few per sharing enterprise
MAX_ENTRIES = 1024


@dataclass(frozen=True)
class _Entry:
    load: Load
    expires: float | None


class LoadCache:
    """A bounded, thread-safe map from (engine, key) to a load, with optional expiry."""

    def __init__(
        self, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Keep at most ``max_entries`` loads per engine; ``clock`` counts seconds."""
        self.max_entries = max_entries
        self.clock = clock
        self.builds = 0
        self._lock = threading.Lock()
        self._entries: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, _Entry]] = (
            weakref.WeakKeyDictionary()
        )

    def get_or_build(
        self, engine: Engine, key: Hashable, build: Callable[[], Load], ttl: float | None
    ) -> Load:
        """Return the load kept under ``key``, building (and keeping) it when absent or stale."""
        now = self.clock()
        with self._lock:
            entries = self._entries.setdefault(engine, OrderedDict())
            found = entries.get(key)
            if found is not None and (found.expires is None or found.expires > now):
                entries.move_to_end(key)
                return found.load
        # built outside the lock: two first reads at once both build, and both are right
        first, load = build()
        # read-only: every later reader shares this one mapping
        kept: Load = (first, MappingProxyType(dict(load)))
        with self._lock:
            self.builds += 1
            entries = self._entries.setdefault(engine, OrderedDict())
            entries[key] = _Entry(kept, None if ttl is None else now + ttl)
            entries.move_to_end(key)
            while len(entries) > self.max_entries:
                entries.popitem(last=False)
        return kept

    def clear(self) -> None:
        """Forget every load."""
        with self._lock:
            self._entries.clear()


def engine_of(session: Session) -> Engine:
    """Return the engine behind ``session`` (the database the loads belong to)."""
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


LOADS = LoadCache()
