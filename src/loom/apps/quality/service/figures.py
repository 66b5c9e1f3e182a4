"""DHU per line, day, operator and operation, the defect Pareto and the charts' options.

DHU per operator and per operation reads inline inspections only: there the pieces checked
are the operator's own work at that operation. At the end of the line the pieces went through
every operation, so end-of-line defects count in the Pareto and in line and day DHU, and are
shown traced on each inspection, but do not make an operator's DHU.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.quality.engine import dhu as engine
from loom.apps.quality.engine.pareto import ParetoRow, pareto
from loom.apps.quality.models import KINDS, DefectType, Inspection, InspectionDefect
from loom.apps.quality.service.views import Names, names
from loom.kernel.tenancy.scope import Scope

#: the longest window the figures read: a typo guard on the dates
MAX_DAYS = 366
BRAND = "#1f5fbf"
ACCENT = "#d9822b"


@dataclass(frozen=True)
class Window:
    """The days the figures cover (both included) and the kind of inspection (or both)."""

    first: date
    last: date
    kind: str = ""
    line_id: int | None = None

    def days(self) -> list[str]:
        """Return every day of the window as an ISO date."""
        count = (self.last - self.first).days + 1
        return [(self.first + timedelta(days=i)).isoformat() for i in range(count)]


@dataclass(frozen=True)
class Figures:
    """DHU tables, the Pareto and the names they show."""

    window: Window
    total: engine.DhuRow
    by_line: list[engine.DhuRow]
    by_day: list[engine.DhuRow]
    by_operator: list[engine.DhuRow]
    by_operation: list[engine.DhuRow]
    pareto: list[ParetoRow]
    defect_names: dict[str, str]
    trend: dict[int | None, list[Decimal | None]]
    names: Names


def _inspections(session: Session, scope: Scope, window: Window) -> list[Inspection]:
    stmt = select(Inspection).where(
        Inspection.org_id == scope.org_id,
        Inspection.day >= window.first,
        Inspection.day <= window.last,
    )
    if window.kind in KINDS:
        stmt = stmt.where(Inspection.kind == window.kind)
    if window.line_id is not None:
        stmt = stmt.where(Inspection.line_id == window.line_id)
    return list(session.scalars(stmt))


def records(rows: list[Inspection]) -> list[engine.Checked]:
    """Return the engine's records of the inspections."""
    return [
        engine.Checked(
            pieces=r.pieces_checked,
            defects=r.defects_total,
            line_id=r.line_id,
            day=r.day.isoformat(),
            operator_id=r.operator_id if r.kind == "inline" else None,
            operation_id=r.operation_id if r.kind == "inline" else None,
        )
        for r in rows
    ]


def defects_by_code(session: Session, scope: Scope, ids: list[int]) -> list[tuple[str, int]]:
    """Return (code, defects) of the inspections' defect rows."""
    found: list[tuple[str, int]] = []
    for start in range(0, len(ids), 500):
        stmt = (
            select(DefectType.code, func.sum(InspectionDefect.qty))
            .join(
                DefectType,
                (DefectType.id == InspectionDefect.defect_id)
                & (DefectType.org_id == InspectionDefect.org_id),
            )
            .where(
                InspectionDefect.org_id == scope.org_id,
                InspectionDefect.inspection_id.in_(ids[start : start + 500]),
            )
            .group_by(DefectType.code)
        )
        found += [(code, int(n or 0)) for code, n in session.execute(stmt)]
    return found


def compute(session: Session, scope: Scope, window: Window) -> Figures:
    """Return the DHU tables and the Pareto of the window."""
    rows = _inspections(session, scope, window)
    checked = records(rows)
    by_operator = sorted(engine.by_operator(checked), key=lambda r: (-(r.dhu or 0), str(r.key)))
    by_operation = sorted(engine.by_operation(checked), key=lambda r: (-(r.dhu or 0), str(r.key)))
    by_line = engine.by_line(checked)
    ranked = pareto(defects_by_code(session, scope, [r.id for r in rows]))
    defect_names = {
        d.code: d.name
        for d in session.scalars(select(DefectType).where(DefectType.org_id == scope.org_id))
    }
    total = engine.DhuRow("all", sum(c.pieces for c in checked), sum(c.defects for c in checked))
    shown = names(
        session,
        scope,
        lines=[r.key for r in by_line if isinstance(r.key, int)],
        operators=[r.key for r in by_operator if isinstance(r.key, int)],
        operations=[r.key for r in by_operation if isinstance(r.key, int)],
    )
    return Figures(
        window=window,
        total=total,
        by_line=sorted(
            by_line, key=lambda r: shown.line(r.key if isinstance(r.key, int) else None)
        ),
        by_day=engine.by_day(checked),
        by_operator=by_operator,
        by_operation=by_operation,
        pareto=ranked,
        defect_names=defect_names,
        trend=engine.trend(checked, window.days()),
        names=shown,
    )


def pareto_option(figures: Figures, gettext: Callable[..., str]) -> dict[str, Any]:
    """Return the ECharts option of the defect Pareto: bars by code, cumulative % line."""
    labels = [
        f"{row.key} {figures.defect_names.get(row.key, '')}".strip() for row in figures.pareto
    ]
    return {
        "grid": {"left": 48, "right": 48, "top": 36, "bottom": 60},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 30}},
        "yAxis": [
            {"type": "value", "name": gettext("Defects"), "minInterval": 1},
            {"type": "value", "name": "%", "min": 0, "max": 100},
        ],
        "series": [
            {
                "name": gettext("Defects"),
                "type": "bar",
                "data": [row.count for row in figures.pareto],
                "itemStyle": {"color": BRAND},
            },
            {
                "name": gettext("Cumulative share (%)"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [float(row.cumulative) for row in figures.pareto],
                "itemStyle": {"color": ACCENT},
            },
        ],
    }


def trend_option(figures: Figures, gettext: Callable[..., str]) -> dict[str, Any]:
    """Return the ECharts option of DHU per day, one line per production line."""
    days = figures.window.days()
    series = [
        {
            "name": figures.names.line(line),
            "type": "line",
            "connectNulls": False,
            "data": [float(v) if v is not None else None for v in values],
        }
        for line, values in sorted(
            figures.trend.items(), key=lambda item: figures.names.line(item[0])
        )
    ]
    return {
        "grid": {"left": 48, "right": 16, "top": 36, "bottom": 28},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": [d[5:] for d in days]},
        "yAxis": {"type": "value", "name": gettext("DHU")},
        "series": series,
    }
