"""Shared helpers of the subsidy pages: paths, labels, money, translated errors."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from fastapi import Depends, Request

from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.runtime import get_db
from loom.kernel.web.templating import page_context
from loom.modules.subsidy.engine import SubsidyError
from loom.modules.subsidy.service.awards import CapExceeded

BASE = "/apps/subsidy"
DB = Depends(get_db, scope="function")
PAGE_SIZE = 25
READ = "subsidy.award.read"
MANAGE = "subsidy.award.manage"
Gettext = Callable[..., str]


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


def translator(request: Request) -> Gettext:
    """Return the page's gettext, for texts made outside templates."""
    gettext: Gettext = page_context(request)["_"]
    return gettext


#: short names of the rules (their titles quote the plan in Chinese)
RULE_LABELS = {
    "pilot-project": msgid("Pilot project subsidy"),
    "municipal-sample-award": msgid("Municipal sample award"),
    "district-sector-project": msgid("District concentrated transformation subsidy"),
    "benchmark-award": msgid("First-batch benchmark award"),
    "excellent-contractor-award": msgid("Excellent general contractor award"),
    "enterprise-brain-platform": msgid("Enterprise brain platform subsidy"),
    "excellent-product-award": msgid("Excellent product award"),
}
KIND_LABELS = {
    "enterprise": msgid("Enterprise"),
    "contractor": msgid("Contractor"),
    "product": msgid("Product"),
}
STATUS_LABELS = {"approved": msgid("Approved"), "cancelled": msgid("Cancelled")}
LIMIT_LABELS = {
    "share": msgid("Share of the investment"),
    "cap": msgid("Cap per award"),
    "per_product_cap": msgid("Cap per product"),
    "per_provider_cap": msgid("Cap per provider"),
    "per_beneficiary_cap": msgid("Cap per beneficiary"),
    "bureau": msgid("Set lower by the bureau"),
}
FUNDER_LABELS = {
    "central": msgid("Central funds"),
    "city": msgid("City funds"),
    "district": msgid("District funds"),
}
DESIGNATION_LABELS = {
    "national-pilot": msgid("National pilot project"),
    "municipal-sample": msgid("Municipal sample enterprise"),
    "district-concentrated": msgid("District concentrated transformation"),
    "first-batch-benchmark": msgid("First-batch benchmark"),
    "municipal-excellent-contractor": msgid("Municipal excellent general contractor"),
    "municipal-enterprise-brain": msgid("Municipal enterprise brain platform"),
    "municipal-excellent-product": msgid("Municipal excellent product"),
}
FACT_LABELS = {
    "listed_as": msgid("Listed as"),
    "accepted": msgid("Project accepted"),
    "level": msgid("Digital level after transformation"),
    "recognised": msgid("Recognised by the district"),
}


def label(labels: dict[str, str], key: str, gettext: Gettext) -> str:
    """Return the translated label of ``key``, or ``key`` itself when it has none."""
    return gettext(labels[key]) if key in labels else key


def cny(fen: int | None) -> str:
    """Return fen as CNY with thousands separators and two decimals (``—`` for none)."""
    if fen is None:
        return "—"
    return f"{Decimal(fen) / 100:,.2f}"


def cny_input(fen: int) -> str:
    """Return fen as CNY for a form field: two decimals, no separators."""
    return f"{Decimal(fen) / 100:.2f}"


def fen_of(raw: str, field: str) -> int | None:
    """Return an amount typed in CNY as fen (``None`` when blank), or refuse naming the field."""
    text = raw.strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValidationFailed(
            "%(field)s: an amount in CNY with at most two decimals",
            field=field,
            params={"field": field},
        )
    return int(value * 100)


def error_text(exc: DomainError, gettext: Gettext) -> str:
    """Return a service error in the page's language."""
    if isinstance(exc, CapExceeded):
        limit = label(LIMIT_LABELS, exc.limit, gettext)
        if exc.most_fen == 0:
            return gettext(
                msgid("Nothing more can be awarded: the %(limit)s is used up."), limit=limit
            )
        return gettext(
            msgid("%(amount)s CNY would pass the %(limit)s: at most %(most)s CNY can be awarded."),
            amount=cny(exc.amount_fen),
            limit=limit,
            most=cny(exc.most_fen),
        )
    if isinstance(exc, SubsidyError):
        # the engine's problems name paths and values; they are shown as written
        return gettext(msgid("The quote cannot be made: %(detail)s"), detail=exc.message)
    return gettext(exc.template, **exc.params)
