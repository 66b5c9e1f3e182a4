"""Single-line sequencing (1||ΣwjTj): iterated dynasearch on the 125 OR-Library wt40 instances.

Each instance of ``../shared/bench/wt/wt40.txt`` (40 jobs) is solved by
``loom.apps.scheduling.solver.wt.sequence`` (one core, 10 s limit, seed 0) and, in the same
run, ordered by earliest due date (the baseline). Both are compared with the proven optima in
``wt40-optima.csv``, which only this benchmark reads, never the solver. Reported: optima
reached, the gap where missed (mean and max), total, mean and max time; EDD's optima count and
mean gap. A gap is (found - optimum) / optimum over the instances with a positive optimum; on
the 18 instances whose optimum is 0 only "reached or not" is counted.

Checks (a failure is a bug): every answer is a permutation of the 40 jobs whose cost
recomputes to the reported figure, and no answer beats a proven optimum. The issue's target
(at least 120 of 125 optima, mean gap < 0.5 %) is a check as well; the time per instance
depends on the machine's load and is reported in a note.

Standalone: ``.venv/bin/python -m bench.wt [--quick]`` (``--quick``: 10 instances).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter, process_time

from bench.core import Check, Config, Note, Report, Row
from bench.machine import REPO
from loom.apps.scheduling.solver.wt import (
    edd_order,
    read_instance,
    sequence,
    total_weighted_tardiness,
)

NAME = "wt40"
DATA = REPO.parent / "shared" / "bench" / "wt"
INSTANCES = 125
QUICK_INSTANCES = tuple(range(1, INSTANCES + 1, 13))  # 10 instances spread over the file
TIME_LIMIT = 10.0
SEED = 0
TARGET_OPTIMA = 120
TARGET_MEAN_GAP = 0.005
BASELINE = "earliest due date (baseline)"
SEARCH = "iterated dynasearch, 10 s limit"


@dataclass(frozen=True)
class Outcome:
    """One instance: its optimum, the cost and time of EDD and of the search."""

    instance: int
    optimum: int
    edd: int
    edd_seconds: float
    found: int
    seconds: float  # wall time, as the solver reports it
    cpu_seconds: float  # this process's CPU time: what a shared, loaded machine inflates less
    valid: bool
    kicks: int
    stopped: str


def read_optima(path: Path) -> dict[int, int]:
    """Return the proven optimum of each instance number."""
    with path.open(newline="") as handle:
        return {
            int(row["instance"]): int(row["optimal_total_weighted_tardiness"])
            for row in csv.DictReader(handle)
        }


def gap(found: int, optimum: int) -> float | None:
    """Return the relative gap to a positive optimum (None when the optimum is 0)."""
    return (found - optimum) / optimum if optimum > 0 else None


def solve(instance: int, optimum: int) -> Outcome:
    """Order one instance by EDD, then search it; check the answer against its own cost."""
    jobs = read_instance(DATA / "wt40.txt", instance)
    began = perf_counter()
    edd = total_weighted_tardiness(jobs, edd_order(jobs))
    edd_seconds = perf_counter() - began
    cpu = process_time()
    result = sequence(jobs, time_limit=TIME_LIMIT, seed=SEED)
    cpu = process_time() - cpu
    valid = sorted(result.sequence) == list(range(len(jobs))) and (
        total_weighted_tardiness(jobs, result.sequence) == result.total_weighted_tardiness
    )
    return Outcome(
        instance,
        optimum,
        edd,
        edd_seconds,
        result.total_weighted_tardiness,
        result.seconds,
        cpu,
        valid,
        result.kicks,
        result.stopped,
    )


def _summary(label: str, costs: list[tuple[int, int]]) -> tuple[int, float, str]:
    """Return (optima reached, mean gap, text) for (found, optimum) pairs."""
    reached = sum(found == optimum for found, optimum in costs)
    gaps = [g for found, optimum in costs if (g := gap(found, optimum)) is not None]
    missed = [g for g in gaps if g > 0]
    zero_missed = sum(found > 0 for found, optimum in costs if optimum == 0)
    mean = statistics.fmean(gaps) if gaps else 0.0
    text = (
        f"{label}: {reached} of {len(costs)} optima reached; mean gap {mean:.3%} over the "
        f"{len(gaps)} instances with a positive optimum"
    )
    if missed:
        text += f"; where missed, gap mean {statistics.fmean(missed):.3%}, max {max(missed):.3%}"
    elif reached == len(costs):
        text += "; no instance missed"
    if zero_missed:
        text += f"; {zero_missed} instances with optimum 0 left late"
    return reached, mean, text


def run(config: Config, report: Report) -> None:
    """Solve every wt40 instance (``--quick``: 10) by EDD and by the search, and report."""
    optima = read_optima(DATA / "wt40-optima.csv")
    chosen = QUICK_INSTANCES if config.quick else tuple(range(1, INSTANCES + 1))
    backend = f"{len(chosen)} instances, n = 40"
    outcomes = [solve(k, optima[k]) for k in chosen]

    report.rows += [
        Row(
            NAME,
            backend,
            BASELINE,
            "instances",
            1,
            len(outcomes),
            [o.edd_seconds for o in outcomes],
        ),
        Row(
            NAME,
            backend,
            SEARCH,
            "instances",
            1,
            len(outcomes),
            [o.seconds for o in outcomes],
            baseline=BASELINE,
            cost_ratios=[o.seconds / max(o.edd_seconds, 1e-9) for o in outcomes],
        ),
    ]
    invalid = [o.instance for o in outcomes if not o.valid]
    below = [o.instance for o in outcomes if o.found < o.optimum]
    report.checks += [
        Check(
            NAME,
            backend,
            "every answer is a permutation of the jobs whose cost recomputes",
            not invalid,
            f"invalid on instances {invalid}" if invalid else "all valid",
        ),
        Check(
            NAME,
            backend,
            "no answer beats a proven optimum (that would be a bug)",
            not below,
            f"below the optimum on {below}" if below else "none below",
        ),
    ]
    reached, mean_gap, text = _summary(SEARCH, [(o.found, o.optimum) for o in outcomes])
    _, _, edd_text = _summary(BASELINE, [(o.edd, o.optimum) for o in outcomes])
    needed = round(TARGET_OPTIMA * len(outcomes) / INSTANCES)
    report.checks.append(
        Check(
            NAME,
            backend,
            f"target: at least {needed} of {len(outcomes)} optima, mean gap < 0.5 %",
            reached >= needed and mean_gap < TARGET_MEAN_GAP,
            f"{reached} optima, mean gap {mean_gap:.3%}",
        )
    )
    seconds = [o.seconds for o in outcomes]
    cpu = [o.cpu_seconds for o in outcomes]
    stops = {
        s: sum(o.stopped == s for o in outcomes)
        for s in ("zero", "single", "plateau", "time limit")
    }
    slowest = max(outcomes, key=lambda o: o.seconds)
    report.notes += [
        Note(NAME, backend, text),
        Note(NAME, backend, edd_text),
        Note(
            NAME,
            backend,
            f"search time: total {sum(seconds):,.1f} s, mean {statistics.fmean(seconds):.2f} s, "
            f"median {statistics.median(seconds):.2f} s, max {slowest.seconds:.2f} s (instance "
            f"{slowest.instance}); CPU time: total {sum(cpu):,.1f} s, mean "
            f"{statistics.fmean(cpu):.2f} s, max {max(cpu):.2f} s; stopped by {stops}; "
            "kicks per instance: median "
            f"{statistics.median(o.kicks for o in outcomes):,.0f}, max "
            f"{max(o.kicks for o in outcomes):,}",
        ),
    ]
    for o in outcomes:
        if o.found != o.optimum:
            report.notes.append(
                Note(
                    NAME,
                    backend,
                    f"instance {o.instance}: found {o.found:,}, optimum {o.optimum:,} "
                    f"({o.stopped} after {o.kicks:,} kicks, {o.seconds:.2f} s)",
                )
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Run this benchmark alone and print its figures; exit 1 when a check fails."""
    parser = argparse.ArgumentParser(prog="python -m bench.wt", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 instances instead of 125")
    args = parser.parse_args(argv)
    report = Report()
    run(Config(quick=args.quick), report)
    for row in report.rows:
        print(
            f"{row.backend}  {row.case}: median {row.median_seconds_per_op * 1000:,.2f} ms, "
            f"max {max(row.seconds_per_op) * 1000:,.2f} ms per instance"
        )
    for note in report.notes:
        print(f"note  [{note.backend}] {note.text}")
    for check in report.checks:
        print(f"{'ok  ' if check.ok else 'FAIL'}  [{check.backend}] {check.what}: {check.detail}")
    return 0 if all(c.ok for c in report.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
