"""The exact model: operators as unordered groups of one machine type, in CP-SAT.

A line is a partition of the tasks' shares into groups (one per operator), each of one
machine type, and an order of the groups that respects precedence. Such an order exists
exactly when the groups can be given integer potentials that rise strictly along every
precedence edge between two groups (and stay equal inside one): the longest-path depth of
the groups' graph is one, and any potentials can be sorted into a line. So the model has no
station index at all: one boolean per (share, group of its own machine type), and one
potential per group. That removes the line-order symmetry (every interleaving of
independent sub-assemblies is the same partition) and the machine-type symmetry of
station-indexed models; groups of one type are told apart by their first share only.

``relaxed`` drops the potentials: what is left is a bin packing per machine type with the
conflicts precedence implies, a lower bound on the line (``packing.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

from ortools.sat.python import cp_model

from loom.apps.balancing.solver.garment.bounds import best_efficiency, closure
from loom.apps.balancing.solver.garment.rules import (
    FULL_EFFICIENCY,
    efficiency,
    may_sew,
    part_scale,
)
from loom.apps.balancing.solver.garment.start import start_from
from loom.apps.balancing.solver.garment.workers import WorkerClass, worker_classes
from loom.apps.balancing.solver.model import Assignment, LineProblem, Station, Task


@dataclass
class Outcome:
    """What one CP-SAT run found: its status, its line if any, and the objective bound."""

    status: str  # optimal | feasible | infeasible | unknown
    assignment: Assignment | None
    cycle_e4: int | None
    bound: float


@dataclass(frozen=True)
class Share:
    """Slot ``slot`` of a task: present when the task is split in more than ``slot`` parts."""

    task: Task
    slot: int


@dataclass
class GroupModel:
    """Groups of shares for a line of at most ``most`` operators, cycle in a range.

    ``ranges`` gives each task's allowed part counts; ``split_rule`` (operators mode) lets
    a task be split only when it is longer than the cycle for its slowest qualified hand.
    """

    problem: LineProblem
    most: int
    cycle_lo: int
    cycle_hi: int
    ranges: Mapping[int, tuple[int, int]]
    split_rule: bool = False
    relaxed: bool = False
    only: str | None = None  # model only this machine type's groups (a relaxation)
    # per machine type, the split counts its split tasks may take together (None: any)
    allowed: Mapping[str, list[tuple[tuple[int, int], ...]] | None] = field(default_factory=dict)
    # per task, the stations (0-based) its shares may sit on in any line of ``most``
    # stations; a line's station numbers are valid potentials, so they keep every line
    places: Mapping[int, tuple[int, int]] = field(default_factory=dict)
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)

    def __post_init__(self) -> None:
        """Build variables and constraints."""
        p, m = self.problem, self.model
        self.scale = part_scale(p.max_split)
        self.cycle = m.new_int_var(self.cycle_lo, self.cycle_hi, "cycle")
        self.classes: list[WorkerClass] = worker_classes(p.workers)
        self.kinds = [self.only] if self.only else sorted({t.machine_type for t in p.tasks})
        self.best = best_efficiency(p)
        self.by_id = {t.id: t for t in p.tasks}
        self.items: dict[str, list[Share]] = {kind: [] for kind in self.kinds}
        for task in sorted(p.tasks, key=lambda t: (-t.sam_e4 // self.ranges[t.id][0], t.id)):
            if task.machine_type not in self.items:
                continue
            for slot in range(self.ranges[task.id][1]):
                self.items[task.machine_type].append(Share(task, slot))
        self.y: dict[tuple[Share, int], cp_model.IntVar] = {}
        self.active: dict[Share, cp_model.IntVar | int] = {}  # 1, or a presence boolean
        self.z: dict[tuple[int, int], cp_model.IntVar] = {}
        self.used: dict[tuple[str, int], cp_model.IntVar] = {}
        self.hands: dict[tuple[str, int, int], cp_model.IntVar] = {}
        self.potential: dict[tuple[str, int], cp_model.IntVar] = {}
        self.where: dict[Share, cp_model.IntVar] = {}  # the share's group number
        self.level: dict[Share, cp_model.IntVar] = {}  # the share's group's potential
        self.same: dict[tuple[Share, Share], cp_model.IntVar] = {}
        self.w: dict[tuple[Share, int, int], cp_model.IntVar] = {}
        for task in p.tasks:
            if task.machine_type in self.kinds:
                self._parts(task)
        for kind in self.kinds:
            self._groups(kind)
        m.add(sum(self.used.values()) <= self.most)
        for kind, combinations in self.allowed.items():
            if combinations is not None and kind in self.items:
                self._combinations(combinations)
        self._conflicts()
        if not self.relaxed:
            self._order()
        if p.workers:
            for n, group in enumerate(self.classes):
                hands = [v for (_, _, c), v in self.hands.items() if c == n]
                m.add(sum(hands) <= len(group.members))

    @property
    def stations(self) -> cp_model.LinearExpr:
        """Return the number of operators used."""
        return cp_model.LinearExpr.sum(list(self.used.values()))

    def _parts(self, task: Task) -> None:
        m = self.model
        lo, hi = self.ranges[task.id]
        shares = [Share(task, slot) for slot in range(hi)]
        if lo == hi:
            self.active.update(dict.fromkeys(shares, 1))
            return
        zs = {n: m.new_bool_var(f"z{task.id}_{n}") for n in range(lo, hi + 1)}
        self.z.update({(task.id, n): var for n, var in zs.items()})
        m.add_exactly_one(zs.values())
        for share in shares:
            if share.slot < lo:
                self.active[share] = 1
                continue
            # present when the task has more parts than this slot's number
            present = m.new_bool_var(f"a{task.id}_{share.slot}")
            m.add(present == sum(var for n, var in zs.items() if n > share.slot))
            self.active[share] = present
        if self.split_rule and lo == 1:
            rates = [
                efficiency(w, task.machine_type) for w in self.problem.workers if may_sew(w, task)
            ]
            slowest = min(rates, default=FULL_EFFICIENCY)
            longest_fit = (task.sam_e4 * FULL_EFFICIENCY - 1) // slowest
            m.add(self.cycle <= longest_fit).only_enforce_if(~zs[1])

    def _combinations(self, combinations: list[tuple[tuple[int, int], ...]]) -> None:
        m = self.model
        if not combinations:
            m.add_bool_or([])  # no combination fits: the model is infeasible
            return
        ids = [task_id for task_id, _ in combinations[0]]
        counts = []
        for task_id in ids:
            lo, hi = self.ranges[task_id]
            count = m.new_int_var(lo, hi, f"n{task_id}")
            m.add(count == sum(n * self.z[task_id, n] for n in range(lo, hi + 1)))
            counts.append(count)
        m.add_allowed_assignments(counts, [[n for _, n in c] for c in combinations])

    def _groups(self, kind: str) -> None:
        m, p = self.model, self.problem
        items = self.items[kind]
        count = min(len(items), self.most)
        # symmetry: groups are numbered by their first share in ``items`` order, so share r
        # sits in a group numbered at most r, and used groups come first
        for r, share in enumerate(items):
            chosen = [
                m.new_bool_var(f"y{share.task.id}_{share.slot}_{b}")
                for b in range(min(r + 1, count))
            ]
            for b, var in enumerate(chosen):
                self.y[share, b] = var
            m.add(sum(chosen) == self.active[share])
            where = m.new_int_var(0, max(len(chosen) - 1, 0), f"g{share.task.id}_{share.slot}")
            m.add(where == sum(b * var for b, var in enumerate(chosen)))
            self.where[share] = where
        for task in {s.task.id: s.task for s in items}.values():
            slots = [s for s in items if s.task.id == task.id]
            for b in range(count):
                m.add_at_most_one(self.y[s, b] for s in slots if (s, b) in self.y)
            for before, after in pairwise(slots):
                # the parts of a task are interchangeable: keep them in group order
                m.add(self.where[after] >= self.where[before] + 1).only_enforce_if(
                    self._guards(after)
                )
        classes = [n for n, g in enumerate(self.classes) if kind in g.sample.grades]
        loads = []
        for b in range(count):
            used = m.new_bool_var(f"u{kind}_{b}")
            self.used[kind, b] = used
            if b > 0:
                m.add(used <= self.used[kind, b - 1])
            here = [(s, self.y[s, b]) for s in items if (s, b) in self.y]
            for _, var in here:
                m.add_implication(var, used)
            m.add(sum(var for _, var in here) >= used)
            load = sum(self._size(s, b, var) for s, var in here)
            loads.append(load)
            m.add(FULL_EFFICIENCY * load <= self.best[kind] * self.scale * self.cycle)
            if not p.workers:
                continue
            hands = {n: m.new_bool_var(f"h{kind}_{b}_{n}") for n in classes}
            self.hands.update({(kind, b, n): var for n, var in hands.items()})
            m.add(sum(hands.values()) == used)
            for n, var in hands.items():
                rate = efficiency(self.classes[n].sample, kind)
                if rate < self.best[kind]:
                    m.add(FULL_EFFICIENCY * load <= rate * self.scale * self.cycle).only_enforce_if(
                        var
                    )
            for share, var in here:
                able = [h for n, h in hands.items() if may_sew(self.classes[n].sample, share.task)]
                m.add(sum(able) >= var)
        # cuts: the type's shares add up to its work whatever the split, so it needs at least
        # ceil(work / capacity) groups at the loosest cycle
        work = sum(t.sam_e4 for t in p.tasks if t.machine_type == kind)
        m.add(sum(loads) == work * self.scale)
        need = -(-work * FULL_EFFICIENCY // (self.best[kind] * self.cycle_hi))
        m.add(sum(self.used[kind, b] for b in range(count)) >= min(need, count))

    def _guards(self, *shares: Share) -> list[cp_model.IntVar]:
        """Return the presence booleans of the optional ones among ``shares``."""
        return [v for s in shares if not isinstance(v := self.active[s], int)]

    def _size(self, share: Share, b: int, var: cp_model.IntVar) -> cp_model.LinearExprT:
        task = share.task
        lo, hi = self.ranges[task.id]
        if lo == hi:
            return (task.sam_e4 * self.scale // lo) * var
        # the share's time depends on the part count: one boolean per count it may have
        m = self.model
        counts = range(max(lo, share.slot + 1), hi + 1)
        ws = {n: m.new_bool_var(f"w{task.id}_{share.slot}_{b}_{n}") for n in counts}
        self.w.update({(share, b, n): w for n, w in ws.items()})
        m.add(sum(ws.values()) == var)
        for n, w in ws.items():
            m.add_implication(w, self.z[task.id, n])
        return sum((task.sam_e4 * self.scale // n) * w for n, w in ws.items())

    def _conflicts(self) -> None:
        """Forbid two shares of one type in a group when precedence runs between them."""
        ancestors, descendants = closure(self.problem.tasks)
        # a task that may stay whole can join the group; one that must be split cannot
        whole = {t.id: self.ranges[t.id][0] == 1 for t in self.problem.tasks}
        apart: dict[tuple[int, int], bool] = {}  # per pair of tasks: their shares are

        def conflict(a: int, b: int, kind: str) -> bool:
            if (a, b) not in apart:
                between = (descendants[a] & ancestors[b]) | (descendants[b] & ancestors[a])
                # every task in between must share the group (else a cycle through two
                # groups): impossible for another machine type or a task split for sure
                apart[a, b] = not all(
                    self.by_id[k].machine_type == kind and whole[k] for k in between
                )
            return apart[a, b]

        for kind, items in self.items.items():
            for i, first in enumerate(items):
                for second in items[:i]:
                    a, b = first.task.id, second.task.id
                    if a == b or not (a in ancestors[b] or b in ancestors[a]):
                        continue
                    if not conflict(a, b, kind):
                        continue
                    for g in range(min(i, len(items))):
                        if (first, g) in self.y and (second, g) in self.y:
                            self.model.add_bool_or([~self.y[first, g], ~self.y[second, g]])

    def _order(self) -> None:
        """Give every group a potential rising strictly along precedence between groups."""
        m = self.model
        top = max(self.most - 1, 0)
        for kind, b in self.used:
            self.potential[kind, b] = m.new_int_var(0, top, f"p{kind}_{b}")
        for kind, items in self.items.items():
            for share in items:
                lo, hi = self.places.get(share.task.id, (0, top))
                level = m.new_int_var(max(lo, 0), min(hi, top), f"l{share.task.id}_{share.slot}")
                self.level[share] = level
                for b in range(len(items)):
                    if (share, b) in self.y:
                        m.add(level == self.potential[kind, b]).only_enforce_if(self.y[share, b])
        for task in self.problem.tasks:
            for pred_id in task.predecessors:
                pred = self.by_id[pred_id]
                for after in self._shares(task):
                    for before in self._shares(pred):
                        self._edge(before, after)

    def _shares(self, task: Task) -> list[Share]:
        return [Share(task, slot) for slot in range(self.ranges[task.id][1])]

    def _edge(self, before: Share, after: Share) -> None:
        m = self.model
        enforce = self._guards(before, after)
        if before.task.machine_type != after.task.machine_type:
            m.add(self.level[after] >= self.level[before] + 1).only_enforce_if(enforce)
            return
        same = m.new_bool_var(f"s{before.task.id}_{before.slot}_{after.task.id}_{after.slot}")
        self.same[before, after] = same
        m.add(self.where[after] == self.where[before]).only_enforce_if(same)
        m.add(self.level[after] >= self.level[before]).only_enforce_if(enforce)
        m.add(self.level[after] >= self.level[before] + 1).only_enforce_if([~same, *enforce])

    def hint(self, assignment: Assignment) -> None:
        """Start the search from a known valid line."""
        start_from(self, assignment)

    def solve(self, seconds: float, workers: int, objective: str = "", lowest: int = 0) -> Outcome:
        """Solve: feasibility only, or minimise ``stations``, or the ``cycle`` then stations.

        ``lowest`` is a proved lower bound on the objective, given to CP-SAT as a constraint
        so its search stops as soon as a solution meets it.
        """
        if objective == "stations":
            self.model.add(self.stations >= lowest)
            self.model.minimize(self.stations)
        elif objective == "cycle":
            # the cycle first, then the fewest operators (always at most ``most``)
            self.model.add(self.cycle >= lowest)
            self.model.minimize(self.cycle * (self.most + 1) + self.stations)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(seconds, 0.01)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = 1
        code = solver.solve(self.model)
        status = {
            cp_model.OPTIMAL: "optimal",
            cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible",
        }.get(code, "unknown")
        found = None
        cycle = None
        if status in ("optimal", "feasible"):
            found = None if self.relaxed else self._read(solver)
            cycle = solver.value(self.cycle)
        bound = solver.best_objective_bound if objective else 0.0
        if status == "optimal" and objective:
            bound = solver.objective_value
        if objective == "cycle":  # the bound on the cycle part of the objective
            bound = float(-(-(int(bound) - self.most) // (self.most + 1)))
        return Outcome(status, found, cycle, bound)

    def _read(self, solver: cp_model.CpSolver) -> Assignment:
        pools = [list(group.members) for group in self.classes]
        line: list[tuple[int, str, int, Station]] = []
        for (kind, b), used in self.used.items():
            if not solver.value(used):
                continue
            shares = tuple(
                (s.task.id, self._count(solver, s.task))
                for s in self.items[kind]
                if (s, b) in self.y and solver.value(self.y[s, b])
            )
            worker_id = None
            if self.problem.workers:
                n = next(
                    n
                    for (k, g, n), v in self.hands.items()
                    if (k, g) == (kind, b) and solver.value(v)
                )
                worker_id = pools[n].pop(0).id
            line.append(
                (solver.value(self.potential[kind, b]), kind, b, Station(worker_id, shares))
            )
        # groups of equal potential have no precedence between them: any order is valid
        line.sort(key=lambda entry: entry[:3])
        return Assignment(tuple(entry[3] for entry in line))

    def _count(self, solver: cp_model.CpSolver, task: Task) -> int:
        lo, hi = self.ranges[task.id]
        if lo == hi:
            return lo
        return next(n for n in range(lo, hi + 1) if solver.value(self.z[task.id, n]))
