"""Where each target of the plan stands against its actual value, today.

Before its deadline a target is ``at_risk`` when the actual value is below the target prorated
linearly over the time from the programme's start to the deadline; this rule is Loom's, not the
plan's, which only names end values and deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from loom.modules.programme.engine.errors import InvalidInput, PathProblem
from loom.modules.programme.engine.numbers import Number, exact
from loom.modules.programme.engine.plan_model import Target


class TargetState(StrEnum):
    """The state of a target on a given day."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NO_DATA = "no_data"  # the actual value is unknown (e.g. a share of no enterprises)


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """A target's state with the numbers behind it, all in the actual value's unit."""

    target: Target
    state: TargetState
    actual: Fraction | None
    required: Fraction  # the value to reach: a share for percent targets (90% -> 9/10)
    expected_now: Fraction  # the pro-rata value for today (``required`` once the deadline is due)
    elapsed: Fraction  # the share of the time from the programme start to the deadline, 0..1
    days_left: int  # days until the deadline; negative once it has passed

    @property
    def progress(self) -> Fraction | None:
        """Return actual / required (``None`` without data or for a zero target)."""
        if self.actual is None or self.required == 0:
            return None
        return self.actual / self.required


def _satisfies(target: Target, actual: Fraction) -> bool:
    if target.comparator == "==":
        return actual == target.required
    return actual >= target.required


def target_status(
    target: Target, actual: Number | None, today: date, programme_start: date
) -> TargetStatus:
    """Return the target's state on ``today``.

    ``actual`` is in the target's unit, a percent target taking a share (``Fraction(27, 30)``).
    Pass the value as it stood on the deadline once the deadline has passed, so a late success
    does not count as met. The deadline day itself is still before the deadline.
    """
    value = None if actual is None else exact(actual)
    if actual is not None and (value is None or value < 0):
        raise InvalidInput([PathProblem("actual", f"expected a number >= 0, got {actual!r}")])
    span = (target.deadline - programme_start).days
    if span <= 0:
        elapsed = Fraction(1)
    else:
        elapsed = min(max(Fraction((today - programme_start).days, span), Fraction(0)), Fraction(1))
    expected = target.required * elapsed
    if value is None:
        state = TargetState.NO_DATA
    elif _satisfies(target, value):
        state = TargetState.MET
    elif today > target.deadline:
        state = TargetState.MISSED
    elif value < expected or (target.comparator == "==" and value > target.required):
        # an exact target overshot cannot be met by doing more
        state = TargetState.AT_RISK
    else:
        state = TargetState.ON_TRACK
    return TargetStatus(
        target, state, value, target.required, expected, elapsed, (target.deadline - today).days
    )
