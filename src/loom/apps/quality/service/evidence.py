"""What quality management proves for the national assessment: scene S07 质量管理 and the
product-quality indicator R2 (产品质量, the monthly pass rate before and after).

S07's levels: 1 = quality information kept with IT tools; 2 = process quality data collected,
counted and managed digitally, with a standard process in a system; 3 = key operations
inspected with results judged by the system, or quality traceable through semi-finished
products. Inspections recorded routinely here (DHU counted by the system, AQL lots decided by
it) are level 2; defects traced to bundle and operator through the scans add level 3's
traceability.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.quality.engine.dhu import dhu
from loom.apps.quality.models import AqlInspection, Inspection, InspectionDefect
from loom.kernel.db.base import utcnow
from loom.kernel.plugins.spec import Evidence
from loom.kernel.tenancy.scope import Scope
from loom.modules.shopfloor.engine.figures import local_today

WINDOW_DAYS = 90
#: inspections on this many different days of the window show routine use, not a trial
ROUTINE_INSPECTIONS = 20
ROUTINE_DAYS = 5
#: inspections whose operator the scans named: traceability in daily use
ROUTINE_TRACED = 10


def quality_evidence(session: Session, scope: Scope) -> Sequence[Evidence]:
    """Return evidence for scene S07 (last 90 days) and indicator R2 (monthly pass rates)."""
    return [*_scene(session, scope), *_pass_rates(session, scope)]


def _scene(session: Session, scope: Scope) -> list[Evidence]:
    today = local_today(utcnow())
    since = today - timedelta(days=WINDOW_DAYS - 1)
    middle = since + timedelta(days=WINDOW_DAYS // 2)
    rows = session.execute(
        select(
            Inspection.id,
            Inspection.kind,
            Inspection.day,
            Inspection.pieces_checked,
            Inspection.defects_total,
            Inspection.operator_source,
        ).where(Inspection.org_id == scope.org_id, Inspection.day >= since)
    ).all()
    lots = session.execute(
        select(AqlInspection.decision, func.count())
        .where(AqlInspection.org_id == scope.org_id, AqlInspection.inspected_on >= since)
        .group_by(AqlInspection.decision)
    ).all()
    decisions = {decision: int(n) for decision, n in lots}
    if not rows and not decisions:
        return []
    traced_end = set(
        session.scalars(
            select(InspectionDefect.inspection_id).where(
                InspectionDefect.org_id == scope.org_id,
                InspectionDefect.operator_id.is_not(None),
                InspectionDefect.inspection_id.in_([r.id for r in rows if r.kind == "endline"]),
            )
        )
    )
    traced = sum(1 for r in rows if r.operator_source == "scan") + len(traced_end)
    days = len({r.day for r in rows})
    inline = sum(1 for r in rows if r.kind == "inline")
    first = [r for r in rows if r.day < middle]
    second = [r for r in rows if r.day >= middle]
    dhu_first = dhu(sum(r.defects_total for r in first), sum(r.pieces_checked for r in first))
    dhu_second = dhu(sum(r.defects_total for r in second), sum(r.pieces_checked for r in second))
    routine = len(rows) + sum(decisions.values()) >= ROUTINE_INSPECTIONS and days >= ROUTINE_DAYS
    level = 1
    if routine:
        level = 3 if traced >= ROUTINE_TRACED else 2
    accepted, rejected = decisions.get("accept", 0), decisions.get("reject", 0)
    summary = (
        f"{len(rows)} inspections ({inline} inline, {len(rows) - inline} end-of-line) recorded "
        f"on {days} days of the last {WINDOW_DAYS}, {traced} traced to bundle and operator "
        f"through the scans; DHU {_text(dhu_first)} in the first half of the window, "
        f"{_text(dhu_second)} in the second; {accepted + rejected} AQL final inspections "
        f"({accepted} accepted, {rejected} rejected)"
    )
    details = {
        "window_days": WINDOW_DAYS,
        "inspections": len(rows),
        "inline": inline,
        "endline": len(rows) - inline,
        "days": days,
        "traced": traced,
        "dhu_first_half": _text(dhu_first),
        "dhu_second_half": _text(dhu_second),
        "aql_accepted": accepted,
        "aql_rejected": rejected,
    }
    return [Evidence(item_id="S07", summary=summary, suggested_level=level, details=details)]


def _pass_rates(session: Session, scope: Scope) -> list[Evidence]:
    rows = session.execute(
        select(Inspection.day, Inspection.pieces_checked, Inspection.defective_pieces).where(
            Inspection.org_id == scope.org_id, Inspection.kind == "endline"
        )
    ).all()
    months: dict[str, list[int]] = {}
    for day, pieces, defective in rows:
        cell = months.setdefault(day.strftime("%Y-%m"), [0, 0])
        cell[0] += pieces
        cell[1] += defective
    if not months:
        return []
    rates = {month: _rate(pieces, bad) for month, (pieces, bad) in sorted(months.items())}
    first, last = next(iter(rates)), list(rates)[-1]
    summary = (
        f"End-of-line first-pass rate {rates[first]} % in {first}"
        + (f", {rates[last]} % in {last}" if last != first else "")
        + f" ({len(rates)} months of end-of-line inspections)"
    )
    return [Evidence(item_id="R2", summary=summary, details={"monthly_pass_rate": rates})]


def _rate(pieces: int, defective: int) -> str:
    value = Decimal((pieces - defective) * 100) / Decimal(pieces)
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _text(value: Decimal | None) -> str:
    return "—" if value is None else str(value)
