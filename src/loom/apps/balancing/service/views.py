"""A plan as pages, exports and the API show it: stations with names, loads and violations."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from loom.apps.balancing.i18n import msgid
from loom.apps.balancing.models import BalancingPlan
from loom.apps.balancing.solver.model import E4

Gettext = Callable[..., str]
BRAND = "#1f5fbf"
ALERT = "#c0392b"
LINE = "#e67e22"

#: each violation code as a translatable sentence; the engine's own English stays as a tooltip
VIOLATION_TEXTS = {
    "skill": msgid("Station %(station)s: the operator lacks the skill grade for %(task)s."),
    "mixed_machines": msgid("Station %(station)s mixes machine types."),
    "precedence": msgid("%(task)s comes before one of its predecessors."),
    "split": msgid("%(task)s is split inconsistently."),
    "missing": msgid("%(task)s is on no station."),
    "duplicate": msgid("%(task)s appears twice on station %(station)s."),
    "over_cycle": msgid("Station %(station)s is loaded above the cycle time."),
    "no_worker": msgid("Station %(station)s has no operator."),
    "unknown_worker": msgid("Station %(station)s names an operator who is not on the line."),
    "unknown_task": msgid("Station %(station)s names an operation that is not in the style."),
    "worker_twice": msgid("Station %(station)s: the operator staffs several stations."),
    "too_many_operators": msgid("The plan uses more operators than asked for."),
}


def minutes(value_e4: int | float | None) -> str:
    """Return ten-thousandths of a minute as minutes with three decimals."""
    if value_e4 is None:
        return "—"
    return f"{value_e4 / E4:.3f}"


@dataclass(frozen=True)
class ViolationRow:
    """One broken rule, with what a page needs to translate it."""

    code: str
    message: str  # the engine's English sentence
    station: int | None  # numbered from 1
    task_code: str

    def text(self, gettext: Gettext) -> str:
        """Return the rule in the page's language (the engine's English when unknown)."""
        template = VIOLATION_TEXTS.get(self.code)
        if template is None:
            return self.message
        return gettext(template, station=self.station or "—", task=self.task_code or "—")


@dataclass(frozen=True)
class TaskRow:
    """One operation (or share of one) at a station, timed for the station's operator."""

    id: int
    code: str
    name: str
    machine_type: str
    parts: int
    time_e4: int


@dataclass(frozen=True)
class StationRow:
    """One station of the line: its operator, operations, load and idle time."""

    number: int
    worker_id: int | None
    worker_code: str
    worker_name: str
    machine_type: str | None
    tasks: tuple[TaskRow, ...]
    load_e4: int
    idle_e4: int
    bottleneck: bool
    violations: tuple[ViolationRow, ...] = ()


@dataclass(frozen=True)
class PlanView:
    """Everything shown of one plan."""

    plan: BalancingPlan
    stations: tuple[StationRow, ...]
    violations: tuple[ViolationRow, ...]
    figures: Mapping[str, Any]
    workers: tuple[Mapping[str, Any], ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        """Return whether the plan breaks no rule."""
        return not self.violations

    @property
    def pace_e4(self) -> int:
        """Return the line the loads are drawn against: the cycle time, else the bottleneck."""
        return int(self.plan.cycle_time_e4 or self.figures["bottleneck_e4"])


def _share_e4(task: Mapping[str, Any], parts: int, worker: Mapping[str, Any] | None) -> int:
    efficiency = 100
    if worker is not None:
        efficiency = int(worker["efficiency"].get(task["machine_type"], 100)) or 100
    # the engine's rule: sam / parts * 100 / efficiency, rounded up to a whole e4
    return ceil(int(task["sam_e4"]) * 100 / (parts * efficiency))


def view_of(plan: BalancingPlan) -> PlanView:
    """Return the plan with names, per-station loads and violations placed on their stations."""
    tasks = {int(t["id"]): t for t in plan.problem["tasks"]}
    workers = {int(w["id"]): w for w in plan.problem["workers"]}
    figures = plan.figures
    stats = figures["stations"]
    bottlenecks = set(figures["bottleneck_stations"])
    per_station: dict[int | None, list[ViolationRow]] = {}
    for v in figures.get("violations", []):
        task = tasks.get(v["task_id"]) if v.get("task_id") is not None else None
        number = None if v.get("station") is None else int(v["station"]) + 1
        row = ViolationRow(v["code"], v["message"], number, task["code"] if task else "")
        per_station.setdefault(number, []).append(row)
    rows = []
    for index, station in enumerate(plan.assignment["stations"]):
        worker = workers.get(station["worker_id"]) if station["worker_id"] is not None else None
        task_rows = tuple(
            TaskRow(
                id=int(task_id),
                code=str(tasks[int(task_id)]["code"]) if int(task_id) in tasks else str(task_id),
                name=str(tasks[int(task_id)].get("name", "")) if int(task_id) in tasks else "",
                machine_type=str(tasks[int(task_id)]["machine_type"])
                if int(task_id) in tasks
                else "",
                parts=int(parts),
                time_e4=_share_e4(tasks[int(task_id)], int(parts), worker)
                if int(task_id) in tasks
                else 0,
            )
            for task_id, parts in station["tasks"]
        )
        stat = stats[index] if index < len(stats) else {}
        rows.append(
            StationRow(
                number=index + 1,
                worker_id=station["worker_id"],
                worker_code=str(worker["code"]) if worker else "",
                worker_name=str(worker.get("name", "")) if worker else "",
                machine_type=stat.get("machine_type"),
                tasks=task_rows,
                load_e4=int(stat.get("load_e4", 0)),
                idle_e4=int(stat.get("idle_e4", 0)),
                bottleneck=index in bottlenecks,
                violations=tuple(per_station.get(index + 1, [])),
            )
        )
    every = tuple(v for group in per_station.values() for v in group)
    return PlanView(
        plan=plan,
        stations=tuple(rows),
        violations=every,
        figures=figures,
        workers=tuple(plan.problem["workers"]),
    )


def load_chart(view: PlanView, labels: Mapping[str, str]) -> dict[str, Any]:
    """Return the ECharts option of the station loads against the cycle-time line.

    ``labels`` gives the translated ``load`` series name and ``pace`` line name.
    """
    pace = view.pace_e4
    data = [
        {
            "value": round(s.load_e4 / E4, 4),
            "itemStyle": {"color": ALERT if s.bottleneck else BRAND},
        }
        for s in view.stations
    ]
    return {
        "grid": {"left": 48, "right": 72, "top": 28, "bottom": 28},
        "tooltip": {"trigger": "axis"},
        "xAxis": {
            "type": "category",
            "data": [f"{s.number} {s.worker_code}".strip() for s in view.stations],
        },
        "yAxis": {"type": "value", "name": labels.get("unit", "min")},
        "series": [
            {
                "name": labels.get("load", "load"),
                "type": "bar",
                "data": data,
                "markLine": {
                    "symbol": "none",
                    "lineStyle": {"color": LINE, "type": "dashed"},
                    "label": {"formatter": f"{labels.get('pace', 'pace')} {minutes(pace)}"},
                    "data": [{"yAxis": round(pace / E4, 4)}],
                },
            }
        ],
    }


def views_of(plans: Sequence[BalancingPlan]) -> list[PlanView]:
    """Return the views of several plans, in the order given."""
    return [view_of(p) for p in plans]
