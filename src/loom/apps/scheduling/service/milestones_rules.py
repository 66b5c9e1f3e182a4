"""The date rules of time and action, on plain values: targets, forecasts, slips and severity.

- **Target** of a stage = the order's due date + the template's offset for the stage, unless a
  user set the stage's target by hand.
- **Forecast** (only when an adopted plan schedules the order's sewing, start S and finish F):
  sewing start = S and sewing finish = F; fabric and cutting move by as many days as sewing
  start moved from its target (S − target of sewing start); finishing and shipping move by as
  many days as sewing finish moved (F − target of sewing finish). A stage already done has its
  actual date as forecast.
- **Slip**: a stage without an actual date slips when its target is past (target before today;
  a target of today is not late yet), or when its forecast is later than its target. Days late
  = the larger of (today − target) and (forecast − target).
- **Severity** by days late: 1–3 minor, 4–7 major, 8 or more critical.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from loom.apps.scheduling.models.milestones import STAGES
from loom.modules.masterdata.service.checks import FieldProblem

#: the template an enterprise starts with: days from the due date
DEFAULT_OFFSETS: dict[str, int] = {
    "fabric": -21,
    "cutting": -14,
    "sewing_start": -12,
    "sewing_finish": -5,
    "finishing": -3,
    "shipping": 0,
}
#: the range an offset may take (the table's check constraint says the same)
MIN_OFFSET, MAX_OFFSET = -365, 60
#: stages that move with the planned sewing start; the others move with the sewing finish
MOVES_WITH_START = frozenset({"fabric", "cutting", "sewing_start"})

#: status of a stage; the first two are the open alerts
ALERT_STATUSES = ("overdue", "at_risk")
STATUSES = ("overdue", "at_risk", "on_track", "done_late", "done")
SEVERITIES = ("critical", "major", "minor")


@dataclass(frozen=True)
class Judgement:
    """Where one stage stands on a given day."""

    status: str
    days_late: int
    severity: str

    @property
    def is_alert(self) -> bool:
        """Return whether the stage is an open alert (late and not done)."""
        return self.status in ALERT_STATUSES


def targets(due: date, offsets: Mapping[str, int]) -> dict[str, date]:
    """Return each stage's template target: the due date plus the stage's offset."""
    return {stage: due + timedelta(days=offsets[stage]) for stage in STAGES}


def forecasts(
    target_of: Mapping[str, date], window: tuple[date, date] | None
) -> dict[str, date | None]:
    """Return each stage's forecast from the adopted plan's sewing window (None without one)."""
    if window is None:
        return dict.fromkeys(STAGES)
    start, finish = window
    start_shift = start - target_of["sewing_start"]
    finish_shift = finish - target_of["sewing_finish"]
    found: dict[str, date | None] = {}
    for stage in STAGES:
        shift = start_shift if stage in MOVES_WITH_START else finish_shift
        found[stage] = target_of[stage] + shift
    return found


def severity(days_late: int) -> str:
    """Return the severity of a slip: minor (1–3 days), major (4–7), critical (8 or more)."""
    if days_late <= 0:
        return ""
    if days_late <= 3:
        return "minor"
    if days_late <= 7:
        return "major"
    return "critical"


def judge(target: date, forecast: date | None, actual: date | None, today: date) -> Judgement:
    """Return a stage's status, days late and severity on ``today``."""
    if actual is not None:
        late = max(0, (actual - target).days)
        return Judgement("done_late" if late else "done", late, "")
    overdue = max(0, (today - target).days)
    ahead = max(0, (forecast - target).days) if forecast is not None else 0
    late = max(overdue, ahead)
    if overdue:
        return Judgement("overdue", late, severity(late))
    if ahead:
        return Judgement("at_risk", late, severity(late))
    return Judgement("on_track", 0, "")


def offset_problems(offsets: Mapping[str, int]) -> list[FieldProblem]:
    """Return every bad offset: missing, out of range, or earlier than the stage before it."""
    found: list[FieldProblem] = []
    previous: tuple[str, int] | None = None
    for stage in STAGES:
        value = offsets.get(stage)
        if value is None:
            found.append(FieldProblem(stage, "must not be empty"))
            continue
        if not MIN_OFFSET <= value <= MAX_OFFSET:
            found.append(
                FieldProblem(
                    stage,
                    "a whole number of days from %(min)s to %(max)s",
                    {"min": MIN_OFFSET, "max": MAX_OFFSET},
                )
            )
            continue
        if previous is not None and value < previous[1]:
            found.append(
                FieldProblem(
                    stage,
                    "cannot come before the previous stage (%(days)s days)",
                    {"days": previous[1]},
                )
            )
        previous = (stage, value)
    return found
