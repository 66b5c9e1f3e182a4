"""The textbook CP-SAT model of SALBP-1, kept as the benchmark's baseline.

Binaries x[i,k] (task i in station k, k = 1..UB) and y[k] (station k used); every task in
exactly one station; station loads within the cycle time; precedence through the station
index sum k x[i,k]; minimise the stations used. UB comes from one largest-task-first rule.
No windows, no bounds beyond what CP-SAT derives itself, no symmetry breaking beyond the
customary "stations are used in order".
"""

from __future__ import annotations

from time import perf_counter

from ortools.sat.python import cp_model

from loom.apps.balancing.solver.salbp.exact import Result, validate
from loom.apps.balancing.solver.salbp.heuristic import priority_rule
from loom.apps.balancing.solver.salbp.instance import Instance, check


def solve_baseline(instance: Instance, cycle_time: int, *, time_limit: float = 10.0) -> Result:
    """Solve the plain assignment model with one CP-SAT worker; ``optimal`` if CP-SAT proved."""
    started = perf_counter()
    validate(instance, cycle_time)
    c = cycle_time
    n = instance.n
    start = priority_rule(instance, c, [float(t) for t in instance.times])
    ub = len(start)
    model = cp_model.CpModel()
    x = [[model.new_bool_var(f"x{i}_{k}") for k in range(ub)] for i in range(n)]
    y = [model.new_bool_var(f"y{k}") for k in range(ub)]
    for i in range(n):
        model.add_exactly_one(x[i])
    for k in range(ub):
        model.add(sum(instance.times[i] * x[i][k] for i in range(n)) <= c * y[k])
        if k:
            model.add(y[k] <= y[k - 1])
    station = [sum((k + 1) * x[i][k] for k in range(ub)) for i in range(n)]
    for i, j in instance.precedences:
        model.add(station[i - 1] <= station[j - 1])
    model.minimize(sum(y))
    for i, tasks in enumerate(start):  # the heuristic plan as a hint, as one would in practice
        for task in tasks:
            model.add_hint(x[task][i], True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    plan = [sorted(t + 1 for t in s) for s in start]
    bound = 1
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        stations: list[list[int]] = [[] for _ in range(ub)]
        for i in range(n):
            k = next(k for k in range(ub) if solver.value(x[i][k]))
            stations[k].append(i + 1)
        found = [s for s in stations if s]
        if len(found) <= len(plan):
            plan = found
        bound = int(solver.best_objective_bound)
    if check(instance, c, plan):
        raise AssertionError("the baseline produced an infeasible plan")
    return Result(
        stations=len(plan),
        lower_bound=bound,
        optimal=status == cp_model.OPTIMAL,
        assignment=plan,
        seconds=perf_counter() - started,
    )
