"""ECharts options of the energy dashboard, built on the server so templates embed JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from loom.apps.energy.engine.coefficients import Coefficients, to_kgce
from loom.apps.energy.engine.consumption import DayFigures
from loom.kernel.web.charts import BRAND

PALETTE = [BRAND, "#e07b00", "#2e9e5b", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d"]


def _f(value: Decimal | None, places: int = 4) -> float | None:
    return None if value is None else round(float(value), places)


def daily_kgce(
    days: Sequence[DayFigures],
    coefficients: Coefficients,
    kind_label: Callable[[str], str],
    unit: str,
) -> dict[str, Any]:
    """Return stacked bars of kgce per day by kind of energy."""
    kinds = sorted({k for d in days for k in d.amounts if coefficients.counted(k)})
    series = [
        {
            "name": kind_label(kind),
            "type": "bar",
            "stack": "kgce",
            "itemStyle": {"color": PALETTE[i % len(PALETTE)]},
            "data": [
                _f(to_kgce(d.amounts.get(kind, Decimal(0)), kind, coefficients), 2) for d in days
            ],
        }
        for i, kind in enumerate(kinds)
    ]
    return {
        "grid": {"left": 56, "right": 16, "top": 36, "bottom": 28},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": [d.day.isoformat()[5:] for d in days]},
        "yAxis": {"type": "value", "name": unit},
        "series": series,
    }


def per_piece(days: Sequence[DayFigures], names: Mapping[str, str]) -> dict[str, Any]:
    """Return kgce per piece and kWh per piece per day (two axes); gaps on days without pieces."""
    return {
        "grid": {"left": 56, "right": 56, "top": 36, "bottom": 28},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "xAxis": {"type": "category", "data": [d.day.isoformat()[5:] for d in days]},
        "yAxis": [
            {"type": "value", "name": names["kgce_unit"]},
            {"type": "value", "name": names["kwh_unit"]},
        ],
        "series": [
            {
                "name": names["kgce"],
                "type": "bar",
                "itemStyle": {"color": BRAND},
                "data": [_f(d.kgce_per_piece) for d in days],
            },
            {
                "name": names["kwh"],
                "type": "line",
                "yAxisIndex": 1,
                "itemStyle": {"color": "#e07b00"},
                "connectNulls": False,
                "data": [_f(d.per_piece("electricity")) for d in days],
            },
        ],
    }


def bars(
    labels: Sequence[str], values: Sequence[float | None], name: str, unit: str
) -> dict[str, Any]:
    """Return a horizontal bar chart (lines or meters by consumption)."""
    return {
        "grid": {"left": 96, "right": 24, "top": 16, "bottom": 28},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "value", "name": unit},
        "yAxis": {"type": "category", "data": list(labels)},
        "series": [
            {"name": name, "type": "bar", "itemStyle": {"color": BRAND}, "data": list(values)}
        ],
    }
