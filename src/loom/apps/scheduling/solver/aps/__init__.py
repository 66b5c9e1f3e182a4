"""Finite-capacity planning of orders on sewing lines (APS): simulate, dispatch, optimise."""

from loom.apps.scheduling.solver.aps.dispatch import dispatch_edd
from loom.apps.scheduling.solver.aps.repair import repair
from loom.apps.scheduling.solver.aps.report import (
    OrderChange,
    PlanDiff,
    WeekLoad,
    diff,
    weekly_load,
)
from loom.apps.scheduling.solver.aps.search import schedule
from loom.apps.scheduling.solver.aps.simulate import simulate

__all__ = [
    "OrderChange",
    "PlanDiff",
    "WeekLoad",
    "diff",
    "dispatch_edd",
    "repair",
    "schedule",
    "simulate",
    "weekly_load",
]
