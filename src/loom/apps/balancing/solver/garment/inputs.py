"""What makes a style impossible to balance as stated: bad input, before any search."""

from __future__ import annotations

from loom.apps.balancing.solver.garment.rules import may_sew
from loom.apps.balancing.solver.model import LineProblem


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
