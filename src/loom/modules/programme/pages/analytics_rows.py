"""Rows of the programme analytics as people read them, shared by the page and its export."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from loom.modules.programme.engine import rounded
from loom.modules.programme.pages.common import SECTOR_LABELS, STATUS_LABELS, cny, msgid
from loom.modules.programme.service import analytics as svc
from loom.modules.programme.service.analytics_figures import Effect, LevelGroup, Pilot

Gettext = Callable[..., str]


def shown(value: Fraction | None, places: int = 2) -> str:
    """Return an exact value rounded half up for people ("—" for none)."""
    return "—" if value is None else str(rounded(value, places))


def yuan(fen: int) -> Decimal:
    """Return fen as a CNY amount with two decimals (a number for spreadsheets)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def exact(value: Fraction | None) -> Decimal | None:
    """Return a ratio rounded half up to two decimals as a number, or ``None``."""
    return None if value is None else rounded(value, 2)


def percent(value: Fraction | None) -> str:
    """Return a share as a percentage with one decimal ("—" for none)."""
    return "—" if value is None else f"{rounded(value * 100, 1)}%"


def level_label(level: int, gettext: Gettext) -> str:
    """Return how a level reads: "Level 2", or "Not graded" for 0."""
    if level == 0:
        return gettext(msgid("Not graded"))
    return gettext(msgid("Level %(level)s")) % {"level": level}


def sector_label(sector: str, gettext: Gettext) -> str:
    """Return a sector's label ("" stays "")."""
    return gettext(SECTOR_LABELS[sector]) if sector in SECTOR_LABELS else sector


def filters_of(batch: str, sector: str) -> svc.Filters:
    """Return the page's filters from its query."""
    return svc.Filters(batch=batch.strip(), sector=sector.strip())


def group_row(report: svc.AnalyticsReport, g: LevelGroup, gettext: Gettext) -> dict[str, Any]:
    """Return what a table row and a sheet row show of one batch/sector group."""
    batch = report.batch_titles.get(g.batch, g.batch) if g.batch else gettext(msgid("All batches"))
    sector = sector_label(g.sector, gettext) if g.sector else gettext(msgid("All sectors"))
    return {
        "batch": batch,
        "sector": sector,
        "subtotal": not g.batch or not g.sector,
        "pilots": g.pilots,
        "measured": g.measured,
        "improved": g.improved,
        "share": percent(g.share_improved),
        "levels_gained": g.levels_gained,
        "mean_before": shown(g.mean_before),
        "mean_after": shown(g.mean_after),
    }


def effect_name(report: svc.AnalyticsReport, e: Effect, gettext: Gettext) -> str:
    """Return the name of an effect row: a contractor, a scenario, or the whole programme."""
    kind, key = e.key
    if kind == "contractor":
        if not key:
            return gettext(msgid("No contractor named"))
        return report.contractor_names.get(key, key)
    if not kind:
        return gettext(msgid("No scenario recorded"))
    title = report.scenario_titles.get(key, "")
    return f"{kind} · {key}" + (f" {title}" if title else "")


def effect_row(report: svc.AnalyticsReport, e: Effect, gettext: Gettext) -> dict[str, Any]:
    """Return what a table row and a sheet row show of one effect."""
    return {
        "name": effect_name(report, e, gettext),
        "projects": e.projects,
        "measured": e.measured,
        "levels_gained": e.levels_gained,
        "awarded": cny(e.awarded_fen),
        "paid": cny(e.paid_fen),
        "per_awarded": shown(e.per_100k_awarded),
        "per_paid": shown(e.per_100k_paid),
        "unmeasured_awarded": cny(e.unmeasured_awarded_fen),
        # the same as numbers, for the workbook
        "awarded_cny": yuan(e.awarded_fen),
        "paid_cny": yuan(e.paid_fen),
        "per_awarded_value": exact(e.per_100k_awarded),
        "per_paid_value": exact(e.per_100k_paid),
        "unmeasured_awarded_cny": yuan(e.unmeasured_awarded_fen),
    }


def pilot_row(report: svc.AnalyticsReport, p: Pilot, gettext: Gettext) -> dict[str, Any]:
    """Return what the pilots table and sheet show of one pilot."""
    contractor = report.contractor_names.get(str(p.contractor_org_id or ""), "")
    return {
        "id": p.project_id,
        "title": p.title,
        "enterprise": p.enterprise,
        "batch": report.batch_titles.get(p.batch, p.batch),
        "sector": sector_label(p.sector, gettext),
        "status": gettext(STATUS_LABELS.get(p.status, p.status)),
        "contractor": contractor,
        "scenarios": ", ".join(f"{kind} · {code}" for kind, code in p.scenarios),
        "before": "—" if p.before is None else level_label(p.before, gettext),
        "after": "—" if p.after is None else level_label(p.after, gettext),
        "gained": "—" if p.gained is None else f"{p.gained:+d}",
        "awarded": cny(p.awarded_fen),
        "paid": cny(p.paid_fen),
        "gained_value": p.gained,
        "awarded_cny": yuan(p.awarded_fen),
        "paid_cny": yuan(p.paid_fen),
    }
