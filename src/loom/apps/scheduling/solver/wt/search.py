"""Iterated dynasearch for 1||ΣwjTj: constructive starts, descents and random-swap kicks."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from time import perf_counter

import numpy as np

from loom.apps.scheduling.solver.wt.evaluate import edd_order, total_weighted_tardiness
from loom.apps.scheduling.solver.wt.instance import Job, check_jobs
from loom.apps.scheduling.solver.wt.moves import IntArray, Neighbourhood, Problem, descend

# Tuned on wt40 (kicks until the best answer, over seeds): 3 swaps within n/4 positions
# needed up to ~4,000 kicks on the hardest instances, 7 swaps within n/2 at most a few hundred.
KICK_SWAPS = 7  # random swaps per kick
KICK_SPAN = 0.5  # a kick swaps jobs at most this fraction of n positions apart
BACKTRACK = 25  # kicks without improving the current solution before returning to the best
PATIENCE_MIN = 200  # plateau: stop after max(PATIENCE_MIN, PATIENCE_PER_JOB * n) kicks in a
PATIENCE_PER_JOB = 25  # row that do not improve the best solution (1,000 for n = 40)


@dataclass(frozen=True)
class Result:
    """The best sequence found (0-based job indices in processing order) and its cost."""

    sequence: tuple[int, ...]
    total_weighted_tardiness: int
    seconds: float
    kicks: int = 0  # perturbations tried after the first descents
    found_at: int = 0  # the kick that found the returned sequence (0: a descent from a start)
    # "zero" (a cost of zero is optimal), "plateau", "time limit" or "single" (one job)
    stopped: str = ""


def apparent_urgency_order(jobs: Sequence[Job], k: float = 2.0) -> list[int]:
    """Return the apparent-urgency (ATC) dispatch order with look-ahead ``k``."""
    mean_p = max(sum(j.processing for j in jobs) / len(jobs), 1e-9)
    left = list(range(len(jobs)))
    clock = 0
    order: list[int] = []
    while left:
        # The next job maximises (w / p) * exp(-slack / (k * mean p)); ties: lowest index.
        best, best_urgency = left[0], -1.0
        for index in left:
            job = jobs[index]
            slack = max(0, job.due - job.processing - clock)
            ratio = job.weight / max(job.processing, 1e-9)
            urgency = ratio * math.exp(-slack / (k * mean_p))
            if urgency > best_urgency:
                best, best_urgency = index, urgency
        left.remove(best)
        order.append(best)
        clock += jobs[best].processing
    return order


def kick(order: IntArray, rng: random.Random) -> IntArray:
    """Return ``order`` perturbed by KICK_SWAPS random swaps of jobs at most KICK_SPAN·n apart."""
    n = len(order)
    span = max(2, round(KICK_SPAN * n))
    result = order.copy()
    for _ in range(KICK_SWAPS):
        i = rng.randrange(n)
        j = min(n - 1, max(0, i + rng.randint(-span, span)))
        result[i], result[j] = result[j], result[i]
    return result


def sequence(jobs: Sequence[Job], *, time_limit: float = 10.0, seed: int = 0) -> Result:
    """Return a sequence minimising total weighted tardiness, searched for ``time_limit`` s."""
    check_jobs(jobs)
    started = perf_counter()
    deadline = started + time_limit
    problem = Problem.of(
        [j.processing for j in jobs], [j.weight for j in jobs], [j.due for j in jobs]
    )
    n = problem.size
    if n == 1:
        # one job has one order: optimal whatever it costs, but "zero" only when it costs 0
        only = np.zeros(1, dtype=np.int64)
        return _result(jobs, only, started, (0, 0), "zero" if problem.cost(only) == 0 else "single")
    neighbourhood = Neighbourhood(problem)
    rng = random.Random(seed)

    best_order: IntArray | None = None
    best_cost = 0
    for start in _starts(jobs):
        order, cost = descend(neighbourhood, start, problem.cost(start))
        if best_order is None or cost < best_cost:
            best_order, best_cost = order, cost
    assert best_order is not None
    current, current_cost = best_order, best_cost
    patience = max(PATIENCE_MIN, PATIENCE_PER_JOB * n)
    kicks = found_at = since_best = since_current = 0
    while True:
        # A cost of zero is a proof of optimality; otherwise stop on a long plateau.
        if best_cost == 0:
            stopped = "zero"
            break
        if since_best >= patience:
            stopped = "plateau"
            break
        if perf_counter() >= deadline:
            stopped = "time limit"
            break
        kicked = kick(current, rng)
        order, cost = descend(neighbourhood, kicked, problem.cost(kicked))
        kicks += 1
        since_best += 1
        since_current += 1
        if cost < best_cost:
            best_order, best_cost = order, cost
            found_at, since_best = kicks, 0
        if cost < current_cost:
            since_current = 0
        if cost <= current_cost:  # equal cost: drift across the plateau
            current, current_cost = order, cost
        elif since_current >= BACKTRACK:
            current, current_cost = best_order, best_cost
            since_current = 0
    return _result(jobs, best_order, started, (kicks, found_at), stopped)


def _starts(jobs: Sequence[Job]) -> list[IntArray]:
    """Return the constructive starting orders: EDD, WSPT and apparent urgency."""
    wspt = sorted(
        range(len(jobs)), key=lambda j: (jobs[j].processing * 1.0 / max(jobs[j].weight, 1e-9), j)
    )
    orders = [edd_order(jobs), wspt, apparent_urgency_order(jobs)]
    return [np.asarray(order, dtype=np.int64) for order in orders]


def _result(
    jobs: Sequence[Job], order: IntArray, started: float, kicks: tuple[int, int], stopped: str
) -> Result:
    chosen = tuple(int(i) for i in order)
    # Recompute the cost in plain Python: the result never trusts the incremental bookkeeping.
    cost = total_weighted_tardiness(jobs, chosen)
    return Result(chosen, cost, perf_counter() - started, *kicks, stopped)
