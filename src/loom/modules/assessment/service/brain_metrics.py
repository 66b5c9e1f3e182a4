"""What the assessment offers the industry brain: the digital level, on the day it was assessed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.plugins.spec import BrainMetric, MetricSample
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.models import Assessment


def level(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return the level of each day with a submitted assessment (the last submitted that day).

    Self and on-site assessments both count: the enterprise's latest known level is what the
    distribution shows. The denominator is 1, so a week's samples average to a level.
    """
    stmt = (
        select(Assessment.assessed_on, Assessment.level)
        .where(
            Assessment.org_id == scope.org_id,
            Assessment.status == "submitted",
            Assessment.level.is_not(None),
            Assessment.assessed_on >= start,
            Assessment.assessed_on <= end,
        )
        .order_by(Assessment.assessed_on, Assessment.submitted_at, Assessment.id)
    )
    latest: dict[date, int] = {}
    for day, value in session.execute(stmt):
        if value is not None:  # the query keeps only levelled rows; this tells mypy so
            latest[day] = value
    return [MetricSample(day, float(value)) for day, value in sorted(latest.items())]


BRAIN_METRICS = (
    BrainMetric("assessment.level", "digital_level", "Digital level", "", level, ratio=True),
)
