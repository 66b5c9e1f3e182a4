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

    def pick(self, full: int, quick: int) -> int:
        """Return the full-run or the quick-run size."""
        return quick if self.quick else full


@dataclass(frozen=True)
class Case:
    """One timed workload: ``run(n)`` performs about ``n`` operations and returns how many."""

    name: str
    ops: int
    run: Callable[[int], int]


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


@dataclass
class Report:
    """Everything a run collects: measured rows and correctness checks."""

    rows: list[Row] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def run_rounds(cases: Sequence[Case], rounds: int, warmup_ops: int) -> dict[str, list[float]]:
    """Warm every case up, then time each once per round; return seconds per op per round."""
    for case in cases:
        case.run(warmup_ops)
    samples: dict[str, list[float]] = {case.name: [] for case in cases}
    for index in range(rounds):
        # Rotate the order each round so that drift on a shared machine (another tenant's
        # load, a checkpoint) does not always fall on the same case.
        shift = index % len(cases)
        for case in [*cases[shift:], *cases[:shift]]:
            gc.collect()
            started = perf_counter()
            done = case.run(case.ops)
            elapsed = perf_counter() - started
            if done <= 0:
                raise RuntimeError(f"case {case.name!r} performed no operations")
            samples[case.name].append(elapsed / done)
    return samples


def summarise(
    benchmark: str,
    backend: str,
    cases: Sequence[Case],
    samples: dict[str, list[float]],
    *,
    unit: str,
    baseline: str | None,
) -> list[Row]:
    """Turn timed rounds into rows; ratios pair each round with the baseline's same round."""
    rows = []
    for case in cases:
        per_op = samples[case.name]
        ratios: list[float] = []
        if baseline is not None and case.name != baseline:
            ratios = [mine / base for mine, base in zip(per_op, samples[baseline], strict=True)]
        rows.append(
            Row(
                benchmark=benchmark,
                backend=backend,
                case=case.name,
                unit=unit,
                ops_per_round=case.ops,
                rounds=len(per_op),
                seconds_per_op=per_op,
                baseline=baseline if case.name != baseline else None,
                cost_ratios=ratios,
            )
        )
    return rows


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
