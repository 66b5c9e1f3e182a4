"""Shared machinery: timed rounds, result rows, and throwaway migrated databases."""

from __future__ import annotations

import gc
import os
import statistics
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

from loom.settings import normalise_database_url
from loom.testing.databases import (
    create_postgres_database,
    drop_postgres_database,
    migrated_sqlite_template,
)

POSTGRES_ENVS = ("LOOM_BENCH_POSTGRES_URL", "LOOM_TEST_POSTGRES_URL")

DatabaseFactory = Callable[[], AbstractContextManager[str]]


@dataclass(frozen=True)
class Config:
    """How long to run: ``quick`` shrinks every workload for a smoke run."""

    quick: bool = False

    @property
    def rounds(self) -> int:
        """Return how many times each case is timed (the median is reported)."""
        # Many short rounds rather than a few long ones: each ratio pairs two runs taken
        # moments apart, and the median of many pairs shrugs off bursts of foreign load.
        return 3 if self.quick else 9

    @property
    def round_seconds(self) -> float:
        """Return the wall time one timed run of a calibrated case aims at."""
        return 0.05 if self.quick else 0.25

    def pick(self, full: int, quick: int) -> int:
        """Return the full-run or the quick-run size."""
        return quick if self.quick else full


@dataclass(frozen=True)
class Case:
    """One workload: ``run(n)`` performs about ``n`` operations and returns how many it did."""

    name: str
    run: Callable[[int], int]
    ops: int | None = None  # fixed count per round; None: calibrated to Config.round_seconds
    multiple: int = 1  # calibrated counts stay a multiple of this (a batch, a thread count)
    warmup: int = 20  # operations of the untimed first run (and of the calibration run)
    unit: str | None = None  # what one operation is, when it differs from the benchmark's


@dataclass
class Row:
    """One measured case with its median rate and, against a baseline, its cost ratio."""

    benchmark: str
    backend: str
    case: str
    unit: str
    ops_per_round: int
    rounds: int
    seconds_per_op: list[float]
    baseline: str | None = None
    cost_ratios: list[float] = field(default_factory=list)

    @property
    def median_seconds_per_op(self) -> float:
        """Return the median time of one operation over the rounds."""
        return statistics.median(self.seconds_per_op)

    @property
    def rate(self) -> float:
        """Return operations per second, from the median round."""
        return 1.0 / self.median_seconds_per_op

    @property
    def cost_ratio(self) -> float | None:
        """Return the median over rounds of (time per op) / (baseline time per op)."""
        return statistics.median(self.cost_ratios) if self.cost_ratios else None

    @property
    def cost_ratio_quartiles(self) -> tuple[float, float] | None:
        """Return the first and third quartile of the per-round ratios (their spread)."""
        if len(self.cost_ratios) < 2:
            return None
        q1, _, q3 = statistics.quantiles(self.cost_ratios, n=4, method="inclusive")
        return q1, q3

    def as_json(self) -> dict[str, Any]:
        """Return the row as plain JSON data."""
        return {
            "benchmark": self.benchmark,
            "backend": self.backend,
            "case": self.case,
            "unit": self.unit,
            "rate_per_second": self.rate,
            "median_seconds_per_op": self.median_seconds_per_op,
            "seconds_per_op": self.seconds_per_op,
            "ops_per_round": self.ops_per_round,
            "rounds": self.rounds,
            "baseline": self.baseline,
            "cost_ratio": self.cost_ratio,
            "cost_ratio_quartiles": self.cost_ratio_quartiles,
            "cost_ratios": self.cost_ratios,
        }


@dataclass(frozen=True)
class Check:
    """A correctness assertion made during a benchmark (a failure is a bug, not noise)."""

    benchmark: str
    backend: str
    what: str
    ok: bool
    detail: str

    def as_json(self) -> dict[str, Any]:
        """Return the check as plain JSON data."""
        return {
            "benchmark": self.benchmark,
            "backend": self.backend,
            "what": self.what,
            "ok": self.ok,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Note:
    """A figure that does not fit a row (a percentile, a total, a target), printed as a line."""

    benchmark: str
    backend: str
    text: str

    def as_json(self) -> dict[str, Any]:
        """Return the note as plain JSON data."""
        return {"benchmark": self.benchmark, "backend": self.backend, "text": self.text}


@dataclass
class Report:
    """Everything a run collects: measured rows, correctness checks and extra figures."""

    rows: list[Row] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def _calibrate(case: Case, config: Config) -> int:
    started = perf_counter()
    done = case.run(case.warmup)  # pays for statement compilation, caches and pools
    if case.ops is not None:
        return case.ops
    if not config.quick:
        # Time a second, warm run: the first one overstates the cost of an operation.
        started = perf_counter()
        done = case.run(case.warmup)
    per_op = (perf_counter() - started) / max(done, 1)
    batches = round(config.round_seconds / per_op / case.multiple)
    return max(1, batches) * case.multiple


def measure(
    benchmark: str, backend: str, cases: Sequence[Case], config: Config, *, unit: str
) -> list[Row]:
    """Time every case once per round and return its rows; the first case is the baseline."""
    ops = {case.name: _calibrate(case, config) for case in cases}
    samples: dict[str, list[float]] = {case.name: [] for case in cases}
    # Park the long-lived heap (app, mappers, caches) outside the collector, so that the
    # collection before each run is cheap and a run starts without inherited garbage.
    gc.collect()
    gc.freeze()
    try:
        for index in range(config.rounds):
            # Rotate the order each round so that drift on a shared machine (another tenant's
            # load, a checkpoint) does not always fall on the same case.
            shift = index % len(cases)
            for case in [*cases[shift:], *cases[:shift]]:
                gc.collect()
                started = perf_counter()
                done = case.run(ops[case.name])
                elapsed = perf_counter() - started
                if done <= 0:
                    raise RuntimeError(f"case {case.name!r} performed no operations")
                samples[case.name].append(elapsed / done)
    finally:
        gc.unfreeze()
    baseline = cases[0].name
    return [
        Row(
            benchmark=benchmark,
            backend=backend,
            case=case.name,
            unit=case.unit or unit,
            ops_per_round=ops[case.name],
            rounds=config.rounds,
            seconds_per_op=samples[case.name],
            baseline=None if case.name == baseline else baseline,
            # Pair each round with the baseline's run of the same round: both saw the same
            # background load, so the ratio is steadier than a ratio of two medians.
            cost_ratios=[]
            if case.name == baseline
            else [
                mine / base
                for mine, base in zip(samples[case.name], samples[baseline], strict=True)
            ],
        )
        for case in cases
    ]


def postgres_server_url() -> str | None:
    """Return the PostgreSQL server URL from the environment, if one is configured."""
    for name in POSTGRES_ENVS:
        value = os.environ.get(name, "").strip()
        if value:
            return normalise_database_url(value)
    return None


@contextmanager
def sqlite_database() -> Iterator[str]:
    """Yield the URL of a migrated SQLite file in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="loom-bench-") as directory:
        path = migrated_sqlite_template(Path(directory), [])
        yield f"sqlite:///{path}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """Yield the URL of a throwaway migrated PostgreSQL database, dropped afterwards."""
    url = create_postgres_database(server_url, [])
    try:
        yield url
    finally:
        drop_postgres_database(server_url, url)


def backends() -> list[tuple[str, DatabaseFactory]]:
    """Return (name, database context factory) for SQLite and, when configured, PostgreSQL."""
    found: list[tuple[str, DatabaseFactory]] = [("sqlite", sqlite_database)]
    server = postgres_server_url()
    if server is not None:
        found.append(("postgresql", lambda: postgres_database(server)))
    return found
