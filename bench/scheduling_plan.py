"""Scheduling planner (APS): weighted tardiness of ``schedule`` against EDD dispatch.

Seeded generated instances of 200 orders on 12 lines over 8 weeks (see
``loom.apps.scheduling.solver.aps.instances``): five garment categories, lines sewing 1-3 of
them, learning curves and changeovers, the National Day holidays, overtime. Each instance is
planned by the earliest-due-date dispatch baseline, by the best of ``schedule``'s
constructions alone (no moves), and by ``schedule`` (30 s time limit, its default move budget)
one after the other in the same run. Reported: weighted tardiness, late days, late orders and
changeovers of each, the reduction against EDD in %, and the solve times.

Checks (a failure is a bug): every plan passes the independent feasibility checker and plans
every order; ``schedule`` reaches the issue's target of 30 % less weighted tardiness than EDD.
The 30 s solve-time target is reported in a note: time depends on the machine's load.

Standalone: ``.venv/bin/python -m bench.scheduling_plan [--quick]``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from time import perf_counter, process_time

from bench.core import Check, Config, Note, Report, Row
from loom.apps.scheduling.solver.aps import dispatch_edd, schedule
from loom.apps.scheduling.solver.aps.check import violations
from loom.apps.scheduling.solver.aps.instances import generate
from loom.apps.scheduling.solver.aps.search import default_iterations
from loom.apps.scheduling.solver.model import Plan

NAME = "scheduling_plan"
SEEDS = (1, 2, 3)
QUICK_SEEDS = (1,)
ORDERS, LINES, WEEKS = 200, 12, 8
TIME_LIMIT = 30.0
TARGET_REDUCTION = 0.30
BASELINE = "EDD dispatch (baseline)"


def _figures(plan: Plan) -> str:
    late = sum(a.tardy_days > 0 for a in plan.allocations)
    return (
        f"weighted tardiness {plan.weighted_tardiness:,}, {plan.late_days:,} late days, "
        f"{late} late orders, {plan.changeovers} changeovers"
    )


def _less(plan: Plan, baseline: Plan) -> float:
    """Return the fraction by which ``plan``'s weighted tardiness is below the baseline's."""
    return 1 - plan.weighted_tardiness / max(1, baseline.weighted_tardiness)


def _row(backend: str, case: str, seconds: float, base: float | None) -> Row:
    return Row(
        benchmark=NAME,
        backend=backend,
        case=case,
        unit="plans",
        ops_per_round=1,
        rounds=1,
        seconds_per_op=[seconds],
        baseline=None if base is None else BASELINE,
        cost_ratios=[] if base is None else [seconds / base],
    )


def plan_instance(seed: int, config: Config, report: Report) -> tuple[int, int, float]:
    """Plan one instance both ways; return EDD's and schedule's weighted tardiness, seconds."""
    problem = generate(seed, orders=ORDERS, lines=LINES, weeks=WEEKS)
    backend = f"seed {seed}: {ORDERS} orders x {LINES} lines x {WEEKS} weeks"
    iterations = default_iterations(ORDERS) // (10 if config.quick else 1)
    started = perf_counter()
    edd = dispatch_edd(problem)
    edd_seconds = perf_counter() - started
    started = perf_counter()
    built = schedule(problem, time_limit=TIME_LIMIT, seed=0, iterations=0)
    built_seconds = perf_counter() - started
    started, cpu = perf_counter(), process_time()
    best = schedule(problem, time_limit=TIME_LIMIT, seed=0, iterations=iterations)
    seconds, cpu = perf_counter() - started, process_time() - cpu
    errors = violations(problem, edd) + violations(problem, built) + violations(problem, best)
    planned = not edd.unplanned and not best.unplanned
    report.checks.append(
        Check(
            NAME,
            backend,
            "all plans feasible (independent checker), every order planned",
            not errors and planned,
            "ok" if not errors and planned else f"{errors[:3]}; unplanned {best.unplanned}",
        )
    )
    reduction = _less(best, edd)
    report.checks.append(
        Check(
            NAME,
            backend,
            f"weighted tardiness at least {TARGET_REDUCTION:.0%} below EDD",
            reduction >= TARGET_REDUCTION,
            f"{reduction:.1%} less ({edd.weighted_tardiness:,} -> {best.weighted_tardiness:,})",
        )
    )
    report.rows += [
        _row(backend, BASELINE, edd_seconds, None),
        _row(backend, "best construction, no search", built_seconds, edd_seconds),
        _row(
            backend,
            f"schedule ({iterations:,} moves, limit {TIME_LIMIT:.0f} s)",
            seconds,
            edd_seconds,
        ),
    ]
    report.notes += [
        Note(NAME, backend, f"EDD: {_figures(edd)}; {edd_seconds:.2f} s"),
        Note(
            NAME,
            backend,
            f"best construction (EDD, ATC), no search: {_figures(built)}; "
            f"{built_seconds:.2f} s; {_less(built, edd):.1%} less than EDD",
        ),
        Note(
            NAME,
            backend,
            f"schedule: {_figures(best)}; {seconds:.1f} s ({cpu:.1f} s CPU) "
            f"(target <= {TIME_LIMIT:.0f} s: {'met' if seconds <= TIME_LIMIT else 'NOT met'}); "
            f"{reduction:.1%} less weighted tardiness than EDD",
        ),
    ]
    return edd.weighted_tardiness, best.weighted_tardiness, seconds


def run(config: Config, report: Report) -> None:
    """Plan the seeded instances with EDD and with ``schedule``; report the reduction."""
    results = [
        plan_instance(seed, config, report) for seed in (QUICK_SEEDS if config.quick else SEEDS)
    ]
    edd = sum(r[0] for r in results)
    best = sum(r[1] for r in results)
    report.notes.append(
        Note(
            NAME,
            f"{len(results)} instances",
            f"total weighted tardiness EDD {edd:,}, schedule {best:,}: "
            f"{1 - best / max(1, edd):.1%} less; slowest solve {max(r[2] for r in results):.1f} s",
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run this benchmark alone and print its figures; exit 1 when a check fails."""
    parser = argparse.ArgumentParser(prog="python -m bench.scheduling_plan", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one instance, a tenth of the moves")
    args = parser.parse_args(argv)
    report = Report()
    run(Config(quick=args.quick), report)
    for row in report.rows:
        ratio = "" if row.cost_ratio is None else f"  ({row.cost_ratio:,.0f}x the baseline's time)"
        print(f"{row.backend}  {row.case}: {row.median_seconds_per_op:.2f} s{ratio}")
    for note in report.notes:
        print(f"note  [{note.backend}] {note.text}")
    for check in report.checks:
        print(f"{'ok  ' if check.ok else 'FAIL'}  [{check.backend}] {check.what}: {check.detail}")
    return 0 if all(c.ok for c in report.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
