"""Time-and-action milestones: the enterprise's template, and each order's stages with their
target, forecast and actual dates (rules in :mod:`milestones_rules`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from loom.apps.scheduling.models.milestones import STAGES, Milestone, MilestoneOffset
from loom.apps.scheduling.service import milestones_rules as rules
from loom.apps.scheduling.service import plans as plan_service
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import TenantRepository
from loom.kernel.errors import NotFound
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.shopfloor.engine.figures import local_today
from loom.modules.shopfloor.models import ProductionOrder
from loom.modules.shopfloor.service.orders import OrderRepository

#: a hand-set target further than this from the due date is a typo
TARGET_REACH = timedelta(days=366)


class OffsetRepository(TenantRepository[MilestoneOffset]):
    """The scope's enterprise's T&A template rows."""

    model = MilestoneOffset


class MilestoneRepository(TenantRepository[Milestone]):
    """The scope's enterprise's recorded milestones."""

    model = Milestone


@dataclass(frozen=True)
class MilestoneIn:
    """A stage as a user records it: a target of their own (None: the template's), the actual
    date (None: not done yet) and a note."""

    target_date: date | None = None
    actual_date: date | None = None
    note: str = ""


@dataclass(frozen=True)
class StageRow:
    """One stage of one order with its dates and where it stands."""

    order: ProductionOrder
    stage: str
    target: date
    template_target: date
    target_set: bool
    forecast: date | None
    actual: date | None
    actual_source: str
    note: str
    judgement: rules.Judgement

    @property
    def is_alert(self) -> bool:
        """Return whether the stage is an open alert."""
        return self.judgement.is_alert


def offsets_of(session: Session, scope: Scope) -> dict[str, int]:
    """Return the enterprise's template: stored offsets over the defaults."""
    found = dict(rules.DEFAULT_OFFSETS)
    for row in session.scalars(OffsetRepository(session, scope).select()):
        if row.stage in found:
            found[row.stage] = row.offset_days
    return found


def set_offsets(session: Session, scope: Scope, offsets: Mapping[str, int]) -> dict[str, int]:
    """Replace the template's offsets; a 422 names every bad stage."""
    raise_problems(rules.offset_problems(offsets))
    before = offsets_of(session, scope)
    after = {stage: int(offsets[stage]) for stage in STAGES}
    if after == before:
        return before
    repo = OffsetRepository(session, scope)
    stored = {row.stage: row for row in session.scalars(repo.select())}
    for stage, days in after.items():
        row = stored.get(stage)
        if row is None:
            session.add(MilestoneOffset(org_id=scope.org_id, stage=stage, offset_days=days))
        else:
            row.offset_days = days
    session.flush()
    record_scoped(
        session,
        scope,
        "scheduling.ta_template.updated",
        "ta_template",
        scope.org_id,
        before=before,
        after=after,
    )
    return after


def recorded(
    session: Session, scope: Scope, order_ids: Sequence[int]
) -> dict[tuple[int, str], Milestone]:
    """Return the stored milestones of the orders by (order id, stage)."""
    if not order_ids:
        return {}
    repo = MilestoneRepository(session, scope)
    found: dict[tuple[int, str], Milestone] = {}
    ids = list(set(order_ids))
    # chunks keep the IN list within every database's parameter limit
    for start in range(0, len(ids), 500):
        stmt = repo.select().where(Milestone.order_id.in_(ids[start : start + 500]))
        for row in session.scalars(stmt):
            found[(row.order_id, row.stage)] = row
    return found


def adopted_windows(session: Session, scope: Scope) -> dict[int, tuple[date, date]]:
    """Return each order's planned sewing start and finish in the adopted plan."""
    return plan_service.adopted_order_windows(session, scope)


def stage_rows(
    orders: Sequence[ProductionOrder],
    offsets: Mapping[str, int],
    stored: Mapping[tuple[int, str], Milestone],
    windows: Mapping[int, tuple[date, date]],
    today: date,
) -> list[StageRow]:
    """Return every stage of the orders, in order then stage sequence."""
    rows: list[StageRow] = []
    for order in orders:
        template = rules.targets(order.due_date, offsets)
        mine = {stage: stored.get((order.id, stage)) for stage in STAGES}
        target_of = {
            stage: (m.target_date if m is not None and m.target_date else template[stage])
            for stage, m in mine.items()
        }
        forecast_of = rules.forecasts(target_of, windows.get(order.id))
        for stage in STAGES:
            m = mine[stage]
            actual = m.actual_date if m is not None else None
            forecast = actual if actual is not None else forecast_of[stage]
            rows.append(
                StageRow(
                    order=order,
                    stage=stage,
                    target=target_of[stage],
                    template_target=template[stage],
                    target_set=m is not None and m.target_date is not None,
                    forecast=forecast,
                    actual=actual,
                    actual_source=m.actual_source if m is not None and actual else "",
                    note=m.note if m is not None else "",
                    judgement=rules.judge(target_of[stage], forecast, actual, today),
                )
            )
    return rows


def timeline(session: Session, scope: Scope, order_id: int, today: date) -> list[StageRow]:
    """Return one order's six stages (another enterprise's order: NotFound)."""
    order = OrderRepository(session, scope).get(order_id)
    return stage_rows(
        [order],
        offsets_of(session, scope),
        recorded(session, scope, [order.id]),
        adopted_windows(session, scope),
        today,
    )


def snapshot(row: Milestone) -> dict[str, Any]:
    """Return a stored milestone as the audit trail records it."""
    return {
        "order_id": row.order_id,
        "stage": row.stage,
        "target_date": row.target_date.isoformat() if row.target_date else None,
        "actual_date": row.actual_date.isoformat() if row.actual_date else None,
        "actual_source": row.actual_source,
        "note": row.note,
    }


def milestone_problems(order: ProductionOrder, data: MilestoneIn, today: date) -> list[Any]:
    """Return every bad field of a recorded stage."""
    found: list[FieldProblem] = [*text_problems("note", data.note, 200, required=False)]
    if data.target_date is not None and abs(data.target_date - order.due_date) > TARGET_REACH:
        found.append(
            FieldProblem(
                "target_date",
                "must be within a year of the due date %(due)s",
                {"due": order.due_date.isoformat()},
            )
        )
    if data.actual_date is not None and data.actual_date > today:
        found.append(
            FieldProblem(
                "actual_date",
                "cannot be later than today (%(today)s)",
                {"today": today.isoformat()},
            )
        )
    return found


def check_stage(stage: str) -> str:
    """Return the stage, or raise NotFound for a stage the template does not have."""
    if stage not in STAGES:
        raise NotFound("no milestone stage %(stage)s", params={"stage": stage[:40]})
    return stage


def _stored(session: Session, scope: Scope, order_id: int, stage: str) -> Milestone | None:
    stmt = (
        MilestoneRepository(session, scope)
        .select()
        .where(Milestone.order_id == order_id, Milestone.stage == stage)
    )
    return session.scalars(stmt).first()


def update(
    session: Session, scope: Scope, order_id: int, stage: str, data: MilestoneIn, today: date
) -> StageRow:
    """Record one stage of an order: its own target, its actual date and a note."""
    order = OrderRepository(session, scope).get(order_id)
    check_stage(stage)
    raise_problems(milestone_problems(order, data, today))
    row = _stored(session, scope, order.id, stage)
    if row is None:
        row = Milestone(org_id=scope.org_id, order_id=order.id, stage=stage, actual_source="")
        row.note = ""
        before = None
    else:
        before = snapshot(row)
    changed_actual = row.actual_date != data.actual_date
    row.target_date = data.target_date
    row.actual_date = data.actual_date
    row.note = data.note.strip()
    if data.actual_date is None:
        row.actual_source = ""
    elif changed_actual:
        row.actual_source = "user"
    after = snapshot(row)
    # an empty stage saved where nothing was stored stays unstored: there is nothing to audit
    nothing = {"target_date": None, "actual_date": None, "actual_source": "", "note": ""}
    if before is None and after.items() >= nothing.items():
        return next(r for r in timeline(session, scope, order.id, today) if r.stage == stage)
    if after != before:
        session.add(row)
        session.flush()
        record_scoped(
            session,
            scope,
            "scheduling.milestone.updated",
            "milestone",
            row.id,
            before=before,
            after=after,
        )
    return next(r for r in timeline(session, scope, order.id, today) if r.stage == stage)


def record_derived(
    session: Session, scope: Scope, order: ProductionOrder, stage: str, actual: date
) -> Milestone:
    """Store an actual date derived from shop-floor data, audited as such."""
    row = _stored(session, scope, order.id, stage)
    if row is None:
        row = Milestone(org_id=scope.org_id, order_id=order.id, stage=stage, note="")
        before = None
    else:
        before = snapshot(row)
    row.actual_date = actual
    row.actual_source = "shopfloor"
    session.add(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "scheduling.milestone.derived",
        "milestone",
        row.id,
        before=before,
        after=snapshot(row),
    )
    return row


def factory_today() -> date:
    """Return the factory's calendar day now: alerts turn at Beijing midnight."""
    return local_today(utcnow())
