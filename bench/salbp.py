"""SALBP-1: the exact engine against the textbook CP-SAT model on Scholl's 269 instances.

Each instance (graph, cycle time) is solved once by each solver with one core and a 10 s
limit (``--quick``: 11 small instances, 2 s). Counted per solver: optima found (stations ==
the published optimum), optima proved (found and claimed optimal), total, median and maximum
time. The baseline is ``solve_baseline``: x[i,k] binaries for k = 1..UB, station-used
binaries, precedence through the station index, minimise the stations used.

The two solvers run in two processes at the same time (each single-threaded), which halves
the wall time; on a 2-core machine shared with others this adds noise to both sides alike.
Every plan is checked (precedence, capacity, each task once); a plan that fails the check, a
claimed optimum above the published one or a lower bound above it fails the run.
"""

from __future__ import annotations

import csv
import statistics
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.core import Check, Config, Note, Report, Row
from bench.machine import REPO
from loom.apps.balancing.solver.salbp import Instance, Result, check, read, solve
from loom.apps.balancing.solver.salbp.baseline import solve_baseline

NAME = "salbp"
DATA = REPO.parent / "shared" / "bench" / "salbp"
EXACT = "exact engine (bounds, heuristics, tree search)"
BASELINE = "textbook CP-SAT assignment model (baseline)"
QUICK_GRAPHS = ("MERTENS", "BOWMAN8", "JAESCHKE", "JACKSON", "MANSOOR", "MITCHELL", "ROSZIEG")
SOLVERS: dict[str, Callable[..., Result]] = {EXACT: solve, BASELINE: solve_baseline}


@dataclass(frozen=True)
class Case:
    """One benchmark instance: a graph, a cycle time and its published optimum."""

    graph: str
    cycle_time: int
    optimum: int


@dataclass(frozen=True)
class Outcome:
    """One solver's answer on one case, with the checker's verdict."""

    case: Case
    stations: int
    lower_bound: int
    optimal: bool
    seconds: float
    problems: tuple[str, ...]

    @property
    def found(self) -> bool:
        """Return whether the published optimum was reached."""
        return self.stations == self.case.optimum

    @property
    def proved(self) -> bool:
        """Return whether the optimum was reached and proved."""
        return self.found and self.optimal


def cases(config: Config) -> list[Case]:
    """Return the instances to run: all 269, or every fifth of the small graphs' when quick."""
    with (DATA / "scholl-salbp1-optima.csv").open(newline="") as f:
        rows = [
            Case(r["graph"], int(r["cycle_time"]), int(r["optimal_stations"]))
            for r in csv.DictReader(f)
        ]
    if config.quick:
        small = [c for c in rows if c.graph in QUICK_GRAPHS]
        return small[::3]
    return rows


def run_solver(name: str, batch: list[Case], time_limit: float) -> list[Outcome]:
    """Solve every case with one solver, one after another (run in a worker process)."""
    graphs: dict[str, Instance] = {}
    out = []
    for case in batch:
        if case.graph not in graphs:
            graphs[case.graph] = read(DATA / "scholl" / f"{case.graph}.IN2").instance
        instance = graphs[case.graph]
        result = SOLVERS[name](instance, case.cycle_time, time_limit=time_limit)
        problems = tuple(check(instance, case.cycle_time, result.assignment))
        out.append(
            Outcome(
                case,
                result.stations,
                result.lower_bound,
                result.optimal,
                result.seconds,
                problems,
            )
        )
    return out


def _summary(name: str, outcomes: list[Outcome], time_limit: float) -> str:
    times = [o.seconds for o in outcomes]
    found = sum(o.found for o in outcomes)
    proved = sum(o.proved for o in outcomes)
    stations = sum(o.stations for o in outcomes)
    optimum = sum(o.case.optimum for o in outcomes)
    return (
        f"{name}: {len(outcomes)} instances, {time_limit:g} s each, one core: "
        f"optima found {found}, proved {proved}; stations {stations:,} (optima sum "
        f"{optimum:,}); time total {sum(times):,.1f} s, median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s"
    )


def _checks(name: str, outcomes: list[Outcome], report: Report) -> None:
    bad = [o for o in outcomes if o.problems]
    report.checks.append(
        Check(
            NAME,
            name,
            "every plan feasible (precedence, capacity, each task once)",
            not bad,
            f"{len(outcomes) - len(bad)}/{len(outcomes)} feasible"
            + "".join(f"; {o.case.graph} c={o.case.cycle_time}: {o.problems[0]}" for o in bad[:3]),
        )
    )
    wrong = [
        o
        for o in outcomes
        if o.stations < o.case.optimum
        or o.lower_bound > o.case.optimum
        or (o.optimal and not o.found)
    ]
    report.checks.append(
        Check(
            NAME,
            name,
            "no plan below, no bound above, no false proof against the published optima",
            not wrong,
            f"{len(wrong)} contradictions"
            + "".join(
                f"; {o.case.graph} c={o.case.cycle_time}: {o.stations} stations, bound "
                f"{o.lower_bound}, optimum {o.case.optimum}"
                for o in wrong[:3]
            ),
        )
    )


def _write_details(results: dict[str, list[Outcome]], quick: bool) -> Path:
    out_dir = REPO / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"salbp-{'quick-' if quick else ''}{stamp}.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                *("solver", "graph", "cycle_time", "optimum", "stations", "lower_bound"),
                *("optimal", "seconds", "feasible"),
            ]
        )
        for name, outcomes in results.items():
            for o in outcomes:
                c = o.case
                writer.writerow(
                    [
                        *(name, c.graph, c.cycle_time, c.optimum, o.stations, o.lower_bound),
                        *(o.optimal, f"{o.seconds:.3f}", not o.problems),
                    ]
                )
    return path


def run(config: Config, report: Report) -> None:
    """Solve every instance with the exact engine and with the baseline, in two processes."""
    batch = cases(config)
    time_limit = 2.0 if config.quick else 10.0
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_solver, name, batch, time_limit) for name in SOLVERS}
        results = {name: future.result() for name, future in futures.items()}
    base = [o.seconds for o in results[BASELINE]]
    for name, outcomes in results.items():
        times = [o.seconds for o in outcomes]
        report.rows.append(
            Row(
                benchmark=NAME,
                backend=f"Scholl SALBP-1, {len(batch)} instances",
                case=name,
                unit="instances",
                ops_per_round=1,
                rounds=len(times),
                seconds_per_op=times,
                baseline=None if name == BASELINE else BASELINE,
                cost_ratios=[]
                if name == BASELINE
                else [a / b for a, b in zip(times, base, strict=True)],
            )
        )
        report.notes.append(Note(NAME, name, _summary(name, outcomes, time_limit)))
        _checks(name, outcomes, report)
    exact = results[EXACT]
    found = sum(o.found for o in exact)
    proved = sum(o.proved for o in exact)
    met = found == len(exact) and proved >= len(exact) - 9
    target = f"all optima found and at most 9 unproved (>= {len(exact) - 9} of {len(exact)})"
    report.notes.append(Note(NAME, EXACT, f"target {target}: {'met' if met else 'NOT met'}"))
    misses = [o for o in exact if not o.proved]
    if misses:
        report.notes.append(
            Note(
                NAME,
                EXACT,
                "not proved: "
                + ", ".join(
                    f"{o.case.graph} c={o.case.cycle_time} ({o.stations} vs {o.case.optimum}, "
                    f"bound {o.lower_bound})"
                    for o in misses
                ),
            )
        )
    path = _write_details(results, config.quick)
    report.notes.append(Note(NAME, "-", f"per-instance results in {path.relative_to(REPO)}"))


def main(argv: list[str]) -> int:
    """Run this benchmark alone and print its notes and checks."""
    report = Report()
    run(Config(quick="--quick" in argv), report)
    for note in report.notes:
        print(f"note  [{note.backend}] {note.text}")
    for c in report.checks:
        print(f"{'ok  ' if c.ok else 'FAIL'}  [{c.backend}] {c.what}: {c.detail}")
    return 0 if all(c.ok for c in report.checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
