"""A simulated sewing floor: operators scan bundle coupons as real lines do, in simulated time.

Plain data in, scans out, no database: the simulator service loads the factory and sends what
this produces. Each line's operations go to the operators its published plan names, else are
balanced over its operators by skill and standard minutes; each operator pulls the
earliest-ready bundle of their operations, where a bundle is ready for an operation once the
routing's predecessors of that operation are done on it. Work
takes SAM × pieces ÷ efficiency with a random spread, only inside working hours (tea breaks and
lunch excluded), and a few bundles come back as rework or with a defective piece.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

#: working windows of a day, local time: 08:00-17:30 less two tea breaks and lunch (480 min)
WORK_WINDOWS = (
    (time(8, 0), time(10, 0)),
    (time(10, 15), time(12, 0)),
    (time(13, 0), time(15, 0)),
    (time(15, 15), time(17, 30)),
)
#: when an operator has nothing ready, they look again this many minutes later
IDLE_MINUTES = 2.0
DEFAULT_EFFICIENCY = 85


@dataclass(frozen=True)
class SimOperation:
    """An operation of the library: standard minutes, machine type and skill grade."""

    id: int
    sam: float
    machine_type: str
    grade: int = 1


@dataclass(frozen=True)
class SimBundle:
    """A bundle to sew: its ticket number and pieces."""

    number: int
    qty: int


@dataclass(frozen=True)
class SimOrder:
    """An order: its style, the line it is planned on, and its bundles."""

    id: int
    style_id: int
    line_id: int | None
    bundles: tuple[SimBundle, ...]


@dataclass(frozen=True)
class SimOperator:
    """An operator: badge code, line, scanner, and (grade, efficiency %) per machine type."""

    code: str
    line_id: int | None
    device: str
    skills: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class SimFactory:
    """Everything the simulation needs; routings map style → {operation: predecessors}."""

    operations: dict[int, SimOperation]
    routings: dict[int, dict[int, tuple[int, ...]]]
    orders: tuple[SimOrder, ...]
    operators: tuple[SimOperator, ...]
    #: (bundle number, operation) pairs already done before this run
    done: frozenset[tuple[int, int]] = frozenset()
    #: published line plans: (line, style) → {operation: badge codes of the operators on it}
    plans: dict[tuple[int | None, int], dict[int, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class SimConfig:
    """Knobs of the simulated floor."""

    rework_rate: float = 0.02
    defect_rate: float = 0.01
    #: standard deviation of the log of a task's duration around its expected value
    spread: float = 0.12
    tz: str = "Asia/Shanghai"


@dataclass(frozen=True, order=True)
class Scan:
    """One scan an operator makes at their station."""

    ts: datetime
    operator: str
    device: str
    bundle: int
    operation: int
    qty: int
    kind: str


class WorkCalendar:
    """Working time: windows of each local day; the rest (breaks, nights) does not count."""

    def __init__(self, tz: str) -> None:
        """Set up."""
        self.tz = ZoneInfo(tz)

    def _windows(self, day: datetime) -> list[tuple[datetime, datetime]]:
        """Return the working windows of the local day of ``day``."""
        local = day.astimezone(self.tz).date()
        return [
            (datetime.combine(local, a, self.tz), datetime.combine(local, b, self.tz))
            for a, b in WORK_WINDOWS
        ]

    def add(self, start: datetime, minutes: float) -> datetime:
        """Return when ``minutes`` of work started at ``start`` end, skipping non-working time."""
        left = timedelta(minutes=minutes)
        day = start
        while True:
            for a, b in self._windows(day):
                if b <= start:
                    continue
                begin = max(a, start)
                if begin + left <= b:
                    return begin + left
                left -= b - begin
                start = b
            day = datetime.combine(day.astimezone(self.tz).date(), time(12), self.tz)
            day += timedelta(days=1)
            start = max(start, self._windows(day)[0][0])

    def next_working(self, at: datetime) -> datetime:
        """Return ``at`` if it is working time, else when work next starts."""
        return self.add(at, 0.0)


def _efficiency(operator: SimOperator, op: SimOperation) -> int:
    """Return the operator's speed on the operation's machine type, in percent of SAM."""
    efficiency = operator.skills.get(op.machine_type, (0, DEFAULT_EFFICIENCY))[1]
    return efficiency if efficiency > 0 else DEFAULT_EFFICIENCY


def _eligible(operators: Sequence[SimOperator], op: SimOperation) -> list[SimOperator]:
    """Return who may do the operation: graded high enough, else on its machine, else anyone."""
    skilled = [o for o in operators if o.skills.get(op.machine_type, (0, 0))[0] >= op.grade]
    if skilled:
        return skilled
    typed = [o for o in operators if op.machine_type in o.skills]
    return typed or list(operators)


def balance(
    operators: Sequence[SimOperator], ops: Sequence[SimOperation]
) -> dict[int, list[SimOperator]]:
    """Assign each operation to operators of a line, heaviest first, by load and skill."""
    load: dict[str, float] = {o.code: 0.0 for o in operators}
    crew: dict[int, list[SimOperator]] = {op.id: [] for op in ops}
    for op in sorted(ops, key=lambda o: (-o.sam, o.id)):
        pick = min(_eligible(operators, op), key=lambda o: (load[o.code], o.code))
        crew[op.id].append(pick)
        load[pick.code] += op.sam * 100 / _efficiency(pick, op)
    # operators left without work help on the operation with the most minutes per operator
    for operator in operators:
        if load[operator.code]:
            continue
        op = max(ops, key=lambda o: (o.sam / len(crew[o.id]), -o.id))
        crew[op.id].append(operator)
        load[operator.code] += op.sam
    return crew


def crews(
    operators: Sequence[SimOperator],
    ops: Sequence[SimOperation],
    plan: dict[int, tuple[str, ...]] | None,
) -> dict[int, list[SimOperator]]:
    """Return who works each operation: the published plan's operators, else ``balance``.

    An operation the plan leaves to nobody present goes to the least loaded eligible operator,
    so every bundle still gets sewn (those scans then meet the plan's check, as on a real line).
    """
    if not plan:
        return balance(operators, ops)
    present = {o.code: o for o in operators}
    crew = {op.id: [present[c] for c in plan.get(op.id, ()) if c in present] for op in ops}
    load: dict[str, float] = defaultdict(float)
    for op in ops:
        for operator in crew[op.id]:
            load[operator.code] += op.sam / len(crew[op.id])
    for op in ops:
        if not crew[op.id] and operators:
            pick = min(_eligible(operators, op), key=lambda o: (load[o.code], o.code))
            crew[op.id].append(pick)
            load[pick.code] += op.sam
    return crew


def _line_of_orders(factory: SimFactory) -> dict[int, int | None]:
    """Plan each order on a line that has operators (its own when staffed, else round-robin)."""
    staffed = sorted({o.line_id for o in factory.operators if o.line_id is not None})
    lines: dict[int, int | None] = {}
    spare = itertools.cycle(staffed or [None])
    for order in factory.orders:
        lines[order.id] = order.line_id if order.line_id in staffed else next(spare)
    return lines


class _Group:
    """Bundles waiting for one operation of one style on one line, earliest-ready first."""

    def __init__(self, op: SimOperation) -> None:
        """Set up."""
        self.op = op
        self.ready: list[tuple[datetime, int, int]] = []  # (ready at, bundle number, qty)
        self.pending = 0


def simulate(
    factory: SimFactory, start: datetime, rng: random.Random, config: SimConfig | None = None
) -> Iterator[Scan]:
    """Yield the scans of the floor in time order until every bundle is sewn."""
    config = config or SimConfig()
    calendar = WorkCalendar(config.tz)
    start = calendar.next_working(start)
    order_lines = _line_of_orders(factory)
    groups: dict[tuple[int | None, int, int], _Group] = {}
    balanced: set[tuple[int | None, int]] = set()
    duties: defaultdict[str, list[_Group]] = defaultdict(list)
    waiting: dict[tuple[int, int], int] = {}  # (bundle, op) → predecessors not yet claimed
    ready_at: dict[tuple[int, int], datetime] = {}
    successors: dict[int, dict[int, list[int]]] = {}
    group_of: dict[tuple[int, int], _Group] = {}
    for style_id, routing in factory.routings.items():
        succ: dict[int, list[int]] = {op: [] for op in routing}
        for op, preds in routing.items():
            for pred in preds:
                succ.setdefault(pred, []).append(op)
        successors[style_id] = succ
    for order in factory.orders:
        routing = factory.routings.get(order.style_id, {})
        line = order_lines[order.id]
        crew_ops = [factory.operations[op] for op in routing]
        if (line, order.style_id) not in balanced:
            balanced.add((line, order.style_id))
            staff = [o for o in factory.operators if o.line_id == line] or list(factory.operators)
            plan = factory.plans.get((line, order.style_id))
            for op_id, crew in crews(staff, crew_ops, plan).items():
                group = groups[(line, order.style_id, op_id)] = _Group(factory.operations[op_id])
                for operator in crew:
                    duties[operator.code].append(group)
        for bundle in order.bundles:
            for op, preds in routing.items():
                if (bundle.number, op) in factory.done:
                    continue
                group = groups[(line, order.style_id, op)]
                group_of[(bundle.number, op)] = group
                group.pending += 1
                # a predecessor outside the routing could never be done: it does not count
                left = sum((bundle.number, p) not in factory.done for p in preds if p in routing)
                waiting[(bundle.number, op)] = left
                ready_at[(bundle.number, op)] = start
                if left == 0:
                    heapq.heappush(group.ready, (start, bundle.number, bundle.qty))
    styles = {b.number: o.style_id for o in factory.orders for b in o.bundles}
    qtys = {b.number: b.qty for o in factory.orders for b in o.bundles}
    operators = {o.code: o for o in factory.operators}
    clock: list[tuple[datetime, str]] = [(start, code) for code in sorted(duties)]
    heapq.heapify(clock)
    out: list[Scan] = []
    while clock:
        now, code = heapq.heappop(clock)
        while out and out[0].ts <= now:
            yield heapq.heappop(out)
        operator = operators[code]
        mine = [g for g in duties[code] if g.ready]
        if not mine:
            if any(g.pending for g in duties[code]):
                heapq.heappush(clock, (calendar.add(now, IDLE_MINUTES), code))
            continue
        group = min(mine, key=lambda g: g.ready[0][:2])
        ready, number, qty = heapq.heappop(group.ready)
        group.pending -= 1
        task = group.op
        begin = calendar.next_working(max(now, ready))
        minutes = task.sam * qty * 100 / _efficiency(operator, task)
        minutes *= math.exp(rng.gauss(-(config.spread**2) / 2, config.spread))
        end = calendar.add(begin, minutes)
        heapq.heappush(out, Scan(end, code, operator.device, number, task.id, qty, "done"))
        for after in successors[styles[number]].get(task.id, []):
            pair = (number, after)
            if pair not in waiting:
                continue
            waiting[pair] -= 1
            ready_at[pair] = max(ready_at[pair], end)
            if waiting[pair] == 0:
                heapq.heappush(group_of[pair].ready, (ready_at[pair], number, qtys[number]))
        if rng.random() < config.rework_rate:
            pieces = rng.randint(1, min(qty, 3))
            end = calendar.add(end, task.sam * pieces * 100 / _efficiency(operator, task))
            heapq.heappush(out, Scan(end, code, operator.device, number, task.id, pieces, "rework"))
        if rng.random() < config.defect_rate:
            # the defective piece is put aside and scanned a few seconds later, in working time
            end = calendar.add(end, rng.randint(5, 40) / 60)
            heapq.heappush(out, Scan(end, code, operator.device, number, task.id, 1, "defect"))
        heapq.heappush(clock, (end, code))
    while out:
        yield heapq.heappop(out)


def events_per_day(factory: SimFactory) -> float:
    """Return roughly how many scans the floor makes per working day (to place a run in time)."""
    if not factory.operators:
        return 0.0
    minutes = [
        factory.operations[op].sam * b.qty
        for order in factory.orders
        for b in order.bundles
        for op in factory.routings.get(order.style_id, {})
    ]
    if not minutes:
        return 0.0
    per_scan = sum(minutes) / len(minutes) * 100 / DEFAULT_EFFICIENCY
    staffed = len(factory.operators)
    return staffed * 480 / per_scan
