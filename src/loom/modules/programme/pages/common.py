"""Shared helpers of the programme pages: paths, labels, form parsing, permissions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from loom.kernel.errors import ValidationFailed
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.service import organisation_names
from loom.kernel.web.templating import page_context

BASE = "/apps/programme"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 25


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


#: labels of the plan's sectors and statuses, translated where they are shown
SECTOR_LABELS = {
    "apparel": msgid("Sportswear and leisure apparel"),
    "nev_parts": msgid("NEV parts"),
    "home_appliances": msgid("Home appliances"),
    "other": msgid("Other"),
}


def translator(request: Request) -> Callable[..., str]:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Callable[..., str] = page_context(request)["_"]
    return gettext


def org_names(db: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Return organisation names by id (one query for a whole listing)."""
    return organisation_names(db, ids)


def fen_of(raw: str, field: str) -> int:
    """Return an amount typed in CNY (at most two decimals) as fen, or name the field."""
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationFailed(
            "%(field)s: an amount in CNY with at most two decimals",
            field=field,
            params={"field": field},
        )
    return int(value * 100)


def cny(fen: int) -> str:
    """Return fen as CNY with thousands separators and two decimals."""
    return f"{Decimal(fen) / 100:,.2f}"


STATUS_LABELS = {
    "applied": msgid("Applied"),
    "approved": msgid("Project approved"),
    "in_progress": msgid("In progress"),
    "acceptance_requested": msgid("Acceptance requested"),
    "onsite_review": msgid("On-site review"),
    "accepted": msgid("Accepted"),
    "rectification": msgid("Rectification"),
    "withdrawn": msgid("Withdrawn"),
}
ACTION_LABELS = {
    "approve": msgid("Approve (立项)"),
    "start": msgid("Start implementation"),
    "request_acceptance": msgid("Request acceptance"),
    "begin_review": msgid("Begin on-site review"),
    "accept": msgid("Accept"),
    "require_rectification": msgid("Require rectification"),
    "resume": msgid("Resume after rectification"),
    "withdraw": msgid("Withdraw"),
    "designate_regional_sample": msgid("Name regional sample"),
    "designate_municipal_sample": msgid("Name municipal sample"),
    "designate_benchmark": msgid("Name benchmark"),
}
HONOUR_LABELS = {
    "regional_sample": msgid("Regional sample"),
    "municipal_sample": msgid("Municipal sample"),
    "benchmark": msgid("Benchmark"),
}
CATEGORY_LABELS = {
    "hardware": msgid("Hardware"),
    "software": msgid("Software"),
    "services": msgid("Services"),
    "cloud": msgid("Cloud"),
}
