"""A style's routing: its operations in order, with optional precedence between them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.db.repository import TenantRepository
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.engine import find_cycle
from loom.modules.masterdata.models import Operation, RoutingStep
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems
from loom.modules.masterdata.service.operations import OperationRepository
from loom.modules.masterdata.service.styles import StyleRepository

MAX_STEPS = 500


@dataclass(frozen=True)
class StepIn:
    """One operation of a routing and the operations (by id) that must come before it."""

    operation_id: int
    predecessors: list[int] = field(default_factory=list)


class StepRepository(TenantRepository[RoutingStep]):
    """The scope's enterprise's routing steps."""

    model = RoutingStep


def steps_of(session: Session, scope: Scope, style_id: int) -> Sequence[RoutingStep]:
    """Return a style's routing in order (404 for another enterprise's style)."""
    style = StyleRepository(session, scope).get(style_id)
    stmt = (
        StepRepository(session, scope)
        .select()
        .where(RoutingStep.style_id == style.id)
        .order_by(RoutingStep.seq)
    )
    return session.scalars(stmt).all()


def routing_problems(steps: Sequence[StepIn], known: set[int]) -> list[FieldProblem]:
    """Return every bad step of a routing; ``known`` are the enterprise's operation ids."""
    found: list[FieldProblem] = []
    if len(steps) > MAX_STEPS:
        found.append(FieldProblem("steps", "at most %(n)s operations", {"n": MAX_STEPS}))
    listed = [s.operation_id for s in steps]
    seen: set[int] = set()
    for index, step in enumerate(steps):
        where = f"steps[{index}]"
        if step.operation_id not in known:
            found.append(FieldProblem(f"{where}.operation_id", "no such operation"))
        elif step.operation_id in seen:
            found.append(FieldProblem(f"{where}.operation_id", "the operation is listed twice"))
        seen.add(step.operation_id)
        for pred in step.predecessors:
            if pred == step.operation_id:
                found.append(
                    FieldProblem(f"{where}.predecessors", "an operation cannot precede itself")
                )
            elif pred not in listed:
                found.append(
                    FieldProblem(
                        f"{where}.predecessors",
                        "operation %(id)s is not in this routing",
                        {"id": pred},
                    )
                )
    if not found:
        cycle = find_cycle({s.operation_id: s.predecessors for s in steps})
        if cycle is not None:
            found.append(
                FieldProblem(
                    "steps",
                    "the precedence has a cycle: %(cycle)s",
                    {"cycle": " → ".join(str(i) for i in cycle)},
                )
            )
    return found


def _snap(steps: Sequence[RoutingStep] | Sequence[StepIn]) -> list[dict[str, Any]]:
    return [
        {"operation_id": s.operation_id, "predecessors": list(dict.fromkeys(s.predecessors))}
        for s in steps
    ]


def set_routing(
    session: Session, scope: Scope, style_id: int, steps: Sequence[StepIn]
) -> Sequence[RoutingStep]:
    """Replace a style's routing with ``steps`` in the order given."""
    before = steps_of(session, scope, style_id)
    wanted = {s.operation_id for s in steps}
    ops = OperationRepository(session, scope)
    known = {op.id for op in session.scalars(ops.select().where(Operation.id.in_(wanted)))}
    raise_problems(routing_problems(steps, known))
    old = _snap(before)
    # the unique (style, seq) key forbids renumbering in place: clear, then write anew
    session.execute(
        sql_delete(RoutingStep).where(
            RoutingStep.style_id == style_id, RoutingStep.org_id == scope.org_id
        )
    )
    for seq, step in enumerate(steps, start=1):
        session.add(
            RoutingStep(
                org_id=scope.org_id,
                style_id=style_id,
                operation_id=step.operation_id,
                seq=seq,
                predecessors=list(dict.fromkeys(step.predecessors)),
            )
        )
    session.flush()
    new = _snap(steps)
    if new != old:
        record_scoped(
            session, scope, "masterdata.routing.set", "style", style_id, before=old, after=new
        )
    return steps_of(session, scope, style_id)
