"""What the energy app proves for the assessment: scene S10 能耗管理 and indicator R1."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.energy.engine.coefficients import KINDS
from loom.apps.energy.models import EnergyMeter, EnergyReading
from loom.apps.energy.service.figures import r1_change
from loom.apps.energy.service.times import local_today
from loom.kernel.db.base import utcnow
from loom.kernel.plugins.spec import Evidence
from loom.kernel.tenancy.scope import Scope

WINDOW_DAYS = 90
#: device readings this recent count as real-time collection (scene S10, level 3)
LIVE_DAYS = 7
#: S10 level 2 asks for water, electricity, gas and the like collected in a system: two kinds
#: of energy or water with readings in the window show more than an electricity ledger
LEVEL2_KINDS = 2
OPTION_TEXT = {"A": "增加 (up)", "B": "持平 (flat)", "C": "降低 (down)"}


def _kinds_read(
    session: Session, scope: Scope, since_days: int, source: str | None
) -> dict[str, int]:
    since = utcnow() - timedelta(days=since_days)
    stmt = (
        select(EnergyMeter.kind, func.count(EnergyReading.id))
        .join(
            EnergyReading,
            (EnergyReading.meter_id == EnergyMeter.id)
            & (EnergyReading.org_id == EnergyMeter.org_id),
        )
        .where(EnergyMeter.org_id == scope.org_id, EnergyReading.read_at >= since)
        .group_by(EnergyMeter.kind)
    )
    if source is not None:
        stmt = stmt.where(EnergyReading.source == source)
    return {kind: int(n) for kind, n in session.execute(stmt)}


def scene_evidence(session: Session, scope: Scope) -> Sequence[Evidence]:
    """Return evidence for scene S10 能耗管理 from the last 90 days of readings."""
    kinds = _kinds_read(session, scope, WINDOW_DAYS, None)
    if not kinds:
        return []
    live = _kinds_read(session, scope, LIVE_DAYS, "device")
    readings = sum(kinds.values())
    # Level 1: energy data recorded with IT tools; level 2: water, electricity, gas… collected
    # and analysed in a system; level 3: collected in real time (device readings this week)
    level = 1
    if len(kinds) >= LEVEL2_KINDS:
        level = 2
    if level == 2 and live:
        level = 3
    names = ", ".join(f"{k} ({KINDS[k].unit})" for k in sorted(kinds))
    summary = (
        f"{readings} meter readings of {names} recorded in Loom in the last {WINDOW_DAYS} days"
        + (
            f"; {sum(live.values())} of them from metering devices in the last {LIVE_DAYS} days"
            if live
            else ""
        )
    )
    return [
        Evidence(
            item_id="S10",
            summary=summary,
            suggested_level=level,
            details={
                "readings": readings,
                "kinds": sorted(kinds),
                "device_readings": sum(live.values()),
            },
        )
    ]


def _fmt(value: Decimal | None, places: int = 4) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def r1_evidence(session: Session, scope: Scope) -> Sequence[Evidence]:
    """Return evidence for R1 绿色低碳: energy per 100 CNY of revenue before and after."""
    change = r1_change(session, scope, local_today())
    before, after = change.before, change.after
    if before.kgce == 0 and after.kgce == 0:
        return []
    ratio = change.ratio
    option = change.option
    period = "{0:%Y-%m}–{1:%Y-%m}"
    summary = (
        f"Energy per 100 CNY of revenue: {_fmt(before.kgce_per_100_cny)} kgce in "
        f"{period.format(before.first_month, before.last_month)} ({_fmt(before.tce, 3)} tce), "
        f"{_fmt(after.kgce_per_100_cny)} kgce in "
        f"{period.format(after.first_month, after.last_month)} ({_fmt(after.tce, 3)} tce)"
    )
    if ratio is not None and option is not None:
        summary += f": {ratio * 100:+.1f}%, option {option} {OPTION_TEXT[option]}"
    else:
        missing = [m.isoformat()[:7] for m in (*before.missing_revenue, *after.missing_revenue)]
        summary += (
            f"; revenue missing for {', '.join(missing)}"
            if missing
            else "; no energy recorded in the period before"
        )
    return [
        Evidence(
            item_id="R1",
            summary=summary,
            suggested_level=None,
            details={
                "option": option,
                "before_tce": str(before.tce),
                "after_tce": str(after.tce),
                "before_kgce_per_100_cny": str(before.kgce_per_100_cny),
                "after_kgce_per_100_cny": str(after.kgce_per_100_cny),
                "change": None if ratio is None else str(ratio),
            },
        )
    ]
