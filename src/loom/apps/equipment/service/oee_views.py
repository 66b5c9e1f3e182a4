"""What the OEE page shows: machines grouped by line, percentages, the Pareto chart option."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from loom.apps.equipment.service.oee import DowntimeReason, LineOee, MachineOee
from loom.kernel.web.charts import BRAND

#: the cumulative line of the Pareto chart
ACCENT = "#d9822b"


def percent(value: float | None) -> str:
    """Return a share as ``93.8%``, or an em dash when unknown."""
    return "—" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class LineBlock:
    """One line on the page (or the machines on no line): rows and the line's figures."""

    line: LineOee | None
    machines: list[MachineOee]


def line_blocks(rows: Sequence[MachineOee], lines: Sequence[LineOee]) -> list[LineBlock]:
    """Group machine rows under their lines, in line order; machines on no line come last."""
    grouped: dict[int | None, list[MachineOee]] = {}
    for row in rows:
        grouped.setdefault(row.line_id, []).append(row)
    blocks = [LineBlock(line, grouped[line.line_id]) for line in lines if line.line_id in grouped]
    if None in grouped:
        blocks.append(LineBlock(None, grouped[None]))
    return blocks


def pareto_chart(
    rows: Sequence[DowntimeReason], gettext: Callable[[str], str], unnamed: str
) -> dict[str, Any]:
    """Return the ECharts option of the downtime Pareto: minutes by reason, cumulative share."""
    total = sum(row.minutes for row in rows) or 1.0
    running, cumulative = 0.0, []
    for row in rows:
        running += row.minutes
        cumulative.append(round(running / total * 100, 1))
    return {
        "grid": {"left": 48, "right": 48, "top": 28, "bottom": 48},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "xAxis": {
            "type": "category",
            "data": [row.reason or unnamed for row in rows],
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": [
            {"type": "value", "name": gettext("Minutes"), "minInterval": 1},
            {"type": "value", "name": "%", "max": 100, "min": 0},
        ],
        "series": [
            {
                "name": gettext("Downtime minutes"),
                "type": "bar",
                "data": [row.minutes for row in rows],
                "itemStyle": {"color": BRAND},
            },
            {
                "name": gettext("Cumulative share"),
                "type": "line",
                "yAxisIndex": 1,
                "data": cumulative,
                "itemStyle": {"color": ACCENT},
            },
        ],
    }
