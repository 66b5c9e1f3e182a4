"""Build Apache ECharts options on the server, so templates only embed JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

BRAND = "#1f5fbf"


def bar_chart(labels: Sequence[str], values: Sequence[float], series_name: str) -> dict[str, Any]:
    """Return the option of a single-series bar chart."""
    return {
        "grid": {"left": 40, "right": 16, "top": 16, "bottom": 28},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": list(labels)},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": series_name,
                "type": "bar",
                "data": list(values),
                "itemStyle": {"color": BRAND},
            }
        ],
    }
