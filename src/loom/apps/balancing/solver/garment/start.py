"""Hint a group model with a known line, completely, so CP-SAT takes it as a first solution."""

from __future__ import annotations

from typing import TYPE_CHECKING

from loom.apps.balancing.solver.model import Assignment

if TYPE_CHECKING:
    from loom.apps.balancing.solver.garment.grouped import GroupModel


def start_from(group: GroupModel, assignment: Assignment) -> None:
    """Hint every variable of ``group`` with ``assignment`` (skipped if it does not fit)."""
    # imported here: the group model imports this module
    from loom.apps.balancing.solver.garment.grouped import Share

    m = group.model
    if (
        any(
            not group.ranges[t][0] <= n <= group.ranges[t][1]
            for s in assignment.stations
            for t, n in s.tasks
        )
        or len(assignment.stations) > group.most
    ):
        return  # a line outside this model's choices: no hint
    index = {kind: {s: r for r, s in enumerate(items)} for kind, items in group.items.items()}
    kind_of = {t.id: t.machine_type for t in group.problem.tasks}
    klass = {w.id: n for n, g in enumerate(group.classes) for w in g.members}
    groups: dict[str, list[int]] = {kind: [] for kind in group.kinds}
    for k, station in enumerate(assignment.stations):
        groups[kind_of[station.tasks[0][0]]].append(k)
    # groups of a type are numbered by their first share; a task's parts go in group order
    base = {
        t.id: index[t.machine_type][Share(t, 0)]
        for t in group.problem.tasks
        if t.machine_type in index
    }
    number: dict[int, int] = {}  # station -> group number within its type
    for stations in groups.values():
        ranked = sorted(
            stations, key=lambda k: (min(base[t] for t, _ in assignment.stations[k].tasks), k)
        )
        number.update({k: b for b, k in enumerate(ranked)})
    slot_of: dict[tuple[int, int], int] = {}  # (task, station) -> slot
    for task_id in kind_of:
        places = [k for k, s in enumerate(assignment.stations) for t, _ in s.tasks if t == task_id]
        slot_of.update(
            {(task_id, k): n for n, k in enumerate(sorted(places, key=number.__getitem__))}
        )
    parts = {t: n for s in assignment.stations for t, n in s.tasks}
    placed: dict[Share, int] = {}
    station_of: dict[Share, int] = {}
    for kind, stations in groups.items():
        for k in stations:
            b = number[k]
            station = assignment.stations[k]
            m.add_hint(group.used[kind, b], True)
            if (kind, b) in group.potential:
                m.add_hint(group.potential[kind, b], k)
            for (_, _, n), var in (
                (key, v) for key, v in group.hands.items() if key[:2] == (kind, b)
            ):
                m.add_hint(var, n == klass.get(station.worker_id or -1))
            for t, _ in station.tasks:
                placed[Share(group.by_id[t], slot_of[t, k])] = b
                station_of[Share(group.by_id[t], slot_of[t, k])] = k
        for b in range(len(stations), sum(1 for key in group.used if key[0] == kind)):
            m.add_hint(group.used[kind, b], False)
    for (share, b), var in group.y.items():
        m.add_hint(var, placed.get(share) == b)
    for (task_id, n), var in group.z.items():
        m.add_hint(var, parts.get(task_id) == n)
    # a complete hint: CP-SAT takes it as a first solution without having to repair it
    for share, var in group.where.items():
        m.add_hint(var, placed.get(share, 0))
    for share, var in group.level.items():
        m.add_hint(var, station_of.get(share, 0))
    for share, present in group.active.items():
        if not isinstance(present, int):
            m.add_hint(present, share in placed)
    for (before, after), var in group.same.items():
        m.add_hint(var, before in placed and placed.get(before) == placed.get(after))
    for (share, b, n), var in group.w.items():
        m.add_hint(var, placed.get(share) == b and parts.get(share.task.id) == n)
