"""Tables of production scheduling (prefixed ``scheduling_``)."""

from __future__ import annotations

from loom.apps.scheduling.models import milestones, plans

__all__ = ["milestones", "plans"]
