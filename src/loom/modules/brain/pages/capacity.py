"""The capacity map: free sewing operator-minutes by category, skill, town and enterprise."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.brain.pages.common import (
    DB,
    base_context,
    day_errors,
    group_label,
    msgid,
    parse_day,
    translator,
    xlsx,
)
from loom.modules.brain.permissions import CAPACITY_READ
from loom.modules.brain.service.capacity import (
    ANY_CATEGORY,
    MAX_WEEKS,
    SKILLS,
    CapacityMap,
    capacity_map,
)
from loom.modules.brain.service.export import cell_value, workbook
from loom.modules.brain.service.times import this_week
from loom.modules.brain.service.views import row_views

router = APIRouter()


def _number(raw: str, low: int, high: int, default: int) -> int | None:
    text = raw.strip()
    if not text:
        return default
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def _map(
    request: Request, db: Session, scope: Scope, first: str, weeks: str, category: str, skill: str
) -> tuple[CapacityMap, dict[str, str]]:
    gettext = translator(request)
    errors = day_errors(gettext, **{"from": first})
    count = _number(weeks, 1, MAX_WEEKS, 4)
    if count is None:
        errors["weeks"] = gettext("a whole number from 1 to %(n)s", n=MAX_WEEKS)
    grade = _number(skill, 1, 5, 1)
    if grade is None:
        errors["skill"] = gettext("a grade from 1 to 5")
    found = capacity_map(
        db,
        scope,
        runtime_of(request).apps,
        parse_day(first) or this_week(),
        count or 4,
        category.strip(),
        grade or 1,
    )
    return found, errors


ANY_LABEL = msgid("Any category")


def category_label(request: Request, category: str) -> str:
    """Return a category's name; ``*`` is the lines that sew any category."""
    return translator(request)(ANY_LABEL) if category == ANY_CATEGORY else category


@router.get("/capacity")
def capacity(
    request: Request,
    first: str = Query("", alias="from", max_length=20),
    weeks: str = Query("", max_length=5),
    category: str = Query("", max_length=40),
    skill: str = Query("", max_length=5),
    scope: Scope = require(CAPACITY_READ),
    db: Session = DB,
) -> Response:
    """Show the free capacity of the coming weeks, only from enterprises that share it."""
    gettext = translator(request)
    found, errors = _map(request, db, scope, first, weeks, category, skill)
    context: dict[str, Any] = base_context(
        "capacity",
        found=found,
        errors=errors,
        first=found.start.isoformat(),
        weeks=len(found.weeks),
        skills=SKILLS,
        category_label=lambda c: category_label(request, c),
        by_category=row_views(found.by_category, district=False),
        by_skill=row_views(found.by_skill, drop_empty=False),
        by_town=row_views(found.by_town),
        town_label=lambda key: group_label(gettext, "town", key),
        k=found.by_town.k,
    )
    return render(request, "brain/capacity.html", context, status=422 if errors else 200)


@router.get("/capacity.xlsx")
def capacity_export(
    request: Request,
    first: str = Query("", alias="from", max_length=20),
    weeks: str = Query("", max_length=5),
    category: str = Query("", max_length=40),
    skill: str = Query("", max_length=5),
    scope: Scope = require(CAPACITY_READ),
    db: Session = DB,
) -> Response:
    """Download the capacity map's tables as on the page."""
    gettext = translator(request)
    found, _errors = _map(request, db, scope, first, weeks, category, skill)
    hidden = gettext("hidden: fewer than %(k)s enterprises", k=found.by_town.k)
    mondays = [w.isoformat() for w in found.weeks]
    tail = [gettext("Whole span")]
    towns = [
        [group_label(gettext, "town", row.key)]
        + [cell_value(c, hidden, 0) for c in row.cells]
        + [cell_value(row.total, hidden, 0)]
        for row in row_views(found.by_town)
    ]
    categories = [
        [category_label(request, str(row.key))]
        + [cell_value(c, hidden, 0) for c in row.cells]
        + [cell_value(row.total, hidden, 0)]
        for row in row_views(found.by_category, district=False)
    ]
    enterprises = [
        [e.name, e.town, *(round(e.weeks.get(w, 0.0)) for w in found.weeks), round(e.total)]
        for e in found.enterprises
    ]
    content = workbook(
        [
            (gettext("By town"), [gettext("Town"), *mondays, *tail], towns),
            (gettext("By category"), [gettext("Category"), *mondays, *tail], categories),
            (
                gettext("By enterprise"),
                [gettext("Enterprise"), gettext("Town"), *mondays, *tail],
                enterprises,
            ),
        ]
    )
    return xlsx(content, f"brain-capacity-{found.start.isoformat()}.xlsx")
