"""The solver's plain data as JSON and back: what a plan stores in its JSON columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from loom.apps.balancing.solver.model import (
    Assignment,
    Figures,
    LineProblem,
    Station,
    StationFigures,
    Task,
    Violation,
    Worker,
)


def problem_json(
    problem: LineProblem,
    task_names: Mapping[int, str] | None = None,
    worker_names: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """Return a problem as JSON, with operation and operator names for display."""
    task_names = task_names or {}
    worker_names = worker_names or {}
    return {
        "tasks": [
            {
                "id": t.id,
                "code": t.code,
                "name": task_names.get(t.id, ""),
                "sam_e4": t.sam_e4,
                "machine_type": t.machine_type,
                "grade": t.grade,
                "predecessors": list(t.predecessors),
            }
            for t in problem.tasks
        ],
        "workers": [
            {
                "id": w.id,
                "code": w.code,
                "name": worker_names.get(w.id, ""),
                "grades": dict(w.grades),
                "efficiency": dict(w.efficiency),
            }
            for w in problem.workers
        ],
        "cycle_time_e4": problem.cycle_time_e4,
        "operators": problem.operators,
        "max_split": problem.max_split,
    }


def problem_of(data: Mapping[str, Any]) -> LineProblem:
    """Return the problem a plan stored."""
    return LineProblem(
        tasks=tuple(
            Task(
                id=int(t["id"]),
                code=str(t["code"]),
                sam_e4=int(t["sam_e4"]),
                machine_type=str(t["machine_type"]),
                grade=int(t["grade"]),
                predecessors=tuple(int(p) for p in t["predecessors"]),
            )
            for t in data["tasks"]
        ),
        workers=tuple(
            Worker(
                id=int(w["id"]),
                code=str(w["code"]),
                grades={str(k): int(v) for k, v in w["grades"].items()},
                efficiency={str(k): int(v) for k, v in w["efficiency"].items()},
            )
            for w in data["workers"]
        ),
        cycle_time_e4=data.get("cycle_time_e4"),
        operators=data.get("operators"),
        max_split=int(data.get("max_split", 4)),
    )


def assignment_json(assignment: Assignment) -> dict[str, Any]:
    """Return stations as JSON: ``{"stations": [{"worker_id", "tasks": [[id, parts]]}]}``."""
    return {
        "stations": [
            {"worker_id": s.worker_id, "tasks": [[task, parts] for task, parts in s.tasks]}
            for s in assignment.stations
        ]
    }


def assignment_of(data: Mapping[str, Any]) -> Assignment:
    """Return the assignment a plan stored."""
    return Assignment(
        stations=tuple(
            Station(
                worker_id=None if s["worker_id"] is None else int(s["worker_id"]),
                tasks=tuple((int(task), int(parts)) for task, parts in s["tasks"]),
            )
            for s in data["stations"]
        )
    )


def _violation_json(v: Violation) -> dict[str, Any]:
    return {"code": v.code, "message": v.message, "station": v.station, "task_id": v.task_id}


def figures_json(figures: Figures) -> dict[str, Any]:
    """Return an assignment's figures as JSON."""
    return {
        "operators": figures.operators,
        "total_sam_e4": figures.total_sam_e4,
        "bottleneck_e4": figures.bottleneck_e4,
        "balance_efficiency": figures.balance_efficiency,
        "output_per_hour": figures.output_per_hour,
        "bottleneck_stations": list(figures.bottleneck_stations),
        "stations": [
            {
                "worker_id": s.worker_id,
                "machine_type": s.machine_type,
                "load_e4": s.load_e4,
                "idle_e4": s.idle_e4,
            }
            for s in figures.stations
        ],
        "violations": [_violation_json(v) for v in figures.violations],
    }


def _violations_of(items: Sequence[Mapping[str, Any]]) -> tuple[Violation, ...]:
    return tuple(
        Violation(
            code=str(v["code"]),
            message=str(v["message"]),
            station=v.get("station"),
            task_id=v.get("task_id"),
        )
        for v in items
    )


def figures_of(data: Mapping[str, Any]) -> Figures:
    """Return the figures a plan stored."""
    return Figures(
        operators=int(data["operators"]),
        total_sam_e4=int(data["total_sam_e4"]),
        bottleneck_e4=int(data["bottleneck_e4"]),
        balance_efficiency=float(data["balance_efficiency"]),
        output_per_hour=float(data["output_per_hour"]),
        bottleneck_stations=tuple(int(i) for i in data["bottleneck_stations"]),
        stations=tuple(
            StationFigures(
                worker_id=s["worker_id"],
                machine_type=s["machine_type"],
                load_e4=int(s["load_e4"]),
                idle_e4=int(s["idle_e4"]),
            )
            for s in data["stations"]
        ),
        violations=_violations_of(data.get("violations", [])),
    )
