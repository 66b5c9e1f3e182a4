"""Measure the planner: the 40-option sample catalogue, and a batch of seeded random enterprises.

Run ``python -m loom.modules.assessment.planner.timing``; a benchmark suite can call the
functions and record their dictionaries.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from typing import Any

from loom.modules.assessment.engine import default_rules, score
from loom.modules.assessment.planner.samples import (
    random_baselines,
    sample_answers,
    sample_catalogue,
)
from loom.modules.assessment.planner.solve import plan_to_level
from loom.modules.assessment.planner.state import Baseline


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def time_sample(runs: int = 21, targets: tuple[int, ...] = (2, 3, 4)) -> list[dict[str, Any]]:
    """Return median and worst times of planning the sample enterprise to each target."""
    rules = default_rules()
    catalogue = sample_catalogue(rules)
    baseline = Baseline.from_result(score(sample_answers(), rules))
    results = []
    for target in targets:
        totals, solver = [], []
        for _ in range(runs):
            started = time.perf_counter()
            plan = plan_to_level(baseline, catalogue, target)
            totals.append(time.perf_counter() - started)
            solver.append(plan.proof.solver_time_s)
            if not plan.proof.proved:
                raise AssertionError(f"target {target}: {plan.proof.status} not proved")
        results.append(
            {
                "catalogue_options": len(catalogue.upgrades),
                "target_level": target,
                "status": plan.proof.status,
                "proved": plan.proof.proved,
                "options_chosen": len(plan.chosen),
                "cost_cny": plan.cost_fen // 100,
                "runs": runs,
                "median_ms": _ms(statistics.median(totals)),
                "median_solver_ms": _ms(statistics.median(solver)),
                "max_ms": _ms(max(totals)),
            }
        )
    return results


def time_batch(count: int = 1000, seed: int = 2024, target: int = 2) -> dict[str, Any]:
    """Return the time to plan ``count`` random enterprises against the sample catalogue."""
    rules = default_rules()
    catalogue = sample_catalogue(rules)
    baselines = random_baselines(rules, count, seed)
    started = time.perf_counter()
    plans = [plan_to_level(baseline, catalogue, target) for baseline in baselines]
    elapsed = time.perf_counter() - started
    each = sorted(plan.proof.total_time_s for plan in plans)
    return {
        "enterprises": count,
        "seed": seed,
        "target_level": target,
        "levels_before": dict(sorted(Counter(p.before.level for p in plans).items())),
        "reachable": sum(p.reachable for p in plans),
        "proved": sum(p.proof.proved for p in plans),
        "total_s": round(elapsed, 3),
        "plans_per_s": round(count / elapsed, 1),
        "median_ms": _ms(statistics.median(each)),
        "p95_ms": _ms(each[int(len(each) * 0.95) - 1]),
        "max_ms": _ms(each[-1]),
    }


def main() -> None:
    """Print the timings as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21, help="runs per sample target")
    parser.add_argument("--count", type=int, default=1000, help="enterprises in the batch")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    for line in time_sample(args.runs):
        print(json.dumps(line))
    print(json.dumps(time_batch(args.count, args.seed)))


if __name__ == "__main__":
    main()
