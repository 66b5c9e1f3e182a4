"""Hand edits of an assignment: plain functions from one assignment to the next.

Stations are numbered from 1 in line order, as the planner sees them. An edit refuses only
what cannot be written down (a station that does not exist, a share twice on one station);
everything else it allows, and ``evaluate`` then lists the rules the result breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loom.apps.balancing.solver.model import Assignment, LineProblem, Station
from loom.kernel.errors import ValidationFailed

EDIT_OPS = ("move", "operator", "split", "add_station", "remove_station")
MAX_STATIONS = 500


@dataclass(frozen=True)
class Edit:
    """One hand edit: ``op`` and the fields it uses (see ``apply``)."""

    op: str
    station: int | None = None
    task_id: int | None = None
    to_station: int | None = None
    worker_id: int | None = None
    parts: int | None = None
    after: int | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the edit without its unused fields, as revisions and the audit keep it."""
        fields = ("station", "task_id", "to_station", "worker_id", "parts", "after")
        return {"op": self.op} | {
            f: getattr(self, f) for f in fields if getattr(self, f) is not None
        }


def _station(stations: list[Station], number: int | None, field: str) -> int:
    if number is None or not 1 <= number <= len(stations):
        raise ValidationFailed(
            "a station from 1 to %(n)s", field=field, params={"n": len(stations)}
        )
    return number - 1


def _holds(station: Station, task_id: int) -> bool:
    return any(task == task_id for task, _parts in station.tasks)


def _known_task(problem: LineProblem, task_id: int | None) -> int:
    if task_id is None or task_id not in {t.id for t in problem.tasks}:
        raise ValidationFailed("no such operation in this plan", field="task_id")
    return task_id


def move(stations: list[Station], edit: Edit, problem: LineProblem) -> list[Station]:
    """Move a task, or one share of a split task, from one station to another."""
    task_id = _known_task(problem, edit.task_id)
    source = _station(stations, edit.station, "station")
    target = _station(stations, edit.to_station, "to_station")
    if not _holds(stations[source], task_id):
        raise ValidationFailed("the station does not do this operation", field="task_id")
    if source == target:
        raise ValidationFailed("the operation is at this station already", field="to_station")
    if _holds(stations[target], task_id):
        raise ValidationFailed(
            "the station already does a share of this operation", field="to_station"
        )
    entry = next(e for e in stations[source].tasks if e[0] == task_id)
    stations[source] = Station(
        stations[source].worker_id, tuple(e for e in stations[source].tasks if e[0] != task_id)
    )
    stations[target] = Station(stations[target].worker_id, (*stations[target].tasks, entry))
    return stations


def set_operator(stations: list[Station], edit: Edit, problem: LineProblem) -> list[Station]:
    """Put an operator at a station (or none); one already elsewhere swaps places."""
    index = _station(stations, edit.station, "station")
    worker = edit.worker_id
    if worker is not None and worker not in {w.id for w in problem.workers}:
        raise ValidationFailed("no such operator on the plan's line", field="worker_id")
    previous = stations[index].worker_id
    for other, station in enumerate(stations):
        if worker is not None and other != index and station.worker_id == worker:
            # swapping keeps one operator per station: the planner exchanges two in one step
            stations[other] = Station(previous, station.tasks)
    stations[index] = Station(worker, stations[index].tasks)
    return stations


def split(stations: list[Station], edit: Edit, problem: LineProblem) -> list[Station]:
    """Share a task among ``parts`` stations (1 undoes a split).

    New shares go to new stations right after the last one doing the task; shares taken
    away leave the last such stations, which are dropped if nothing else is left on them.
    """
    task_id = _known_task(problem, edit.task_id)
    parts = edit.parts
    if parts is None or not 1 <= parts <= problem.max_split:
        raise ValidationFailed(
            "a whole number from 1 to %(max)s",
            field="parts",
            params={"max": problem.max_split},
        )
    holders = [i for i, s in enumerate(stations) if _holds(s, task_id)]
    if not holders:
        raise ValidationFailed("no station does this operation", field="task_id")
    if parts == len(holders):
        raise ValidationFailed(
            "the operation is shared by %(n)s station(s) already",
            field="parts",
            params={"n": parts},
        )

    def reshare(station: Station) -> Station:
        tasks = tuple((t, parts if t == task_id else p) for t, p in station.tasks)
        return Station(station.worker_id, tasks)

    if parts > len(holders):
        result = [reshare(s) if i in holders else s for i, s in enumerate(stations)]
        added = [Station(None, ((task_id, parts),)) for _ in range(parts - len(holders))]
        last = holders[-1] + 1
        return result[:last] + added + result[last:]
    dropped = set(holders[parts:])
    result = []
    for i, station in enumerate(stations):
        if i in dropped:
            rest = tuple(e for e in station.tasks if e[0] != task_id)
            if rest:
                result.append(Station(station.worker_id, rest))
        else:
            result.append(reshare(station) if i in holders else station)
    return result


def add_station(stations: list[Station], edit: Edit, problem: LineProblem) -> list[Station]:
    """Insert an empty station after station ``after`` (0 puts it first)."""
    after = edit.after
    if after is None or not 0 <= after <= len(stations):
        raise ValidationFailed(
            "a station from 0 to %(n)s", field="after", params={"n": len(stations)}
        )
    if len(stations) >= MAX_STATIONS:
        raise ValidationFailed("at most %(n)s stations", field="after", params={"n": MAX_STATIONS})
    return [*stations[:after], Station(None, ()), *stations[after:]]


def remove_station(stations: list[Station], edit: Edit, problem: LineProblem) -> list[Station]:
    """Remove a station; its operations go to the station before it (after it, for the first)."""
    index = _station(stations, edit.station, "station")
    gone = stations[index]
    if not gone.tasks:
        return stations[:index] + stations[index + 1 :]
    if len(stations) == 1:
        raise ValidationFailed("the only station cannot be removed", field="station")
    heir = index - 1 if index > 0 else 1
    if any(_holds(stations[heir], task) for task, _parts in gone.tasks):
        raise ValidationFailed(
            "its neighbour already does a share of the same operation", field="station"
        )
    stations[heir] = Station(stations[heir].worker_id, (*stations[heir].tasks, *gone.tasks))
    return stations[:index] + stations[index + 1 :]


_HANDLERS = {
    "move": move,
    "operator": set_operator,
    "split": split,
    "add_station": add_station,
    "remove_station": remove_station,
}


def apply(problem: LineProblem, assignment: Assignment, edit: Edit) -> Assignment:
    """Return the assignment after one hand edit, or raise ValidationFailed naming the field."""
    handler = _HANDLERS.get(edit.op)
    if handler is None:
        raise ValidationFailed(
            "one of %(kinds)s", field="op", params={"kinds": ", ".join(EDIT_OPS)}
        )
    return Assignment(stations=tuple(handler(list(assignment.stations), edit, problem)))
