"""Tables as pages, workbooks and the API show them: one reading of the suppressed cells.

Every place that shows a figure reads it through ``row_views``, so a cell hidden on the page
is hidden in the Excel file and in the JSON too.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from loom.modules.brain.engine.indices import value
from loom.modules.brain.engine.kanon import ALL, TOTAL, Table


@dataclass(frozen=True)
class CellView:
    """A figure to show, or None; ``suppressed`` when too few enterprises made it."""

    value: float | None
    suppressed: bool


@dataclass(frozen=True)
class RowView:
    """One row: its key (a group, or ``ALL``), its cells by column, its total.

    ``enterprises`` is how many enterprises the row's total is built from, given only when
    that total is shown.
    """

    key: Hashable
    cells: list[CellView]
    total: CellView
    enterprises: int | None


def cell_view(table: Table, row: Hashable, column: Hashable, ratio: bool, scale: float) -> CellView:
    """Return one cell as it may be shown."""
    return CellView(value(table.shown(row, column), ratio, scale), table.is_suppressed(row, column))


def row_views(
    table: Table,
    ratio: bool = False,
    scale: float = 1.0,
    *,
    groups: bool = True,
    district: bool = True,
    drop_empty: bool = True,
) -> list[RowView]:
    """Return the group rows (when ``groups``) then the all-groups row (when ``district``).

    ``drop_empty`` leaves out groups nobody contributed to (a town whose sharing enterprises
    had nothing in the span): they carry no figure, hidden or not.
    """
    keys: list[Hashable] = [*table.rows] if groups else []
    if drop_empty:
        keys = [key for key in keys if table.cell(key, TOTAL).orgs]
    if district:
        keys.append(ALL)
    found = []
    for key in keys:
        total = table.shown(key, TOTAL)
        found.append(
            RowView(
                key,
                [cell_view(table, key, column, ratio, scale) for column in table.columns],
                cell_view(table, key, TOTAL, ratio, scale),
                len(total.orgs) if total is not None else None,
            )
        )
    return found


def cells_json(cells: Sequence[CellView], columns: Sequence[str]) -> list[dict[str, object]]:
    """Return cells as the API serves them, keyed by their column."""
    return [
        {"column": column, "value": cell.value, "suppressed": cell.suppressed}
        for column, cell in zip(columns, cells, strict=True)
    ]
