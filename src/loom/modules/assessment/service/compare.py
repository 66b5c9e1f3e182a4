"""Before/after comparison of two submitted assessments of one enterprise."""

from __future__ import annotations

from dataclasses import dataclass

from loom.kernel.errors import ValidationFailed
from loom.modules.assessment.models import Assessment


@dataclass(frozen=True)
class Change:
    """One indicator's points or one scene's level, before and after."""

    item_id: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        """Return after minus before."""
        return round(self.after - self.before, 4)


@dataclass(frozen=True)
class Comparison:
    """Side-by-side view of a before and an after assessment."""

    before: Assessment
    after: Assessment
    indicators: list[Change]
    scenes: list[Change]
    score: Change
    level: Change


def compare(before: Assessment, after: Assessment) -> Comparison:
    """Compare two submitted assessments of the same enterprise, indicator by indicator."""
    if before.result is None or after.result is None:
        raise ValidationFailed("both assessments must be submitted", field="assessment")
    if before.org_id != after.org_id:
        raise ValidationFailed("both assessments must be of the same enterprise", field="after")
    b_points = before.result.get("indicator_points", {})
    a_points = after.result.get("indicator_points", {})
    b_scenes = before.questionnaire.get("scenes", {})
    a_scenes = after.questionnaire.get("scenes", {})
    indicators = [
        Change(k, float(b_points.get(k, 0)), float(a_points.get(k, 0)))
        for k in sorted(set(b_points) | set(a_points))
    ]
    scenes = [
        Change(k, float(b_scenes.get(k, 0) or 0), float(a_scenes.get(k, 0) or 0))
        for k in sorted(set(b_scenes) | set(a_scenes))
    ]
    return Comparison(
        before=before,
        after=after,
        indicators=indicators,
        scenes=scenes,
        score=Change("score", float(before.score or 0), float(after.score or 0)),
        level=Change("level", float(before.level or 0), float(after.level or 0)),
    )
