"""Assessment planner: CP-SAT solve times against the time of building the same model.

Two workloads, both against the 40-option sample catalogue:

- the sample enterprise planned to level 2 and to level 3, many times over (median, p95);
- a batch of seeded random enterprises (1,000; ``--quick``: 100) planned to level 2.

The baseline is building the CP-SAT model exactly as ``plan_to_level`` does (variables,
constraints, objective) without solving it, timed next to each plan in the same round. The
ratio, plan time over build time, thus shows how much the solver adds. Every plan must be
proved: status OPTIMAL with objective == best bound (the sample must be reachable; a random
enterprise may instead be proved INFEASIBLE). Anything else fails the run.
"""

from __future__ import annotations

import gc
import statistics
from collections import Counter
from collections.abc import Sequence
from time import perf_counter

from bench.core import Check, Config, Note, Report, Row
from loom.modules.assessment.engine import CompiledRules, default_rules, score
from loom.modules.assessment.planner.catalogue import Catalogue
from loom.modules.assessment.planner.model import PlanModel, tie_break_weights
from loom.modules.assessment.planner.samples import (
    random_baselines,
    sample_answers,
    sample_catalogue,
)
from loom.modules.assessment.planner.solve import Plan, plan_to_level
from loom.modules.assessment.planner.state import Baseline

NAME = "assessment_plan"
SEED = 2024
TARGET_SECONDS = 1.0
BUILD = "build CP-SAT model, no solve (baseline)"


def build_only(baseline: Baseline, catalogue: Catalogue, target: int) -> PlanModel:
    """Build the model ``plan_to_level`` solves: variables, level constraints, objective."""
    pm = PlanModel(baseline, catalogue)
    pm.require_level(target)
    weights = tie_break_weights(catalogue)
    if weights.exact:
        pm.minimise(weights)
    else:  # plan_to_level then solves in stages; the first stage minimises the cost
        pm.model.minimize(pm.cost)
    return pm


def p95(values: Sequence[float]) -> float:
    """Return the 95th percentile (inclusive interpolation)."""
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def proved_optimal(plan: Plan) -> bool:
    """Return whether the solver proved this plan cheapest: OPTIMAL and objective == bound."""
    proof = plan.proof
    return proof.status == "OPTIMAL" and proof.objective == proof.best_bound


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _row(
    backend: str, case: str, unit: str, ops: int, samples: list[float], base: list[float] | None
) -> Row:
    return Row(
        benchmark=NAME,
        backend=backend,
        case=case,
        unit=unit,
        ops_per_round=ops,
        rounds=len(samples),
        seconds_per_op=samples,
        baseline=None if base is None else BUILD,
        cost_ratios=[] if base is None else [m / b for m, b in zip(samples, base, strict=True)],
    )


def _target_verdict(worst: float) -> str:
    if worst < TARGET_SECONDS:
        return f"met, {TARGET_SECONDS / worst:,.0f}x margin"
    return "NOT met"


def sample_runs(config: Config, report: Report, rules: CompiledRules, target: int) -> None:
    """Plan the sample enterprise to ``target`` many times, each next to a model build."""
    catalogue = sample_catalogue(rules)
    baseline = Baseline.from_result(score(sample_answers(), rules))
    runs = config.pick(101, 15)
    backend = f"sample, level {target}"
    plan_to_level(baseline, catalogue, target)  # warm-up: OR-Tools' first solve loads more
    build_only(baseline, catalogue, target)
    builds: list[float] = []
    plans: list[float] = []
    solver: list[float] = []
    results: list[Plan] = []
    gc.collect()
    for index in range(runs):
        # alternate the order, so that a burst of foreign load does not always hit one side
        for which in ("build", "plan") if index % 2 == 0 else ("plan", "build"):
            started = perf_counter()
            if which == "build":
                build_only(baseline, catalogue, target)
                builds.append(perf_counter() - started)
            else:
                plan = plan_to_level(baseline, catalogue, target)
                plans.append(perf_counter() - started)
                solver.append(plan.proof.solver_time_s)
                results.append(plan)
    proved = sum(proved_optimal(p) for p in results)
    costs = Counter((p.cost_fen, len(p.chosen)) for p in results)
    statuses = Counter(p.proof.status for p in results)
    ok = proved == runs and len(costs) == 1 and all(p.reachable for p in results)
    (cost_fen, chosen), _ = costs.most_common(1)[0]
    report.checks.append(
        Check(
            NAME,
            backend,
            f"{len(catalogue.upgrades)} options, level {target}: OPTIMAL, objective == bound",
            ok,
            f"{proved}/{runs} runs proved optimal ({dict(statuses)}); "
            f"{chosen} options, {cost_fen // 100:,} CNY"
            + ("" if len(costs) == 1 else f"; plans differ between runs: {dict(costs)}"),
        )
    )
    report.rows += [
        _row(backend, BUILD, "builds", 1, builds, None),
        _row(backend, "plan_to_level (build + solve + re-grade)", "plans", 1, plans, builds),
        _row(backend, "of which CP-SAT solve (solver wall time)", "solves", 1, solver, builds),
    ]
    report.notes.append(
        Note(
            NAME,
            backend,
            f"plan_to_level over {runs} runs: median {_ms(statistics.median(plans))}, "
            f"p95 {_ms(p95(plans))}, max {_ms(max(plans))}; solver alone median "
            f"{_ms(statistics.median(solver))}, p95 {_ms(p95(solver))}; model build median "
            f"{_ms(statistics.median(builds))}. "
            f"Target < 1 s per plan: {_target_verdict(max(plans))}",
        )
    )


def batch(config: Config, report: Report, rules: CompiledRules, target: int = 2) -> None:
    """Plan seeded random enterprises one after another, in chunks paired with model builds."""
    catalogue = sample_catalogue(rules)
    count = config.pick(1000, 100)
    chunk = config.pick(50, 25)
    baselines = random_baselines(rules, count, SEED)
    backend = f"{count:,} enterprises, level {target}"
    builds: list[float] = []  # per chunk, seconds per build
    plans: list[float] = []  # per chunk, seconds per plan
    solver: list[float] = []  # per chunk, solver seconds per plan
    each: list[float] = []  # every plan's own time
    results: list[Plan] = []
    plan_to_level(baselines[0], catalogue, target)  # warm-up
    for index, first in enumerate(range(0, count, chunk)):
        group = baselines[first : first + chunk]
        for which in ("build", "plan") if index % 2 == 0 else ("plan", "build"):
            gc.collect()
            started = perf_counter()
            if which == "build":
                for baseline in group:
                    build_only(baseline, catalogue, target)
                builds.append((perf_counter() - started) / len(group))
                continue
            planned: list[Plan] = []
            for baseline in group:
                began = perf_counter()
                planned.append(plan_to_level(baseline, catalogue, target))
                each.append(perf_counter() - began)
            plans.append((perf_counter() - started) / len(group))
            solver.append(sum(p.proof.solver_time_s for p in planned) / len(group))
            results += planned
    optimal = sum(proved_optimal(p) for p in results)
    infeasible = sum(p.proof.status == "INFEASIBLE" for p in results)
    before = Counter(p.before.level for p in results)
    already = sum(not p.chosen and p.reachable for p in results)
    report.checks.append(
        Check(
            NAME,
            backend,
            "every plan proved (OPTIMAL with objective == bound, or INFEASIBLE)",
            optimal + infeasible == count,
            f"{optimal} proved optimal, {infeasible} proved unreachable, of {count}; "
            "levels before: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(before.items()))
            + f"; {already} already at level {target}+",
        )
    )
    report.rows += [
        _row(backend, BUILD, "builds", chunk, builds, None),
        _row(backend, "plan_to_level, one after another", "plans", chunk, plans, builds),
        _row(backend, "of which CP-SAT solve (solver wall time)", "solves", chunk, solver, builds),
    ]
    total = sum(plans[n] * len(baselines[n * chunk : (n + 1) * chunk]) for n in range(len(plans)))
    report.notes.append(
        Note(
            NAME,
            backend,
            f"{count:,} enterprises (seed {SEED}{', --quick' if config.quick else ''}) planned in "
            f"{total:,.2f} s of planning, {count / total:,.1f} plans/s on one core; per plan "
            f"median {_ms(statistics.median(each))}, p95 {_ms(p95(each))}, max {_ms(max(each))}",
        )
    )


def run(config: Config, report: Report) -> None:
    """Time the sample enterprise at levels 2 and 3, then the batch at level 2."""
    rules = default_rules()
    for target in (2, 3):
        sample_runs(config, report, rules, target)
    batch(config, report, rules)
