"""JSON API of the brain's figures: indices, the level distribution and the capacity map.

Cells built from fewer than three enterprises are null with ``suppressed: true``, exactly as
on the pages and in the Excel files.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.engine.kanon import ALL, Table
from loom.modules.brain.permissions import CAPACITY_READ, INDEX_READ
from loom.modules.brain.schemas import (
    CapacityOut,
    CellOut,
    EnterpriseCapacityOut,
    IndexOut,
    LevelsOut,
    MetricOut,
    RowOut,
)
from loom.modules.brain.service.capacity import capacity_map
from loom.modules.brain.service.collect import brain_metrics
from loom.modules.brain.service.indices import (
    PLANNED_METRICS,
    index_table,
    level_distribution,
)
from loom.modules.brain.service.times import default_span, this_week, today
from loom.modules.brain.service.views import CellView, row_views

router = APIRouter()
DB = Depends(get_db, scope="function")


def _key(key: Hashable) -> str:
    return "*" if key == ALL else str(key)


def _cell(column: str, cell: CellView) -> CellOut:
    return CellOut(column=column, value=cell.value, suppressed=cell.suppressed)


def rows_out(
    table: Table,
    ratio: bool = False,
    scale: float = 1.0,
    *,
    groups: bool = True,
    district: bool = True,
    drop_empty: bool = True,
) -> list[RowOut]:
    """Return a table's rows as the API serves them."""
    columns = [_key(c) if not isinstance(c, date) else c.isoformat() for c in table.columns]
    return [
        RowOut(
            group=_key(row.key),
            cells=[_cell(c, cell) for c, cell in zip(columns, row.cells, strict=True)],
            total=_cell("total", row.total),
            enterprises=row.enterprises,
        )
        for row in row_views(
            table, ratio, scale, groups=groups, district=district, drop_empty=drop_empty
        )
    ]


def _columns(values: Sequence[Hashable]) -> list[str]:
    return [v.isoformat() if isinstance(v, date) else str(v) for v in values]


@router.get("/metrics", response_model=list[MetricOut])
def list_metrics(request: Request, scope: Scope = require(INDEX_READ)) -> Any:
    """Return the figures the installed apps offer the brain."""
    return [
        MetricOut(
            name=m.name,
            category=m.category,
            label=m.label,
            unit=m.unit,
            ratio=m.ratio,
            scale=m.scale,
        )
        for m in brain_metrics(runtime_of(request).apps)
    ]


@router.get("/indices/{metric}", response_model=IndexOut)
def read_index(
    request: Request,
    metric: str,
    start: date | None = Query(None, alias="from"),
    end: date | None = Query(None, alias="to"),
    by: str = Query("all", max_length=20),
    scope: Scope = require(INDEX_READ),
    db: Session = DB,
) -> Any:
    """Return one index by group and week; the read is logged for every enterprise read."""
    first, last = default_span(start, end, ahead=metric in PLANNED_METRICS)
    found = index_table(db, scope, runtime_of(request).apps, metric, first, last, by)
    m = found.metric
    return IndexOut(
        k=found.table.k,
        columns=_columns(found.weeks),
        rows=rows_out(found.table, m.ratio, m.scale, groups=by != "all"),
        metric=MetricOut(
            name=m.name,
            category=m.category,
            label=m.label,
            unit=m.unit,
            ratio=m.ratio,
            scale=m.scale,
        ),
        by=by,
        start=found.start,
        end=found.end,
    )


@router.get("/levels", response_model=LevelsOut)
def read_levels(
    request: Request,
    end: date | None = Query(None, alias="to"),
    by: str = Query("all", max_length=20),
    scope: Scope = require(INDEX_READ),
    db: Session = DB,
) -> Any:
    """Return how many consenting enterprises hold each digital level, by group."""
    found = level_distribution(db, scope, runtime_of(request).apps, end or today(), by)
    return LevelsOut(
        k=found.table.k,
        columns=_columns(found.table.columns),
        rows=rows_out(found.table, groups=by != "all"),
        by=by,
        end=found.end,
    )


@router.get("/capacity", response_model=CapacityOut)
def read_capacity(
    request: Request,
    start: date | None = Query(None, alias="from"),
    weeks: int = Query(4, ge=1, le=26),
    category: str = Query("", max_length=40),
    skill: int = Query(1, ge=1, le=5),
    scope: Scope = require(CAPACITY_READ),
    db: Session = DB,
) -> Any:
    """Return free operator-minutes per week by category, skill, town and enterprise."""
    found = capacity_map(
        db, scope, runtime_of(request).apps, start or this_week(), weeks, category, skill
    )
    return CapacityOut(
        k=found.by_town.k,
        start=found.start,
        weeks=_columns(found.weeks),
        category=found.category,
        min_skill=found.min_skill,
        categories=found.categories,
        by_category=rows_out(found.by_category, district=False),
        by_skill=rows_out(found.by_skill, drop_empty=False),
        by_town=rows_out(found.by_town),
        enterprises=[
            EnterpriseCapacityOut(
                org_id=e.org_id,
                name=e.name,
                town=e.town,
                weeks={w.isoformat(): v for w, v in sorted(e.weeks.items())},
                total=e.total,
            )
            for e in found.enterprises
        ],
    )
