"""The exact model: tasks' shares on a fixed number of stations, in CP-SAT.

One boolean per (task, station) inside the task's window; a station holds one machine type
and, with named workers, one class of identical workers (so identical workers are never
told apart: that symmetry is gone by construction). A task with a choice of part counts has
one boolean per count, and per station one boolean per count carrying that share's time.
Loads are scaled by ``lcm(1..max_split)`` so every share is an integer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from math import ceil

from ortools.sat.python import cp_model

from loom.apps.balancing.solver.garment.bounds import Window, best_efficiency
from loom.apps.balancing.solver.garment.rules import (
    FULL_EFFICIENCY,
    efficiency,
    may_sew,
    part_scale,
)
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task, Worker


@dataclass(frozen=True)
class WorkerClass:
    """Workers with the same grades and efficiencies: interchangeable on the line."""

    members: tuple[Worker, ...]

    @property
    def sample(self) -> Worker:
        """Return a representative member."""
        return self.members[0]


def worker_classes(workers: tuple[Worker, ...]) -> list[WorkerClass]:
    """Group workers by identical grades and efficiencies, in first-seen order."""
    groups: dict[tuple[object, ...], list[Worker]] = {}
    for worker in workers:
        key = tuple(
            sorted((kind, grade, efficiency(worker, kind)) for kind, grade in worker.grades.items())
        )
        groups.setdefault(key, []).append(worker)
    return [WorkerClass(tuple(members)) for members in groups.values()]


@dataclass
class Outcome:
    """What one CP-SAT run found: its status, its line if any, and the objective bound."""

    status: str  # optimal | feasible | infeasible | unknown
    assignment: Assignment | None
    cycle_e4: int | None
    bound: float
    seconds: float


@dataclass
class LineModel:
    """The CP-SAT model of a line of ``stations`` with a cycle time in ``[cycle_lo, cycle_hi]``.

    ``ranges`` gives each task's allowed part counts; ``allow_empty`` lets stations stay
    unused (then the objective also counts used stations, after the cycle time).
    """

    problem: LineProblem
    stations: int
    cycle_lo: int
    cycle_hi: int
    ranges: Mapping[int, tuple[int, int]]
    windows: Mapping[int, Window]
    allow_empty: bool = False
    split_rule: bool = False  # operators mode: split only tasks longer than the cycle time
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)

    def __post_init__(self) -> None:
        """Build variables and constraints."""
        p, m = self.problem, self.model
        self.scale = part_scale(p.max_split)
        self.cycle = m.new_int_var(self.cycle_lo, self.cycle_hi, "cycle")
        self.kinds = sorted({t.machine_type for t in p.tasks})
        self.classes = worker_classes(p.workers)
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.z: dict[tuple[int, int], cp_model.IntVar] = {}
        self.first: dict[int, cp_model.LinearExprT] = {}
        self.last: dict[int, cp_model.LinearExprT] = {}
        terms: dict[tuple[int, str], list[tuple[int, cp_model.IntVar]]] = {}
        for task in p.tasks:
            self._task(task, terms)
        self.kind_of: dict[tuple[int, str], cp_model.IntVar] = {}
        self.hands: dict[tuple[int, int], cp_model.IntVar] = {}
        self.used: list[cp_model.IntVar] = []
        for k in range(self.stations):
            self._station(k, terms)
        for task in p.tasks:
            for pred in task.predecessors:
                m.add(self.last[pred] <= self.first[task.id])
        self._cuts()

    def _task(
        self, task: Task, terms: dict[tuple[int, str], list[tuple[int, cp_model.IntVar]]]
    ) -> None:
        m, window = self.model, self.windows[task.id]
        lo, hi = self.ranges[task.id]
        xs = {k: m.new_bool_var(f"x{task.id}_{k}") for k in window.stations}
        for k, var in xs.items():
            self.x[task.id, k] = var
        if lo == hi:
            m.add(sum(xs.values()) == lo)
            for k, var in xs.items():
                terms.setdefault((k, task.machine_type), []).append(
                    (task.sam_e4 * self.scale // lo, var)
                )
        else:
            zs = {n: m.new_bool_var(f"z{task.id}_{n}") for n in range(lo, hi + 1)}
            self.z.update({(task.id, n): var for n, var in zs.items()})
            m.add_exactly_one(zs.values())
            m.add(sum(xs.values()) == sum(n * var for n, var in zs.items()))
            for k, var in xs.items():
                ys = {n: m.new_bool_var(f"y{task.id}_{k}_{n}") for n in zs}
                m.add(sum(ys.values()) == var)
                for n, y in ys.items():
                    m.add_implication(y, zs[n])
                    terms.setdefault((k, task.machine_type), []).append(
                        (task.sam_e4 * self.scale // n, y)
                    )
            if self.split_rule and lo == 1:
                self._split_only_when_long(task, zs[1])
        if lo == hi == 1:
            position = sum(k * var for k, var in xs.items())
            self.first[task.id] = self.last[task.id] = position
            return
        first = m.new_int_var(window.first_lo, window.first_hi, f"first{task.id}")
        last = m.new_int_var(window.last_lo, window.last_hi, f"last{task.id}")
        for k, var in xs.items():
            m.add(first <= k).only_enforce_if(var)
            m.add(last >= k).only_enforce_if(var)
        m.add(last - first + 1 >= lo)
        self.first[task.id], self.last[task.id] = first, last

    def _split_only_when_long(self, task: Task, whole: cp_model.IntVar) -> None:
        # split only if the task is longer than the cycle for its slowest qualified operator
        rates = [efficiency(w, task.machine_type) for w in self.problem.workers if may_sew(w, task)]
        slowest = min(rates, default=FULL_EFFICIENCY)
        longest_fit = (task.sam_e4 * FULL_EFFICIENCY - 1) // slowest
        self.model.add(self.cycle <= longest_fit).only_enforce_if(~whole)

    def _station(
        self, k: int, terms: dict[tuple[int, str], list[tuple[int, cp_model.IntVar]]]
    ) -> None:
        m, p = self.model, self.problem
        best = best_efficiency(p)
        kinds = {kind: m.new_bool_var(f"b{k}_{kind}") for kind in self.kinds}
        self.kind_of.update({(k, kind): var for kind, var in kinds.items()})
        used = m.new_bool_var(f"used{k}")
        self.used.append(used)
        m.add(sum(kinds.values()) == used)
        if not self.allow_empty:
            m.add(used == 1)
        here = [self.x[t.id, k] for t in p.tasks if (t.id, k) in self.x]
        m.add(sum(here) >= used)
        for task in p.tasks:
            if (task.id, k) in self.x:
                m.add_implication(self.x[task.id, k], kinds[task.machine_type])
        for kind, var in kinds.items():
            # a station of a machine type holds at least one task of it
            own = [
                self.x[t.id, k] for t in p.tasks if t.machine_type == kind and (t.id, k) in self.x
            ]
            m.add(sum(own) >= var)
        for kind in self.kinds:
            load = sum(c * v for c, v in terms.get((k, kind), []))
            # the fastest qualified hand bounds every station of this type
            m.add(FULL_EFFICIENCY * load <= best[kind] * self.scale * self.cycle)
        if not p.workers:
            return
        hands = {n: m.new_bool_var(f"s{k}_{n}") for n in range(len(self.classes))}
        self.hands.update({(k, n): var for n, var in hands.items()})
        m.add(sum(hands.values()) == used)
        for n, group in enumerate(self.classes):
            worker = group.sample
            for kind in self.kinds:
                if kind not in worker.grades or efficiency(worker, kind) <= 0:
                    m.add_implication(hands[n], ~kinds[kind])
                    continue
                load = sum(c * v for c, v in terms.get((k, kind), []))
                rate = efficiency(worker, kind)
                if rate < best[kind]:
                    m.add(FULL_EFFICIENCY * load <= rate * self.scale * self.cycle).only_enforce_if(
                        hands[n]
                    )
        for task in p.tasks:
            if (task.id, k) in self.x:
                able = [hands[n] for n, g in enumerate(self.classes) if may_sew(g.sample, task)]
                m.add(sum(able) >= self.x[task.id, k])

    def _cuts(self) -> None:
        m, p = self.model, self.problem
        if p.workers:
            for n, group in enumerate(self.classes):
                m.add(sum(self.hands[k, n] for k in range(self.stations)) <= len(group.members))
        best = best_efficiency(p)
        for kind in self.kinds:
            work = sum(t.sam_e4 for t in p.tasks if t.machine_type == kind)
            need = ceil(work * FULL_EFFICIENCY / (self.cycle_hi * best[kind]))
            m.add(sum(self.kind_of[k, kind] for k in range(self.stations)) >= need)
        if self.allow_empty:
            # used stations first: an empty one can always move to the end of the line
            for k in range(1, self.stations):
                m.add(self.used[k] <= self.used[k - 1])

    def hint(self, assignment: Assignment) -> None:
        """Start the search from a known valid line."""
        placed = {
            (task_id, k): parts
            for k, station in enumerate(assignment.stations)
            for task_id, parts in station.tasks
        }
        for (task_id, k), var in self.x.items():
            self.model.add_hint(var, (task_id, k) in placed)
        counts = {task_id: parts for (task_id, _), parts in placed.items()}
        for (task_id, n), var in self.z.items():
            self.model.add_hint(var, counts.get(task_id) == n)
        kinds = {t.id: t.machine_type for t in self.problem.tasks}
        klass = {w.id: n for n, g in enumerate(self.classes) for w in g.members}
        for k in range(self.stations):
            station = assignment.stations[k] if k < len(assignment.stations) else None
            kind = kinds[station.tasks[0][0]] if station and station.tasks else None
            self.model.add_hint(self.used[k], kind is not None)
            for other in self.kinds:
                self.model.add_hint(self.kind_of[k, other], other == kind)
            hand = None if station is None else klass.get(station.worker_id or -1)
            for n in range(len(self.classes)):
                self.model.add_hint(self.hands[k, n], n == hand)

    def solve(self, seconds: float, workers: int, objective: bool) -> Outcome:
        """Solve: feasibility only, or the smallest cycle (then the fewest stations)."""
        if objective:
            if self.allow_empty:
                self.model.minimize(self.cycle * (self.stations + 1) + sum(self.used))
            else:
                self.model.minimize(self.cycle)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 1
        if not objective:
            # a feasibility check: plain propagation and search beat the LP relaxation here
            # (measured on the generated 60-operation styles: 2-4x faster proofs)
            solver.parameters.linearization_level = 0
        code = solver.solve(self.model)
        status = {
            cp_model.OPTIMAL: "optimal",
            cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible",
        }.get(code, "unknown")
        found = None
        cycle = None
        if status in ("optimal", "feasible"):
            found = self._read(solver)
            cycle = solver.value(self.cycle)
        bound = solver.best_objective_bound if objective else 0.0
        return Outcome(status, found, cycle, bound, solver.wall_time)

    def _read(self, solver: cp_model.CpSolver) -> Assignment:
        p = self.problem
        pools = [list(group.members) for group in self.classes]
        line: list[Station] = []
        for k in range(self.stations):
            shares = tuple(
                (t.id, self._parts(solver, t))
                for t in p.tasks
                if (t.id, k) in self.x and solver.value(self.x[t.id, k])
            )
            if not shares:
                continue
            worker_id = None
            if p.workers:
                n = next(n for n in range(len(pools)) if solver.value(self.hands[k, n]))
                worker_id = pools[n].pop(0).id
            line.append(Station(worker_id, shares))
        return Assignment(tuple(line))

    def _parts(self, solver: cp_model.CpSolver, task: Task) -> int:
        lo, hi = self.ranges[task.id]
        if lo == hi:
            return lo
        return next(n for n in range(lo, hi + 1) if solver.value(self.z[task.id, n]))
