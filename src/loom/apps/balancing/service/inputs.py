"""What a plan is asked for, and the solver input built from a style's routing and a line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from loom.apps.balancing.codec import problem_json
from loom.apps.balancing.models import MODES
from loom.apps.balancing.solver.model import E4, MINUTE_E4_PER_HOUR, LineProblem, Task, Worker
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.models import Operation, Operator, OperatorSkill, RoutingStep, Style
from loom.modules.masterdata.service.checks import FieldProblem, text_problems
from loom.modules.masterdata.service.lines import LineRepository
from loom.modules.masterdata.service.operations import OperationRepository
from loom.modules.masterdata.service.operators import OperatorRepository, SkillRepository
from loom.modules.masterdata.service.routing import StepRepository
from loom.modules.masterdata.service.styles import StyleRepository

MAX_TARGET = 10_000  # pieces per hour: far beyond any sewing line, a typo guard
MAX_OPERATORS = 500
MAX_SPLIT = 4  # the solver's default: a task is shared by at most four operators
MAX_ID = 2_147_483_647


class PlanRefused(ValidationFailed):
    """A plan request with bad fields; keeps the problems so pages can translate each one."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(
            "%(count)s problem(s) in the input: %(fields)s",
            details=[{"field": p.field, "message": p.message} for p in problems],
            params={"count": len(problems), "fields": ", ".join(p.field for p in problems)},
        )
        self.problems = problems


def refuse(problems: list[FieldProblem]) -> None:
    """Raise PlanRefused listing every problem, if there are any."""
    if problems:
        raise PlanRefused(problems)


@dataclass(frozen=True)
class PlanIn:
    """A plan as a planner asks for it: a target per hour, or a number of operators."""

    name: str
    style_id: int
    line_id: int | None = None
    mode: str = "target"
    target_per_hour: int | None = None
    operators: int | None = None


def cycle_time_of(target_per_hour: int) -> int:
    """Return the cycle time (e4) that yields at least ``target_per_hour`` pieces an hour."""
    # rounded down: a line holding this pace makes the target or a little more
    return MINUTE_E4_PER_HOUR // target_per_hour


def sam_e4(sam: Decimal) -> int:
    """Return standard minutes as ten-thousandths of a minute (SAM has four decimals)."""
    return int(sam * E4)


def plan_problems(data: PlanIn) -> list[FieldProblem]:
    """Return every bad field of a plan request that needs no database to judge."""
    found = text_problems("name", data.name, 200, required=True)
    if not 0 < data.style_id <= MAX_ID:
        found.append(FieldProblem("style_id", "no such style"))
    if data.line_id is not None and not 0 < data.line_id <= MAX_ID:
        found.append(FieldProblem("line_id", "no such line"))
    if data.mode not in MODES:
        found.append(FieldProblem("mode", "one of %(kinds)s", {"kinds": ", ".join(MODES)}))
    elif data.mode == "target":
        if data.target_per_hour is None or not 1 <= data.target_per_hour <= MAX_TARGET:
            found.append(
                FieldProblem(
                    "target_per_hour", "a whole number from 1 to %(max)s", {"max": MAX_TARGET}
                )
            )
    elif data.operators is None or not 1 <= data.operators <= MAX_OPERATORS:
        found.append(
            FieldProblem("operators", "a whole number from 1 to %(max)s", {"max": MAX_OPERATORS})
        )
    return found


def _tasks(session: Session, scope: Scope, style: Style) -> tuple[list[Task], dict[int, str]]:
    steps = session.scalars(
        StepRepository(session, scope)
        .select()
        .where(RoutingStep.style_id == style.id)
        .order_by(RoutingStep.seq)
    ).all()
    wanted = [s.operation_id for s in steps]
    ops_stmt = OperationRepository(session, scope).select().where(Operation.id.in_(wanted))
    ops = {op.id: op for op in session.scalars(ops_stmt)}
    tasks = [
        Task(
            id=op.id,
            code=op.code,
            sam_e4=sam_e4(op.sam),
            machine_type=op.machine_type,
            grade=op.skill_grade,
            predecessors=tuple(step.predecessors),
        )
        for step in steps
        if (op := ops.get(step.operation_id)) is not None
    ]
    return tasks, {op.id: op.name for op in ops.values()}


def _workers(session: Session, scope: Scope, line_id: int) -> tuple[list[Worker], dict[int, str]]:
    stmt = (
        OperatorRepository(session, scope)
        .select()
        .where(Operator.line_id == line_id, Operator.active.is_(True))
        .order_by(Operator.code, Operator.id)
    )
    operators = session.scalars(stmt).all()
    grades: dict[int, dict[str, int]] = {op.id: {} for op in operators}
    rates: dict[int, dict[str, int]] = {op.id: {} for op in operators}
    if operators:
        skills = (
            SkillRepository(session, scope)
            .select()
            .where(OperatorSkill.operator_id.in_(list(grades)))
        )
        for skill in session.scalars(skills):
            grades[skill.operator_id][skill.machine_type] = skill.grade
            rates[skill.operator_id][skill.machine_type] = skill.efficiency
    workers = [
        Worker(id=op.id, code=op.code, grades=grades[op.id], efficiency=rates[op.id])
        for op in operators
    ]
    return workers, {op.id: op.name for op in operators}


def build_problem(
    session: Session, scope: Scope, data: PlanIn
) -> tuple[LineProblem, dict[str, Any]]:
    """Return the solver input for a plan request and its JSON snapshot with names.

    Another enterprise's style or line is named as a bad field, like one that does not exist.
    """
    refuse(plan_problems(data))
    found: list[FieldProblem] = []
    style = session.scalars(
        StyleRepository(session, scope).select().where(Style.id == data.style_id)
    ).first()
    tasks: list[Task] = []
    task_names: dict[int, str] = {}
    if style is None:
        found.append(FieldProblem("style_id", "no such style"))
    else:
        tasks, task_names = _tasks(session, scope, style)
        if not tasks:
            found.append(FieldProblem("style_id", "the style has no routing yet"))
    workers: list[Worker] = []
    worker_names: dict[int, str] = {}
    if data.line_id is not None:
        line_repo = LineRepository(session, scope)
        if session.scalars(line_repo.select().where(line_repo.model.id == data.line_id)).first():
            workers, worker_names = _workers(session, scope, data.line_id)
            if not workers:
                found.append(FieldProblem("line_id", "the line has no active operators"))
            elif data.mode == "operators" and (data.operators or 0) > len(workers):
                found.append(
                    FieldProblem(
                        "operators", "the line has only %(n)s operators", {"n": len(workers)}
                    )
                )
        else:
            found.append(FieldProblem("line_id", "no such line"))
    refuse(found)
    target = data.target_per_hour if data.mode == "target" else None
    problem = LineProblem(
        tasks=tuple(tasks),
        workers=tuple(workers),
        cycle_time_e4=cycle_time_of(target) if target else None,
        operators=data.operators if data.mode == "operators" else None,
        max_split=MAX_SPLIT,
    )
    return problem, problem_json(problem, task_names, worker_names)
