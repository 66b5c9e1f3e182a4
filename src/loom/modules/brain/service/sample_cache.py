"""What each enterprise shared of a metric, kept for a minute between the brain's page views.

The indices and the capacity map read every sharing enterprise's figures on every view; the
providers' queries were most of those pages' cost (docs/benchmarks.md §13). The samples kept
here are the coarsened ones, under a key naming the enterprise, the metric's provider, the
span and the granularity consented: sharing more coarsely changes the key. Consent, the
enterprise's app and its being active are checked on every view before anything kept here is
used, and every use is logged as a read (``collect``), so a revocation hides the enterprise at
the next view; only the figures themselves may be up to ``REUSE_SECONDS`` old. Entries live
per engine (one database) and process.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from loom.kernel.plugins.spec import MetricSample

#: how old a kept figure may be when a page shows it
REUSE_SECONDS = 60.0
#: entries kept per database: a few spans of each sharing enterprise's metrics
MAX_ENTRIES = 512
T = TypeVar("T")


@dataclass(frozen=True)
class Kept:
    """Samples read once, and a number that changes whenever they are read again."""

    samples: tuple[MetricSample, ...]
    generation: int


@dataclass(frozen=True)
class _Entry:
    kept: Kept
    expires: float


class SampleCache:
    """A bounded, thread-safe map from (engine, key) to samples, each kept ``ttl`` seconds."""

    def __init__(
        self,
        ttl: float = REUSE_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Keep at most ``max_entries`` per engine, each for ``ttl`` seconds of ``clock``."""
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self.reads = 0
        self._generation = 0
        self._lock = threading.Lock()
        self._entries: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, _Entry]] = (
            weakref.WeakKeyDictionary()
        )

    def get_or_read(
        self, engine: Engine, key: Hashable, read: Callable[[], Sequence[MetricSample]]
    ) -> Kept:
        """Return the samples kept under ``key``, reading (and keeping) them when absent or old."""
        now = self.clock()
        with self._lock:
            entries = self._entries.setdefault(engine, OrderedDict())
            found = entries.get(key)
            if found is not None and found.expires > now:
                entries.move_to_end(key)
                return found.kept
        # read outside the lock: two first views at once both read, and both are right
        samples = tuple(read())
        with self._lock:
            self.reads += 1
            self._generation += 1
            kept = Kept(samples, self._generation)
            entries = self._entries.setdefault(engine, OrderedDict())
            # expired entries go at once, not when crowded out: memory holds one minute's reads
            for old in [k for k, entry in entries.items() if entry.expires <= now]:
                del entries[old]
            entries[key] = _Entry(kept, now + self.ttl)
            entries.move_to_end(key)
            while len(entries) > self.max_entries:
                entries.popitem(last=False)
        return kept

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()


class Memo:
    """Figures computed from kept samples, under a key naming the samples' generations.

    A key that names every enterprise's generation (and all else the figure depends on)
    changes whenever any of them is read anew, so an entry is never stale, only unused; the
    oldest unused ones are dropped.
    """

    def __init__(self, max_entries: int = 256) -> None:
        """Keep at most ``max_entries`` figures."""
        self.max_entries = max_entries
        self.made = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, object] = OrderedDict()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return the figure kept under ``key``, making (and keeping) it when absent."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return cast(T, self._entries[key])
        value = make()
        with self._lock:
            self.made += 1
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every figure."""
        with self._lock:
            self._entries.clear()


def engine_of(session: Session) -> Engine:
    """Return the engine behind ``session`` (the database the samples belong to)."""
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


SAMPLES = SampleCache()
#: the indices' and the capacity map's tables, built once per set of kept samples
FIGURES = Memo()
