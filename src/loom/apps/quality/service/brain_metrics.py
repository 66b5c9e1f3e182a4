"""What quality management offers the industry brain: DHU per day, as its two sums."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.apps.quality.models import Inspection
from loom.kernel.plugins.spec import BrainMetric, MetricSample
from loom.kernel.tenancy.scope import Scope


def dhu(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return defects and pieces checked per day, inline and end-of-line together.

    The same sums make the enterprise's own DHU per day (quality figures, every kind), so the
    brain's figure for one enterprise equals what its quality page shows.
    """
    stmt = (
        select(
            Inspection.day, func.sum(Inspection.defects_total), func.sum(Inspection.pieces_checked)
        )
        .where(Inspection.org_id == scope.org_id, Inspection.day >= start, Inspection.day <= end)
        .group_by(Inspection.day)
        .order_by(Inspection.day)
    )
    return [
        MetricSample(day, float(defects or 0), float(pieces or 0))
        for day, defects, pieces in session.execute(stmt)
        if pieces
    ]


BRAIN_METRICS = (BrainMetric("quality.dhu", "quality", "DHU", "%", dhu, ratio=True, scale=100),)
