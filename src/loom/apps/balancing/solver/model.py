"""The garment line-balancing problem and its answers, as plain data.

Times are integers in ten-thousandths of a minute (``_e4``), the precision SAM is stored in.
An operator's time for a share of an operation is ``sam_e4 / parts * 100 / efficiency``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

E4 = 10_000  # ten-thousandths per minute
MINUTE_E4_PER_HOUR = 60 * E4  # a cycle time of c (e4) gives 600,000 / c pieces per hour


@dataclass(frozen=True)
class Task:
    """One routing operation: standard minutes, the machine type and skill grade it needs."""

    id: int
    code: str
    sam_e4: int
    machine_type: str
    grade: int = 1
    predecessors: tuple[int, ...] = ()


@dataclass(frozen=True)
class Worker:
    """An operator: grade and efficiency (percent of standard) per machine type."""

    id: int
    code: str
    grades: Mapping[str, int]
    efficiency: Mapping[str, int] = field(default_factory=dict)  # 100 where absent


@dataclass(frozen=True)
class LineProblem:
    """A style's tasks on a line, with a target cycle time or a number of operators.

    With ``workers`` empty, operators are anonymous: any skill at 100 %, as many as needed.
    Exactly one of ``cycle_time_e4`` (minimise operators) and ``operators`` (minimise the
    cycle time) is given. A task may be shared by up to ``max_split`` operators in equal parts.
    """

    tasks: tuple[Task, ...]
    workers: tuple[Worker, ...] = ()
    cycle_time_e4: int | None = None
    operators: int | None = None
    max_split: int = 4


@dataclass(frozen=True)
class Station:
    """One operator's place on the line, in line order: ``(task id, parts)`` does 1/parts."""

    worker_id: int | None
    tasks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Assignment:
    """Stations in line order."""

    stations: tuple[Station, ...]


@dataclass(frozen=True)
class Violation:
    """A rule a (hand-edited) assignment breaks; ``code`` is stable, ``message`` is English."""

    # mixed_machines | skill | precedence | split | missing | unknown_task | duplicate |
    # unknown_worker | worker_twice | no_worker | over_cycle | too_many_operators
    code: str
    message: str
    station: int | None = None
    task_id: int | None = None


@dataclass(frozen=True)
class StationFigures:
    """One station's load and idle time against the line's pace."""

    worker_id: int | None
    machine_type: str | None
    load_e4: int
    idle_e4: int


@dataclass(frozen=True)
class Figures:
    """What a planner judges an assignment by; ``violations`` is empty for a valid one."""

    operators: int
    total_sam_e4: int
    bottleneck_e4: int  # the largest station load: the pace the line can hold
    balance_efficiency: float  # total operator time / (operators * bottleneck), 0..1
    output_per_hour: float  # 600,000 / bottleneck_e4
    bottleneck_stations: tuple[int, ...]
    stations: tuple[StationFigures, ...]
    violations: tuple[Violation, ...] = ()


@dataclass(frozen=True)
class Solution:
    """A solver's answer: ``optimal`` when the bound is proved; never an infeasible plan."""

    status: str  # optimal | feasible | infeasible
    assignment: Assignment | None
    figures: Figures | None
    lower_bound: int  # operators (cycle-time mode) or bottleneck e4 (operators mode)
    optimal: bool
    seconds: float
    message: str = ""
