"""The iterated dynasearch: optimal on small instances, always a priced permutation."""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import pytest

from loom.apps.scheduling.solver.wt import (
    Job,
    WtFormatError,
    edd_order,
    read_instance,
    sequence,
    total_weighted_tardiness,
)

BENCH = Path(__file__).parents[3] / "data"  # copies of shared/bench/wt (tests/data/README.md)


def random_jobs(rng: random.Random, n: int) -> list[Job]:
    """Return n jobs whose due dates fall inside the makespan, so that the order matters."""
    processing = [rng.randint(1, 20) for _ in range(n)]
    total = sum(processing)
    return [Job(p, rng.randint(1, 10), rng.randint(0, total)) for p in processing]


def brute_force(jobs: list[Job]) -> int:
    """Return the least total weighted tardiness over all n! orders."""
    return min(
        total_weighted_tardiness(jobs, order) for order in itertools.permutations(range(len(jobs)))
    )


@pytest.mark.parametrize("seed", range(12))
def test_equals_the_brute_force_optimum(seed: int) -> None:
    rng = random.Random(seed)
    n = min(seed + 1, 8)  # every size from 1 to 8, then more of n = 8
    jobs = random_jobs(rng, n)
    result = sequence(jobs, seed=seed)
    assert result.total_weighted_tardiness == brute_force(jobs)


@pytest.mark.parametrize("seed", range(20))
def test_returns_a_permutation_whose_cost_recomputes(seed: int) -> None:
    rng = random.Random(1000 + seed)
    jobs = random_jobs(rng, rng.randint(1, 30))
    result = sequence(jobs, seed=seed, time_limit=2.0)
    assert sorted(result.sequence) == list(range(len(jobs)))
    assert result.total_weighted_tardiness == total_weighted_tardiness(jobs, result.sequence)
    # never worse than the baseline it starts from
    assert result.total_weighted_tardiness <= total_weighted_tardiness(jobs, edd_order(jobs))
    assert result.stopped in {"zero", "single", "plateau", "time limit"}


def test_deterministic_for_a_seed() -> None:
    jobs = random_jobs(random.Random(7), 25)
    first = sequence(jobs, seed=3)
    again = sequence(jobs, seed=3)
    assert (first.sequence, first.kicks) == (again.sequence, again.kicks)


def test_all_on_time_stops_at_zero_without_kicks() -> None:
    # EDD finishes every job by its due date: completions 2, 5, 9 against dues 2, 6, 10.
    jobs = [Job(4, 1, 10), Job(2, 5, 2), Job(3, 2, 6)]
    result = sequence(jobs)
    assert (result.total_weighted_tardiness, result.kicks, result.stopped) == (0, 0, "zero")


def test_rejects_an_empty_or_negative_instance() -> None:
    with pytest.raises(WtFormatError, match="at least one job"):
        sequence([])
    with pytest.raises(WtFormatError, match="job 2"):
        sequence([Job(1, 1, 1), Job(-1, 1, 1)])


def optima() -> dict[int, int]:
    """Return the proven optima of wt40 (tests may read them; the solver never does)."""
    with (BENCH / "wt40-optima.csv").open() as handle:
        return {
            int(row["instance"]): int(row["optimal_total_weighted_tardiness"])
            for row in csv.DictReader(handle)
        }


@pytest.mark.parametrize("instance", [1, 19])
def test_reaches_the_wt40_optimum(instance: int) -> None:
    jobs = read_instance(BENCH / "wt40.txt", instance)
    result = sequence(jobs, seed=0)
    assert result.total_weighted_tardiness == optima()[instance]
    assert total_weighted_tardiness(jobs, edd_order(jobs)) > optima()[instance]
