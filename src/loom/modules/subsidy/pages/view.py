"""A quote as the pages show it: every text translated, every amount formatted."""

from __future__ import annotations

from typing import Any

from loom.modules.subsidy.engine import ConditionResult, FactValue, Quote
from loom.modules.subsidy.pages.common import (
    DESIGNATION_LABELS,
    FACT_LABELS,
    FUNDER_LABELS,
    LIMIT_LABELS,
    Gettext,
    cny,
    label,
    msgid,
)
from loom.modules.subsidy.service.claims import Claim

PARTY_LABELS = {
    "per_product_cap": msgid("This product"),
    "per_provider_cap": msgid("This provider"),
    "per_beneficiary_cap": msgid("This beneficiary"),
}


def given_text(value: FactValue | None, gettext: Gettext) -> str:
    """Return a fact's value in words: yes/no, a number, the lists, or "not recorded"."""
    if value is None:
        return gettext(msgid("not recorded"))
    if isinstance(value, bool):
        return gettext(msgid("yes")) if value else gettext(msgid("no"))
    if isinstance(value, frozenset):
        if not value:
            return gettext(msgid("none"))
        return "、".join(label(DESIGNATION_LABELS, d, gettext) for d in sorted(value))
    return str(value)


def requirement_text(result: ConditionResult, gettext: Gettext) -> str:
    """Return what a condition requires, in the page's language."""
    c = result.condition
    if c.op == "includes":
        return gettext(
            msgid("on the list: %(list)s"), list=label(DESIGNATION_LABELS, str(c.value), gettext)
        )
    if c.op == "at_least":
        return gettext(msgid("at least %(value)s"), value=c.value)
    return gettext(msgid("yes")) if c.value is True else gettext(msgid("no"))


def summary(claim: Claim, result: Quote, gettext: Gettext) -> str:
    """Return one sentence saying why the amount is what it is."""
    if not result.eligible:
        unmet = sum(1 for c in result.conditions if not c.met)
        return gettext(
            msgid("Not eligible: %(unmet)s of %(total)s conditions are not met."),
            unmet=unmet,
            total=len(result.conditions),
        )
    rooms = {room.limit: room for room in result.headroom}
    limit = result.limit_applied
    if limit == "share":
        return gettext(
            msgid("%(share)s of the investment of %(investment)s CNY, within every cap."),
            share=claim.rule.share_label(),
            investment=cny(result.investment_fen),
        )
    if limit == "cap":
        return gettext(
            msgid("Capped at %(cap)s CNY, the most one award may be."),
            cap=cny(claim.rule.cap_fen),
        )
    room = rooms.get(limit) if limit else None
    if room is None or limit not in PARTY_LABELS:  # every other limit is a cumulative cap
        return ""
    return gettext(
        msgid(
            "%(party)s already has %(awarded)s CNY under this rule; the %(limit)s is %(cap)s CNY, "
            "so at most %(available)s CNY more can be awarded."
        ),
        party=gettext(PARTY_LABELS[limit]),
        awarded=cny(room.awarded_fen),
        limit=label(LIMIT_LABELS, limit, gettext),
        cap=cny(room.cap_fen),
        available=cny(room.available_fen),
    )


def quote_view(claim: Claim, result: Quote, gettext: Gettext) -> dict[str, Any]:
    """Return the quote's result panel: amount, limit, split, headroom, conditions, reasons."""
    return {
        "eligible": result.eligible,
        "amount_fen": result.amount_fen,
        "amount": cny(result.amount_fen),
        "investment": cny(result.investment_fen),
        "limit": label(LIMIT_LABELS, result.limit_applied or "", gettext)
        if result.limit_applied
        else "—",
        "summary": summary(claim, result, gettext),
        "split": [
            {
                "funder": label(FUNDER_LABELS, part.funder.id, gettext),
                "name": part.funder.name,
                "parts": part.parts,
                "amount": cny(part.amount_fen),
            }
            for part in result.split
        ],
        "headroom": [
            {
                "limit": label(LIMIT_LABELS, room.limit, gettext),
                "cap": cny(room.cap_fen),
                "awarded": cny(room.awarded_fen),
                "available": cny(room.available_fen),
                "remaining": cny(room.remaining_fen),
                "binding": room.limit == result.limit_applied,
            }
            for room in result.headroom
        ],
        "conditions": [
            {
                "fact": label(FACT_LABELS, c.condition.fact, gettext),
                "requires": requirement_text(c, gettext),
                "given": given_text(c.given, gettext),
                "met": c.met,
                "text": c.condition.text,
                "source": c.condition.source,
                "verified": c.condition.verified,
            }
            for c in result.conditions
        ],
        "declared": [label(DESIGNATION_LABELS, d, gettext) for d in sorted(claim.declared)],
        "reasons": list(result.reasons),
        "notes": list(claim.rule.notes),
        "rules_version": claim.rule.ruleset_id,
        "verified": claim.rule.verified,
    }
