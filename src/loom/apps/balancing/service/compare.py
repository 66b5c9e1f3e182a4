"""Two or three plans side by side."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from loom.apps.balancing.service.plans import get
from loom.apps.balancing.service.views import PlanView, view_of
from loom.kernel.errors import ValidationFailed
from loom.kernel.tenancy.scope import Scope

MIN_PLANS, MAX_PLANS = 2, 3


def compare(session: Session, scope: Scope, plan_ids: Sequence[int]) -> list[PlanView]:
    """Return the views of 2–3 distinct plans in the order given (404 for another's plan)."""
    wanted = list(dict.fromkeys(plan_ids))
    if not MIN_PLANS <= len(wanted) <= MAX_PLANS:
        raise ValidationFailed(
            "choose %(min)s or %(max)s different plans",
            field="ids",
            params={"min": MIN_PLANS, "max": MAX_PLANS},
        )
    return [view_of(get(session, scope, plan_id)) for plan_id in wanted]
