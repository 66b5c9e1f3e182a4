"""Solve a style: the fewest operators at a cycle time, or the shortest cycle for operators."""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

from loom.apps.balancing.solver.garment.bounds import cycle_bound, line_bound, windows
from loom.apps.balancing.solver.garment.cpsat import LineModel
from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.garment.heuristic import greedy, greedy_operators
from loom.apps.balancing.solver.garment.rules import (
    FULL_EFFICIENCY,
    efficiency,
    may_sew,
    split_range,
)
from loom.apps.balancing.solver.model import Assignment, LineProblem, Solution


def solve(problem: LineProblem, *, time_limit: float = 10.0, workers: int = 1) -> Solution:
    """Return a proven-optimal line when the time allows, a valid one otherwise, or a refusal.

    Cycle-time mode minimises operators, then the bottleneck; operators mode minimises the
    bottleneck, then operators. Every answer is checked by ``evaluate`` before it is returned.
    """
    started = perf_counter()
    error = problem_error(problem)
    if error:
        return _refuse(error, started)
    if problem.cycle_time_e4 is not None:
        return _fewest_operators(problem, problem.cycle_time_e4, time_limit, workers, started)
    assert problem.operators is not None
    return _shortest_cycle(problem, problem.operators, time_limit, workers, started)


def problem_error(problem: LineProblem) -> str:
    """Return why a problem cannot be balanced as stated, or an empty string."""
    ids = [task.id for task in problem.tasks]
    if not ids:
        return "The style has no operations."
    if len(set(ids)) != len(ids):
        return "Two operations share an id."
    if len({w.id for w in problem.workers}) != len(problem.workers):
        return "Two workers share an id."
    if (problem.cycle_time_e4 is None) == (problem.operators is None):
        return "Give either a cycle time or a number of operators."
    if problem.cycle_time_e4 is not None and problem.cycle_time_e4 <= 0:
        return "The cycle time must be positive."
    if problem.operators is not None and problem.operators <= 0:
        return "The number of operators must be positive."
    if problem.max_split < 1:
        return "The split limit must be at least 1."
    known = set(ids)
    for task in problem.tasks:
        if task.sam_e4 <= 0:
            return f"Operation {task.code} has no standard time."
        if any(pred not in known for pred in task.predecessors):
            return f"Operation {task.code} follows an operation not in the style."
        if problem.workers and not any(may_sew(w, task) for w in problem.workers):
            return (
                f"No worker may sew operation {task.code} "
                f"({task.machine_type}, grade {task.grade})."
            )
    if _has_cycle(problem):
        return "The operations' order has a loop."
    return ""


def _has_cycle(problem: LineProblem) -> bool:
    by_id = {task.id: task for task in problem.tasks}
    state: dict[int, int] = {}  # 1: on the path, 2: finished

    def loops(task_id: int) -> bool:
        state[task_id] = 1
        for pred in by_id[task_id].predecessors:
            if state.get(pred) == 1 or (pred not in state and loops(pred)):
                return True
        state[task_id] = 2
        return False

    return any(task.id not in state and loops(task.id) for task in problem.tasks)


def _fewest_operators(
    problem: LineProblem, cycle: int, limit: float, threads: int, started: float
) -> Solution:
    ranges = {task.id: split_range(problem, task, cycle) for task in problem.tasks}
    for task in problem.tasks:
        if ranges[task.id][0] > ranges[task.id][1]:
            return _refuse(
                f"Operation {task.code} needs more than {problem.max_split} operators "
                "at this cycle time.",
                started,
            )
    least = {task_id: lo for task_id, (lo, _) in ranges.items()}
    bound = line_bound(problem, cycle, least)
    if problem.workers and bound > len(problem.workers):
        return _refuse(
            f"The style needs at least {bound} operators at this cycle time; "
            f"the line has {len(problem.workers)}.",
            started,
        )
    deadline = started + limit
    best = _valid(problem, greedy(problem, cycle))
    most = len(best.stations) if best else len(problem.workers) or _every_share(ranges)
    for stations in range(bound, most + 1):
        if best is not None and stations == len(best.stations):
            break  # the greedy line already has this many: no need to search for one
        model = LineModel(
            problem, stations, cycle, cycle, ranges, windows(problem, stations, cycle, least)
        )
        outcome = model.solve(deadline - perf_counter(), threads, objective=False)
        if outcome.status == "infeasible":
            bound = stations + 1
            continue
        if outcome.status != "unknown":
            best = _valid(problem, outcome.assignment) or best
        break
    if best is None:
        if bound > most:
            return _refuse(f"No valid line exists with up to {most} operators.", started, bound)
        return _refuse(_no_line(bound, most, limit), started, bound)
    stations = len(best.stations)
    if stations > bound:
        return _found(problem, best, bound, started, "fewer operators not ruled out")
    floor = min(cycle_bound(problem, stations), cycle)
    search = Search(problem, stations, threads, deadline, ranges=ranges)
    line, low = search.tighten(best, floor)
    figures = evaluate(problem, line)
    proved = low >= figures.bottleneck_e4
    what = "the fewest operators, then the shortest bottleneck"
    if not proved:
        what = "the fewest operators (proved); the bottleneck is not proved shortest"
    return _result(problem, line, bound, proved, started, what)


def _shortest_cycle(
    problem: LineProblem, operators: int, limit: float, threads: int, started: float
) -> Solution:
    stations = min(operators, len(problem.workers)) if problem.workers else operators
    deadline = started + limit
    low = cycle_bound(problem, stations)
    best = _valid(problem, greedy_operators(problem, stations))
    search = Search(problem, stations, threads, deadline, allow_empty=True)
    if best is None:
        high = _loosest(problem)
        status, found = search.check(low, high)
        best = _valid(problem, found)
        if best is None:
            if status == "infeasible":
                return _refuse(f"No valid line exists with {stations} operators.", started)
            return _refuse(_no_line(stations, stations, limit), started)
    line, low = search.tighten(best, low)
    figures = evaluate(problem, line)
    proved = low >= figures.bottleneck_e4
    return _result(problem, line, low, proved, started, "the shortest bottleneck")


@dataclass
class Search:
    """Bisect the cycle time on a line of fixed length, one CP-SAT feasibility check a step.

    ``ranges`` fixes the part counts (cycle-time mode: split at the target); without it a
    task is split only when longer than the bottleneck (operators mode).
    """

    problem: LineProblem
    stations: int
    threads: int
    deadline: float
    ranges: dict[int, tuple[int, int]] | None = None
    allow_empty: bool = False

    def check(self, low: int, high: int) -> tuple[str, Assignment | None]:
        """Return whether a line with a bottleneck in ``[low, high]`` exists, and one."""
        p = self.problem
        ranges = self.ranges or {t.id: _operator_range(p, t.id, low, high) for t in p.tasks}
        least = {task_id: lo for task_id, (lo, _) in ranges.items()}
        if line_bound(p, high, least) > self.stations:
            return "infeasible", None
        model = LineModel(
            p,
            self.stations,
            low,
            high,
            ranges,
            windows(p, self.stations, high, least),
            allow_empty=self.allow_empty,
            split_rule=self.ranges is None,
        )
        outcome = model.solve(self.deadline - perf_counter(), self.threads, objective=False)
        return outcome.status, outcome.assignment

    def tighten(self, best: Assignment, low: int) -> tuple[Assignment, int]:
        """Return the line with the shortest bottleneck found, and the proved lower bound."""
        high = evaluate(self.problem, best).bottleneck_e4
        while low < high and perf_counter() < self.deadline:
            middle = (low + high - 1) // 2
            status, found = self.check(low, middle)
            line = _valid(self.problem, found)
            if status == "infeasible":
                low = middle + 1
            elif line is not None:
                best, high = line, evaluate(self.problem, line).bottleneck_e4
            else:
                break  # out of time: the bound stays where it is
        return best, low


def _loosest(problem: LineProblem) -> int:
    """Return a cycle time at which every task fits on one station, even for the slowest."""
    rates = [
        efficiency(w, t.machine_type)
        for t in problem.tasks
        for w in problem.workers
        if may_sew(w, t)
    ]
    slowest = min([*rates, FULL_EFFICIENCY])
    return -(-sum(t.sam_e4 for t in problem.tasks) * FULL_EFFICIENCY // slowest)


def _operator_range(problem: LineProblem, task_id: int, low: int, high: int) -> tuple[int, int]:
    """Return part counts valid for some cycle time in ``[low, high]``."""
    task = next(t for t in problem.tasks if t.id == task_id)
    least, _ = split_range(problem, task, high)
    shortest_lo, shortest_hi = split_range(problem, task, low)
    if shortest_lo == shortest_hi == 1:
        return 1, 1  # fits everyone even at the lowest cycle: never split
    return least, max(problem.max_split, least)


def _every_share(ranges: dict[int, tuple[int, int]]) -> int:
    # every share on its own station, in precedence order, is always a valid anonymous line
    return sum(lo for lo, _ in ranges.values())


def _valid(problem: LineProblem, assignment: Assignment | None) -> Assignment | None:
    if assignment is None or evaluate(problem, assignment).violations:
        return None
    return assignment


def _result(
    problem: LineProblem, line: Assignment, bound: int, proved: bool, started: float, what: str
) -> Solution:
    return Solution(
        status="optimal" if proved else "feasible",
        assignment=line,
        figures=evaluate(problem, line),
        lower_bound=bound,
        optimal=proved,
        seconds=perf_counter() - started,
        message=f"Proved optimal: {what}." if proved else f"Best found: {what}.",
    )


def _found(
    problem: LineProblem, line: Assignment, bound: int, started: float, what: str
) -> Solution:
    return Solution(
        "feasible",
        line,
        evaluate(problem, line),
        bound,
        False,
        perf_counter() - started,
        f"Best found: {what}.",
    )


def _no_line(low: int, high: int, limit: float) -> str:
    return (
        f"No valid line found within {limit:g} s ({low} to {high} operators tried); "
        "not proved impossible."
    )


def _refuse(message: str, started: float, bound: int = 0) -> Solution:
    return Solution("infeasible", None, None, bound, False, perf_counter() - started, message)
