"""What energy management offers the industry brain: standard coal per finished piece."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from loom.apps.energy.service.figures import dashboard
from loom.kernel.plugins.spec import BrainMetric, MetricSample
from loom.kernel.tenancy.scope import Scope


def per_piece(session: Session, scope: Scope, start: date, end: date) -> list[MetricSample]:
    """Return kgce (main meters) and finished pieces per day, as the energy dashboard adds them.

    An enterprise that metered no energy or finished no piece in the whole span offers nothing:
    energy without pieces (or pieces without meters) would skew the sector's figure per piece.
    """
    board = dashboard(session, scope, start, end)
    if board.total.pieces <= 0 or board.total.kgce <= 0:
        return []
    return [
        MetricSample(d.day, float(d.kgce), float(d.pieces))
        for d in board.days
        if d.kgce or d.pieces
    ]


BRAIN_METRICS = (
    BrainMetric("energy.per_piece", "energy", "Energy per piece", "kgce", per_piece, ratio=True),
)
