"""Shared helpers of the match-making pages: paths, labels, translated errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Request

from loom.kernel.errors import DomainError
from loom.kernel.runtime import get_db
from loom.kernel.web.templating import page_context

BASE = "/apps/matching"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 25
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Gettext = Callable[..., str]


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


ORDER_STATUS_LABELS = {
    "open": msgid("Open"),
    "placed": msgid("Placed"),
    "cancelled": msgid("Cancelled"),
}
INVITATION_STATUS_LABELS = {
    "pending": msgid("Awaiting answer"),
    "accepted": msgid("Order accepted"),
    "declined": msgid("Declined"),
    "closed": msgid("Closed"),
}
FACTOR_LABELS = {
    "capacity": msgid("Free capacity before the due date"),
    "experience": msgid("Category experience (180 days)"),
    "quality": msgid("Quality record (DHU)"),
    "digital_level": msgid("Digital level"),
}
FACTOR_UNITS = {
    "capacity": msgid("operator-minutes"),
    "experience": msgid("pieces"),
    "quality": "%",
    "digital_level": "",
}
STATE_LABELS = {
    "not_shared": msgid("not shared"),
    "no_data": msgid("no data"),
}
GRANULARITY_LABELS = {
    "daily": msgid("daily"),
    "weekly": msgid("weekly"),
    "none": msgid("not shared"),
}


def translator(request: Request) -> Gettext:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Gettext = page_context(request)["_"]
    return gettext


def labels(request: Request) -> dict[str, dict[str, str]]:
    """Return every label table in the page's language."""
    gettext = translator(request)
    return {
        "order_status": {k: gettext(v) for k, v in ORDER_STATUS_LABELS.items()},
        "invitation_status": {k: gettext(v) for k, v in INVITATION_STATUS_LABELS.items()},
        "factor": {k: gettext(v) for k, v in FACTOR_LABELS.items()},
        "unit": {k: gettext(v) if v else "" for k, v in FACTOR_UNITS.items()},
        "state": {k: gettext(v) for k, v in STATE_LABELS.items()},
        "granularity": {k: gettext(v) for k, v in GRANULARITY_LABELS.items()},
    }


def factor_value(factor: dict[str, Any], names: dict[str, dict[str, str]]) -> str:
    """Return a factor's value as shown: the figure with its unit, or why there is none."""
    if factor["state"] != "shared" or factor["value"] is None:
        return str(names["state"].get(factor["state"], factor["state"]))
    value = float(factor["value"])
    shown = f"{value:,.0f}" if factor["name"] in ("capacity", "experience") else f"{value:.2f}"
    unit = names["unit"].get(factor["name"], "")
    return f"{shown} {unit}".strip() if unit != "%" else f"{shown} %"


def error_text(exc: DomainError, gettext: Gettext) -> str:
    """Return a service error in the page's language; listed field problems one by one."""
    if isinstance(exc.details, list) and exc.details:
        return "; ".join(str(d.get("message", "")) for d in exc.details if isinstance(d, dict))
    return gettext(exc.template, **exc.params)
