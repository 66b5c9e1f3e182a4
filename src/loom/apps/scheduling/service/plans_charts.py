"""Chart data of a plan: the Gantt chart's bars and the weekly capacity load, as plain data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from loom.apps.scheduling.models.plans import Allocation, SchedulePlan
from loom.apps.scheduling.service.plans import allocations_of, solver_plan
from loom.apps.scheduling.service.problem import problem_from_json
from loom.apps.scheduling.solver.aps import WeekLoad, weekly_load
from loom.kernel.tenancy.scope import Scope


def load_of(session: Session, scope: Scope, row: SchedulePlan) -> list[WeekLoad]:
    """Return capacity and load per line and ISO week of a stored plan."""
    problem = problem_from_json(row.inputs)
    return weekly_load(problem, solver_plan(row, allocations_of(session, scope, row.id)))


def gantt_data(row: SchedulePlan, allocations: Sequence[Allocation]) -> dict[str, Any]:
    """Return the Gantt chart's lines, bars (one per order) and closed days per line.

    Days are ISO dates; a bar runs from its start to the day after its finish so that a
    one-day order still has a width.
    """
    problem = problem_from_json(row.inputs)
    lines = [line.code for line in problem.lines]
    index = {line.id: n for n, line in enumerate(problem.lines)}
    last = max((a.finish for a in allocations), default=problem.start)
    # the chart runs to the Sunday of the last finish's week
    end = last + timedelta(days=6 - last.weekday())
    bars = [
        {
            "line": index.get(a.line_id, 0),
            "start": a.start.isoformat(),
            "end": (a.finish + timedelta(days=1)).isoformat(),
            "order": a.order_code,
            "style": a.style,
            "qty": a.quantity,
            "due": a.due.isoformat(),
            "late": a.tardy_days,
            "rush": a.order_id is None,
        }
        for a in allocations
    ]
    closed = []
    for line in problem.lines:
        day = problem.start
        while day <= end:
            if line.calendar.minutes_on(day) == 0:
                closed.append({"line": index[line.id], "day": day.isoformat()})
            day += timedelta(days=1)
    return {
        "lines": lines,
        "bars": bars,
        "closed": closed,
        "start": problem.start.isoformat(),
        "end": (end + timedelta(days=1)).isoformat(),
    }


def load_option(
    loads: Sequence[WeekLoad], line_codes: dict[int, str], labels: dict[str, str]
) -> dict[str, Any]:
    """Return the ECharts option of the weekly load in % of capacity, per line.

    Bars above 100 % are red; ``labels`` carries the translated axis and series names.
    """
    weeks = sorted({w.week for w in loads})
    series: list[dict[str, Any]] = []
    for line_id, code in line_codes.items():
        by_week = {w.week: w for w in loads if w.line_id == line_id}
        data = []
        for week in weeks:
            found = by_week.get(week)
            pct = _pct(found.load_minutes, found.capacity_minutes) if found else 0
            item: dict[str, Any] = {"value": pct}
            if pct > 100:
                item["itemStyle"] = {"color": "#d9534f"}
            data.append(item)
        series.append({"name": code, "type": "bar", "data": data})
    if series:
        series[0]["markLine"] = {
            "silent": True,
            "symbol": "none",
            "data": [{"yAxis": 100}],
            "lineStyle": {"color": "#d9534f", "type": "dashed"},
        }
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 48, "right": 16, "top": 36, "bottom": 32},
        "xAxis": {"type": "category", "data": [_week_label(w) for w in weeks]},
        "yAxis": {"type": "value", "name": labels["axis"], "axisLabel": {"formatter": "{value}%"}},
        "series": series,
    }


def _pct(load: int, capacity: int) -> int:
    if capacity <= 0:
        return 100 if load else 0
    return round(100 * load / capacity)


def _week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"
