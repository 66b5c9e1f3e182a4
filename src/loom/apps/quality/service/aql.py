"""AQL final inspections (GB/T 2828.1 single sampling) and each customer's switching state.

The lots of one customer form one series: the severity a lot is inspected under (normal,
tightened, reduced) comes from the series' switching state, and the lot's decision moves it
on. The plans themselves come from the AQL engine (``engine/aql``); this module only stores
them with the defects found and the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from loom.apps.quality.models import DEFECT_CLASSES, AqlInspection, AqlSeries
from loom.apps.quality.service import aql_plans, catalogue
from loom.kernel.audit.service import record_scoped
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import MAX_ID, Page, TenantRepository
from loom.kernel.errors import Conflict, NotFound
from loom.kernel.tenancy.scope import Scope
from loom.modules.masterdata.service.checks import FieldProblem, raise_problems, text_problems
from loom.modules.shopfloor.engine.figures import local_today
from loom.modules.shopfloor.models import ProductionOrder

#: the largest lot a record takes: the code-letter table ends at "500 001 and over"
MAX_LOT = 10_000_000
MAX_DEFECT_ROWS = 50


class AqlRepository(TenantRepository[AqlInspection]):
    """The scope's enterprise's AQL final inspections."""

    model = AqlInspection


class SeriesRepository(TenantRepository[AqlSeries]):
    """The scope's enterprise's series of lots (one per customer)."""

    model = AqlSeries


@dataclass(frozen=True)
class AqlIn:
    """An AQL inspection as the inspector records it; an AQL of "0" accepts no defect."""

    order_id: int | None
    lot_size: int
    level: str
    aql_critical: str
    aql_major: str
    aql_minor: str
    defects: tuple[tuple[str, int], ...] = ()
    lot_no: str = ""
    inspected_on: date | None = None
    note: str = ""
    # production steady and reduced inspection approved (GB/T 2828.1 §9.3.3): when false the
    # series never switches to reduced inspection, and leaves it at once
    production_steady: bool = True

    def aqls(self) -> dict[str, str]:
        """Return the AQL typed for each class."""
        return {"critical": self.aql_critical, "major": self.aql_major, "minor": self.aql_minor}


@dataclass(frozen=True)
class Checked:
    """What validation found: the order, the catalogue classes of the codes, the problems."""

    order: ProductionOrder | None
    classes: dict[str, str]
    problems: list[FieldProblem]


def check(session: Session, scope: Scope, data: AqlIn, today: date) -> Checked:
    """Return the order, the defects' classes and every bad field of an AQL inspection."""
    found: list[FieldProblem] = [
        *text_problems("lot_no", data.lot_no, 40, required=False),
        *text_problems("note", data.note, 500, required=False),
    ]
    order = None
    if data.order_id is None:
        found.append(FieldProblem("order_id", "must not be empty"))
    elif 0 < data.order_id <= MAX_ID:
        order = session.scalars(
            select(ProductionOrder).where(
                ProductionOrder.org_id == scope.org_id, ProductionOrder.id == data.order_id
            )
        ).first()
    if data.order_id is not None and order is None:
        found.append(FieldProblem("order_id", "no such production order"))
    if not 2 <= data.lot_size <= MAX_LOT:
        found.append(FieldProblem("lot_size", "a whole number from 2 to %(max)s", {"max": MAX_LOT}))
    if data.level not in aql_plans.LEVELS:
        found.append(
            FieldProblem("level", "one of %(kinds)s", {"kinds": ", ".join(aql_plans.LEVELS)})
        )
    parsed = {cls: aql_plans.parse_aql(text) for cls, text in data.aqls().items()}
    for cls, value in parsed.items():
        if value is None:
            found.append(
                FieldProblem(
                    f"aql_{cls}",
                    "0 or an AQL of the standard's series, such as %(example)s",
                    {"example": "2.5"},
                )
            )
    if all(value == aql_plans.ZERO for value in parsed.values()):
        found.append(FieldProblem("aql_major", "at least one class needs an AQL above 0"))
    if data.inspected_on is not None and data.inspected_on > today:
        found.append(
            FieldProblem(
                "inspected_on",
                "cannot be later than today (%(today)s)",
                {"today": today.isoformat()},
            )
        )
    entries = catalogue.by_code(session, scope, [code for code, _ in data.defects])
    if len(data.defects) > MAX_DEFECT_ROWS:
        found.append(FieldProblem("defects", "at most %(n)s entries", {"n": MAX_DEFECT_ROWS}))
    seen: set[str] = set()
    for i, (raw, qty) in enumerate(data.defects[:MAX_DEFECT_ROWS]):
        code = raw.strip().upper()
        if code not in entries:
            found.append(
                FieldProblem(
                    f"defects[{i}].code", "no defect %(code)s in the catalogue", {"code": code[:20]}
                )
            )
        elif code in seen:
            found.append(
                FieldProblem(f"defects[{i}].code", "%(value)s is listed twice", {"value": code})
            )
        seen.add(code)
        if not 0 < qty <= MAX_LOT:
            found.append(
                FieldProblem(
                    f"defects[{i}].qty", "a whole number from 1 to %(max)s", {"max": MAX_LOT}
                )
            )
    classes = {code: row.defect_class for code, row in entries.items()}
    return Checked(order, classes, found)


def series_of(session: Session, scope: Scope, customer: str) -> AqlSeries:
    """Return the customer's series, created at normal inspection when it is new."""
    stmt = SeriesRepository(session, scope).select().where(AqlSeries.customer == customer)
    row = session.scalars(stmt).first()
    if row is None:
        row = AqlSeries(org_id=scope.org_id, customer=customer, state=aql_plans.initial(), lots=0)
        session.add(row)
        session.flush()
    return row


def current_state(session: Session, scope: Scope, customer: str) -> dict[str, Any]:
    """Return the customer's switching state without creating its series."""
    stmt = SeriesRepository(session, scope).select().where(AqlSeries.customer == customer)
    row = session.scalars(stmt).first()
    return dict(row.state) if row is not None else aql_plans.initial()


def snapshot(row: AqlInspection) -> dict[str, Any]:
    """Return an AQL inspection as the audit trail records it."""
    return {
        "order_id": row.order_id,
        "lot_no": row.lot_no,
        "customer": row.customer,
        "inspected_on": row.inspected_on.isoformat(),
        "lot_size": row.lot_size,
        "level": row.level,
        "inspection": row.inspection,
        "plans": row.plans,
        "found": {
            "critical": row.critical_found,
            "major": row.major_found,
            "minor": row.minor_found,
        },
        "defects": row.defects,
        "decision": row.decision,
        "state_before": row.state_before,
        "state_after": row.state_after,
    }


def create(session: Session, scope: Scope, data: AqlIn, today: date | None = None) -> AqlInspection:
    """Record a lot: plans at the series' severities, the decision, the next switching state."""
    today = today or local_today_now()
    got = check(session, scope, data, today)
    raise_problems(got.problems)
    assert got.order is not None  # check() named the field otherwise
    customer = got.order.customer.strip()
    series = series_of(session, scope, customer)
    before = dict(series.state)
    stopped = aql_plans.discontinued(before)
    if stopped:
        raise Conflict(
            "inspection of %(customer)s is discontinued for %(classes)s defects (GB/T 2828.1 "
            "§9.4): resume it after corrective action",
            params={"customer": customer or "—", "classes": ", ".join(stopped)},
        )
    plans = aql_plans.plans(data.lot_size, data.level, data.aqls(), before)
    defects = {code.strip().upper(): qty for code, qty in data.defects}
    found = dict.fromkeys(DEFECT_CLASSES, 0)
    for code, qty in defects.items():
        found[got.classes[code]] += qty
    decided = aql_plans.decide(plans, found)
    after = aql_plans.next_state(before, plans, found, production_steady=data.production_steady)
    row = AqlInspection(
        org_id=scope.org_id,
        order_id=got.order.id,
        lot_no=data.lot_no.strip(),
        customer=customer,
        inspected_on=data.inspected_on or today,
        lot_size=data.lot_size,
        level=data.level,
        inspection=aql_plans.summary_severity(before, data.aqls()),
        code_letter=aql_plans.code_letter(data.lot_size, data.level),
        plans=plans,
        sample_size=max(int(p["sample_size"]) for p in plans.values()),
        critical_found=found["critical"],
        major_found=found["major"],
        minor_found=found["minor"],
        defects=defects,
        decision="accept" if decided["lot"] else "reject",
        state_before=before,
        state_after=after,
        inspector=scope.actor.label[:200],
        note=data.note.strip(),
    )
    session.add(row)
    series.state = after
    series.lots += 1
    session.flush()
    record_scoped(
        session, scope, "quality.aql.created", "aql_inspection", row.id, after=snapshot(row)
    )
    return row


def local_today_now() -> date:
    """Return the factory's (Beijing) calendar day now."""
    return local_today(utcnow())


def delete(session: Session, scope: Scope, inspection_id: int) -> None:
    """Delete a lot; deleting a series' latest lot puts its switching state back.

    An older lot leaves the state alone: the lots after it were inspected under the
    severities recorded with them, and deleting a record does not undo an inspection.
    """
    repo = AqlRepository(session, scope)
    row = repo.get(inspection_id)
    before = snapshot(row)
    series = series_of(session, scope, row.customer)
    latest = session.scalars(
        repo.select()
        .where(AqlInspection.customer == row.customer)
        .order_by(AqlInspection.id.desc())
        .limit(1)
    ).first()
    restored = latest is not None and latest.id == row.id and series.state == row.state_after
    if restored:
        series.state = dict(row.state_before)
    series.lots = max(series.lots - 1, 0)
    repo.delete(row)
    record_scoped(
        session,
        scope,
        "quality.aql.deleted",
        "aql_inspection",
        inspection_id,
        before=before | {"state_restored": restored},
    )


def resume_series(session: Session, scope: Scope, series_id: int) -> AqlSeries:
    """Resume a discontinued series after corrective action: on tightened inspection (§9.4)."""
    row = SeriesRepository(session, scope).get(series_id)
    if not aql_plans.discontinued(row.state):
        raise Conflict(
            "inspection of %(customer)s is not discontinued",
            params={"customer": row.customer or "—"},
        )
    before = dict(row.state)
    row.state = aql_plans.resumed(before)
    session.flush()
    record_scoped(
        session,
        scope,
        "quality.aql_series.resumed",
        "aql_series",
        row.id,
        before={"customer": row.customer, "state": before},
        after={"customer": row.customer, "state": row.state},
    )
    return row


def get(session: Session, scope: Scope, inspection_id: int) -> AqlInspection:
    """Return one AQL inspection of the enterprise (another's answers NotFound)."""
    return AqlRepository(session, scope).get(inspection_id)


def series_list(session: Session, scope: Scope) -> list[AqlSeries]:
    """Return every series of the enterprise by customer."""
    stmt = SeriesRepository(session, scope).select().order_by(AqlSeries.customer)
    return list(session.scalars(stmt))


def series_get(session: Session, scope: Scope, series_id: int) -> AqlSeries:
    """Return one series (another enterprise's answers NotFound)."""
    if not 0 < series_id <= MAX_ID:
        raise NotFound("%(kind)s %(id)s not found", params={"kind": "AqlSeries", "id": series_id})
    return SeriesRepository(session, scope).get(series_id)


def search(
    session: Session,
    scope: Scope,
    *,
    q: str = "",
    decision: str = "",
    offset: int = 0,
    limit: int = 50,
) -> Page[AqlInspection]:
    """Return one page of AQL inspections, the latest first, searched by order, lot, customer."""
    repo = AqlRepository(session, scope)
    stmt = repo.select()
    term = q.strip()
    if term:
        like = f"%{term}%"
        orders = select(ProductionOrder.id).where(
            ProductionOrder.org_id == scope.org_id, ProductionOrder.number.ilike(like)
        )
        stmt = stmt.where(
            or_(
                AqlInspection.order_id.in_(orders),
                AqlInspection.lot_no.ilike(like),
                AqlInspection.customer.ilike(like),
            )
        )
    if decision in ("accept", "reject"):
        stmt = stmt.where(AqlInspection.decision == decision)
    stmt = stmt.order_by(AqlInspection.inspected_on.desc(), AqlInspection.id.desc())
    return repo.page(stmt, offset=offset, limit=limit)
