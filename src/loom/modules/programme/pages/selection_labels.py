"""Labels and refusals of the selection pages, in the page's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from loom.kernel.errors import DomainError
from loom.kernel.web.templating import page_context
from loom.modules.programme import engine
from loom.modules.programme.pages.common import SECTOR_LABELS, msgid, translator
from loom.modules.programme.schemas.selection import weight_text

Gettext = Callable[..., str]

PILOT_STATUS = {
    "submitted": msgid("Submitted"),
    "selected": msgid("Selected"),
    "not_selected": msgid("Not selected"),
    "withdrawn": msgid("Withdrawn"),
}
BID_STATUS = {
    "submitted": msgid("Submitted"),
    "chosen": msgid("Chosen"),
    "not_chosen": msgid("Not chosen"),
    "withdrawn": msgid("Withdrawn"),
}
#: what put an application below the one before it in its sector (engine ``decided_by``)
DECIDED_BY = {
    "score": msgid("lower score"),
    "digital_base": msgid("tie: lower digital-base score"),
    "sector_experience": msgid("tie: lower sector-experience score"),
    "applied_at": msgid("tie: applied later"),
    "id": msgid("tie: higher application number"),
}
#: English names of the plan's items; Chinese pages show the plan's own titles
ITEM_LABELS = {
    "leader_will": msgid("Strong will of the top manager"),
    "stable_operations": msgid("Stable operations"),
    "management_base": msgid("Good management base"),
    "digital_base": msgid("Some digital base"),
    "replicable": msgid("Easy to learn from and copy"),
    "technology_products": msgid("Technology products"),
    "sector_experience": msgid("Sector experience"),
    "service_staff": msgid("Service staff"),
    "ecosystem_resources": msgid("Ecosystem resources"),
    "experts": msgid("Experts"),
    "associations": msgid("Industry associations"),
    "pilot_enterprises": msgid("Pilot enterprises"),
}
#: the consortium rules a choice can break, with the organisation named
CONFLICTS = {
    "duplicate_bid": msgid("Application %(bid)s is listed twice."),
    "lead_is_member": msgid("Application %(bid)s names its lead %(org)s as a member too."),
    "leads_two_bids": msgid("%(org)s leads several open applications in this sector: %(bids)s."),
    "in_two_bids": msgid("%(org)s takes part in competing applications in this sector: %(bids)s."),
}
SCORE_HINT = msgid("A whole number from 0 to %(max)s.")
#: one plain hint per form field of the selection pages
FIELD_HINTS = {
    "expert": msgid("Enter the expert's name (up to 100 characters)."),
    "evaluator": msgid("Enter the evaluator's name (up to 100 characters)."),
    "group": msgid("Choose an evaluator group."),
    "enterprise_id": msgid("Choose an enterprise of the registry."),
    "bureau_org_id": msgid("Choose the bureau whose programme you apply to."),
    "sector": msgid("Choose a sector of the bureau's plan."),
    "member_org_ids": msgid("Choose other contractor organisations only."),
    "statement": msgid("Keep the statement under 4,000 characters."),
    "reason": msgid("Give the reason (up to 1,000 characters)."),
    "note": msgid("Give the reason (up to 1,000 characters)."),
    "batch": msgid("Choose a batch of the plan."),
    "application_ids": msgid("Tick at least one submitted, scored application."),
}


def is_chinese(request: Request) -> bool:
    """Return whether the page is shown in Chinese."""
    return bool(page_context(request)["locale"] == "zh_CN")


@dataclass(frozen=True)
class Weighted:
    """A plan item as the pages show it: label, weight and whether Loom chose the weight."""

    id: str
    label: str
    weight: str
    default: bool
    max_score: int | None


def weighted_items(
    request: Request,
    items: Sequence[engine.ScoredItem] | Sequence[engine.EvaluatorGroup],
) -> list[Weighted]:
    """Return the plan's principles, criteria or groups labelled for the page."""
    gettext = translator(request)
    chinese = is_chinese(request)
    shown = []
    for item in items:
        label = (
            item.title if chinese or item.id not in ITEM_LABELS else gettext(ITEM_LABELS[item.id])
        )
        top = item.max_score if isinstance(item, engine.ScoredItem) else None
        default = item.weight_origin == "loom_default"
        shown.append(Weighted(item.id, label, weight_text(item.weight), default, top))
    return shown


def sector_label(request: Request, plan: engine.Plan, sector: str) -> str:
    """Return a sector's name in the page's language (the plan's name for unknown ids)."""
    if sector in SECTOR_LABELS:
        return translator(request)(SECTOR_LABELS[sector])
    return plan.sector_names().get(sector, sector)


def batch_label(request: Request, batch: engine.Batch) -> str:
    """Return a batch's name: the plan's title in Chinese, its id otherwise."""
    return batch.title if is_chinese(request) else batch.id


def localised_params(
    request: Request, params: Mapping[str, object], batches: Mapping[str, str] | None = None
) -> dict[str, object]:
    """Return refusal parameters with statuses, sectors and batches in the page's language."""
    gettext = translator(request)
    out = dict(params)
    status = str(params.get("status", ""))
    if status in PILOT_STATUS or status in BID_STATUS:
        out["status"] = gettext(PILOT_STATUS.get(status) or BID_STATUS[status])
    sector = str(params.get("sector", ""))
    if sector in SECTOR_LABELS:
        out["sector"] = gettext(SECTOR_LABELS[sector])
    batch = str(params.get("batch", ""))
    if batches and batch in batches:
        out["batch"] = batches[batch]
    return out


def refusal(request: Request, exc: DomainError) -> str:
    """Return a refusal's message in the page's language."""
    return translator(request)(exc.template, **localised_params(request, exc.params))


def field_errors(
    request: Request, exc: DomainError, top: Mapping[str, int] | None = None
) -> dict[str, str]:
    """Return one message per refused field; ``top`` gives each score field's highest value."""
    gettext = translator(request)
    errors: dict[str, str] = {}
    listed = exc.details if isinstance(exc.details, list) else []
    for item in listed:
        field = str(item.get("field", ""))
        key = field.removeprefix("scores.")
        if field.startswith("scores.") and top is not None and key in top:
            errors[field] = gettext(SCORE_HINT, max=top[key])
        elif field.split(".")[0] in FIELD_HINTS:
            errors[field.split(".")[0]] = gettext(FIELD_HINTS[field.split(".")[0]])
        else:
            errors[field] = str(item.get("message", ""))
    if not listed:
        field = exc.field or "form"
        # the generic length and emptiness checks name the field; the hint says it better
        generic = exc.template.startswith("%(field)s:") and field in FIELD_HINTS
        errors[field] = gettext(FIELD_HINTS[field]) if generic else refusal(request, exc)
    return errors


def conflict_messages(
    request: Request, problems: Sequence[engine.Problem], names: Mapping[int, str]
) -> list[str]:
    """Return consortium conflicts in the page's language, organisations by name."""
    gettext = translator(request)
    messages = []
    for problem in problems:
        params: dict[str, Any] = dict(problem.params)
        if "org" in params:
            params["org"] = names.get(int(params["org"]), str(params["org"]))
        template = CONFLICTS.get(problem.code)
        messages.append(gettext(template, **params) if template else problem.message)
    return messages
