"""Windows from sub-style bounds: a task's ancestors are a style of their own, bounded the same way.

On any line, the stations up to a task's first share hold all its ancestors ``A_j``: drop
every other share and what is left is a line of the sub-style ``A_j``, so those stations are
at least a lower bound ``B(A_j)`` of that style, and up to its last share at least
``B(A_j ∪ {j})``. Mirrored, the stations from its last share on hold its descendants (a
line read backwards is a line of the style with its precedence reversed). ``B`` is the
windows bound and the closing-chain bound of ``chain.py``, its head bounded the same way
(memoised): so the chain of each sub-assembly, not only the style's own closing chain,
counts the station every change of machine type costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from loom.apps.balancing.solver.garment.bounds import Window, closure, line_bound
from loom.apps.balancing.solver.garment.chain import chain_bound
from loom.apps.balancing.solver.model import LineProblem


@dataclass(frozen=True)
class Reach:
    """Stations a task's shares need before and after them on any line."""

    first: int  # stations up to and including its first share, at least
    last: int  # stations up to and including its last share, at least
    from_last: int  # stations from its last share to the end, at least
    from_first: int  # stations from its first share to the end, at least


def reversed_style(problem: LineProblem) -> LineProblem:
    """Return the style with every precedence edge reversed (a line read backwards)."""
    successors: dict[int, list[int]] = {t.id: [] for t in problem.tasks}
    for task in problem.tasks:
        for pred in task.predecessors:
            successors[pred].append(task.id)
    tasks = tuple(replace(t, predecessors=tuple(successors[t.id])) for t in problem.tasks)
    return replace(problem, tasks=tasks)


class SubBounds:
    """Lower bounds on the operators of down-closed sub-styles, memoised."""

    def __init__(
        self,
        problem: LineProblem,
        cycle_e4: int,
        ranges: Mapping[int, tuple[int, int]],
        known: Mapping[frozenset[int], int] | None = None,
    ) -> None:
        """Keep the style; bounds are computed on demand, ``known`` ones (proved) kept."""
        self.problem = problem
        self.cycle = cycle_e4
        self.ranges = ranges
        self.least = {task_id: lo for task_id, (lo, _) in ranges.items()}
        self.by_id = {t.id: t for t in problem.tasks}
        self.memo: dict[frozenset[int], int] = {}
        self.known = dict(known or {})

    def bound(self, ids: frozenset[int]) -> int:
        """Return a lower bound on the operators of the sub-style of ``ids`` (down-closed)."""
        if not ids:
            return 0
        if ids not in self.memo:
            tasks = tuple(
                replace(t, predecessors=tuple(p for p in t.predecessors if p in ids))
                for t in self.problem.tasks
                if t.id in ids
            )
            sub = replace(self.problem, tasks=tasks)
            found = line_bound(sub, self.cycle, self.least)
            chained = chain_bound(
                sub,
                self.ranges,
                self.cycle,
                lambda head: self.bound(frozenset(t.id for t in head.tasks)),
            )
            self.memo[ids] = max(found, chained, self.known.get(ids, 0))
        return self.memo[ids]


def reaches(forward: SubBounds) -> dict[int, Reach]:
    """Return each task's stations needed before and after it, from sub-style bounds."""
    problem = forward.problem
    ancestors, descendants = closure(problem.tasks)
    backward = SubBounds(reversed_style(problem), forward.cycle, forward.ranges)
    result: dict[int, Reach] = {}
    for task in problem.tasks:
        up = frozenset(ancestors[task.id])
        down = frozenset(descendants[task.id])
        result[task.id] = Reach(
            forward.bound(up),
            forward.bound(up | {task.id}),
            backward.bound(down),
            backward.bound(down | {task.id}),
        )
    return result


def tightened(
    found: Mapping[int, Window], reach: Mapping[int, Reach], stations: int
) -> dict[int, Window]:
    """Return windows on a line of ``stations`` narrowed by the sub-style bounds."""
    result: dict[int, Window] = {}
    for task_id, w in found.items():
        r = reach[task_id]
        result[task_id] = Window(
            max(w.first_lo, r.first - 1),
            min(w.first_hi, stations - r.from_first),
            max(w.last_lo, r.last - 1),
            min(w.last_hi, stations - r.from_last),
        )
    return result
