"""Judge an assignment: station loads, the bottleneck, and every rule it breaks."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from loom.apps.balancing.solver.garment.rules import may_sew, round_up, share_time
from loom.apps.balancing.solver.model import (
    MINUTE_E4_PER_HOUR,
    Assignment,
    Figures,
    LineProblem,
    Station,
    StationFigures,
    Task,
    Violation,
    Worker,
)


def evaluate(problem: LineProblem, assignment: Assignment) -> Figures:
    """Return the figures of an assignment and every rule it breaks (none when valid)."""
    tasks = {task.id: task for task in problem.tasks}
    workers = {worker.id: worker for worker in problem.workers}
    violations: list[Violation] = []
    loads: list[int] = []
    machine_types: list[str | None] = []
    for index, station in enumerate(assignment.stations):
        worker = _station_worker(problem, workers, index, station, violations)
        load = Fraction(0)
        kinds: list[str] = []
        seen: set[int] = set()
        for task_id, parts in station.tasks:
            task = tasks.get(task_id)
            if task is None:
                violations.append(
                    Violation(
                        "unknown_task", f"Task {task_id} is not in the style.", index, task_id
                    )
                )
                continue
            if task_id in seen:
                violations.append(
                    Violation(
                        "duplicate",
                        f"Task {task.code} appears twice on station {index + 1}.",
                        index,
                        task_id,
                    )
                )
            seen.add(task_id)
            if task.machine_type not in kinds:
                kinds.append(task.machine_type)
            if not may_sew(worker, task):
                violations.append(_skill(task, worker, index))
            # a share with a nonsense part count is timed as the whole task
            load += share_time(task, parts if parts >= 1 else 1, _timed(worker, task))
        if len(kinds) > 1:
            violations.append(
                Violation(
                    "mixed_machines",
                    f"Station {index + 1} mixes machine types: {', '.join(kinds)}.",
                    index,
                )
            )
        loads.append(round_up(load))
        machine_types.append(kinds[0] if len(kinds) == 1 else None)
    violations += _task_rules(problem, tasks, assignment)
    violations += _cycle_rules(problem, assignment, loads)
    return _figures(problem, assignment, loads, machine_types, violations)


def _timed(worker: Worker | None, task: Task) -> Worker | None:
    # a worker who may not sew the task is already reported; time the share at 100 %
    return worker if may_sew(worker, task) else None


def _skill(task: Task, worker: Worker | None, index: int) -> Violation:
    assert worker is not None  # an anonymous operator may sew anything
    grade = worker.grades.get(task.machine_type)
    held = "no grade" if grade is None else f"grade {grade}"
    return Violation(
        "skill",
        f"Worker {worker.code} has {held} on {task.machine_type}; "
        f"task {task.code} needs grade {task.grade}.",
        index,
        task.id,
    )


def _station_worker(
    problem: LineProblem,
    workers: dict[int, Worker],
    index: int,
    station: Station,
    violations: list[Violation],
) -> Worker | None:
    if station.worker_id is None:
        if problem.workers:
            violations.append(Violation("no_worker", f"Station {index + 1} has no worker.", index))
        return None
    worker = workers.get(station.worker_id)
    if worker is None:
        violations.append(
            Violation("unknown_worker", f"Worker {station.worker_id} is not on this line.", index)
        )
    return worker


def _task_rules(
    problem: LineProblem, tasks: dict[int, Task], assignment: Assignment
) -> list[Violation]:
    """Check that every task is placed, split consistently, and after its predecessors."""
    violations: list[Violation] = []
    places: dict[int, list[int]] = defaultdict(list)
    parts_seen: dict[int, set[int]] = defaultdict(set)
    workers_seen: dict[int, list[int]] = defaultdict(list)
    for index, station in enumerate(assignment.stations):
        if station.worker_id is not None:
            workers_seen[station.worker_id].append(index)
        for task_id, parts in station.tasks:
            if task_id in tasks:
                places[task_id].append(index)
                parts_seen[task_id].add(parts)
    for worker_id, indices in workers_seen.items():
        if len(indices) > 1:
            stations = ", ".join(str(i + 1) for i in indices)
            violations.append(
                Violation(
                    "worker_twice",
                    f"Worker {worker_id} staffs several stations: {stations}.",
                    indices[1],
                )
            )
    for task in problem.tasks:
        where = places.get(task.id)
        if not where:
            violations.append(
                Violation("missing", f"Task {task.code} is not assigned.", None, task.id)
            )
            continue
        split = _split_problem(problem, task, sorted(parts_seen[task.id]), len(set(where)))
        if split:
            violations.append(Violation("split", split, where[0], task.id))
    for task in problem.tasks:
        if task.id not in places:
            continue
        first = min(places[task.id])
        for pred_id in task.predecessors:
            if pred_id in places and max(places[pred_id]) > first:
                pred = tasks[pred_id]
                violations.append(
                    Violation(
                        "precedence",
                        f"Task {task.code} on station {first + 1} comes before its "
                        f"predecessor {pred.code} on station {max(places[pred_id]) + 1}.",
                        first,
                        task.id,
                    )
                )
    return violations


def _split_problem(problem: LineProblem, task: Task, parts: list[int], stations: int) -> str:
    """Return what is wrong with a task's split, or an empty string."""
    if len(parts) > 1:
        counts = ", ".join(str(p) for p in parts)
        return f"Task {task.code} is split inconsistently ({counts} parts)."
    count = parts[0]
    if count < 1 or count > problem.max_split:
        return f"Task {task.code} is split in {count} parts; allowed 1 to {problem.max_split}."
    if count != stations:
        return f"Task {task.code} is split in {count} parts but sits on {stations} stations."
    return ""


def _cycle_rules(problem: LineProblem, assignment: Assignment, loads: list[int]) -> list[Violation]:
    violations: list[Violation] = []
    cycle = problem.cycle_time_e4
    if cycle is not None:
        for index, load in enumerate(loads):
            if load > cycle:
                violations.append(
                    Violation(
                        "over_cycle",
                        f"Station {index + 1} is loaded {load / 10_000:.4f} min, above the "
                        f"cycle time of {cycle / 10_000:.4f} min.",
                        index,
                    )
                )
    if problem.operators is not None and len(assignment.stations) > problem.operators:
        violations.append(
            Violation(
                "too_many_operators",
                f"The plan uses {len(assignment.stations)} operators; "
                f"the line has {problem.operators}.",
            )
        )
    return violations


def _figures(
    problem: LineProblem,
    assignment: Assignment,
    loads: list[int],
    machine_types: list[str | None],
    violations: list[Violation],
) -> Figures:
    bottleneck = max(loads, default=0)
    operators = len(loads)
    return Figures(
        operators=operators,
        total_sam_e4=sum(task.sam_e4 for task in problem.tasks),
        bottleneck_e4=bottleneck,
        balance_efficiency=sum(loads) / (operators * bottleneck) if bottleneck else 0.0,
        output_per_hour=MINUTE_E4_PER_HOUR / bottleneck if bottleneck else 0.0,
        bottleneck_stations=tuple(
            i for i, load in enumerate(loads) if bottleneck and load == bottleneck
        ),
        stations=tuple(
            StationFigures(station.worker_id, kind, load, bottleneck - load)
            for station, kind, load in zip(assignment.stations, machine_types, loads, strict=True)
        ),
        violations=tuple(violations),
    )
