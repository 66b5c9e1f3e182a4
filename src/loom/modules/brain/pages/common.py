"""Shared helpers of the brain's pages: labels, numbers, spans and downloads."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import Response

from loom.kernel.runtime import get_db
from loom.kernel.web.templating import page_context
from loom.modules.brain.engine.kanon import ALL
from loom.modules.brain.service.indices import DISTRICT, UNLISTED
from loom.modules.programme.pages.common import SECTOR_LABELS

BASE = "/apps/brain"
DB = Depends(get_db, scope="function")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


CATEGORY_LABELS = {
    "capacity": msgid("Free capacity and utilisation"),
    "output": msgid("Output"),
    "quality": msgid("Quality (DHU)"),
    "energy": msgid("Energy per piece"),
    "digital_level": msgid("Digital level"),
    "orders": msgid("Orders: on-time delivery and progress"),
}
GRANULARITY_LABELS = {
    "none": msgid("Not shared"),
    "weekly": msgid("Weekly sums"),
    "daily": msgid("Daily sums"),
}
GROUPING_LABELS = {
    "all": msgid("Whole district"),
    "sector": msgid("By sector"),
    "sub_sector": msgid("By sub-sector"),
    "town": msgid("By town"),
}
LEVEL_LABELS = {0: msgid("Below level 1"), 1: msgid("Level 1"), 2: msgid("Level 2")}
LEVEL_LABELS |= {3: msgid("Level 3"), 4: msgid("Level 4")}


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def group_label(gettext: Callable[..., str], grouping: str, key: Hashable) -> str:
    """Return a row's label: a sector's name, a town, or the all-groups row."""
    if key in (ALL, DISTRICT):
        return gettext("All sharing enterprises")
    if key == UNLISTED:
        return gettext("Not in the registry")
    if grouping == "sector" and key in SECTOR_LABELS:
        return gettext(SECTOR_LABELS[str(key)])
    return str(key)


def number(value: float | None, places: int = 1) -> str:
    """Return a figure grouped by thousands with ``places`` decimals, or "—"."""
    return "—" if value is None else f"{value:,.{places}f}"


def places_of(unit: str) -> int:
    """Return how many decimals a unit's figures show."""
    return {"pcs": 0, "min": 0, "kgce": 4, "%": 1}.get(unit, 2)


def parse_day(raw: str) -> date | None:
    """Return an ISO date, or None for an empty or malformed one."""
    try:
        return date.fromisoformat(raw.strip()) if raw.strip() else None
    except ValueError:
        return None


def day_errors(gettext: Callable[..., str], **raw: str) -> dict[str, str]:
    """Return a message for each non-empty field that is not an ISO date."""
    return {
        name: gettext("a date such as 2026-03-01 is expected here")
        for name, text in raw.items()
        if text.strip() and parse_day(text) is None
    }


def xlsx(content: bytes, filename: str) -> Response:
    """Return an Excel download."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(content, media_type=XLSX, headers=headers)


def base_context(tab: str, **more: Any) -> dict[str, Any]:
    """Return the context every brain page shares."""
    return {"tab": tab, "base": BASE, "number": number, **more}
