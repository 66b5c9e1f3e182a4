"""The result of scoring one questionnaire: level and score at once, the detailed views on demand.

Only the total, the scene counts and the level are computed when a questionnaire is scored; the
per-indicator, per-level and unverified-rule views are built when asked for, so batch scoring
does not pay for dictionaries nobody reads.
"""

from __future__ import annotations

from loom.modules.assessment.engine.compiled import CompiledRules
from loom.modules.assessment.engine.fastpath import Resolved
from loom.modules.assessment.engine.levels import explain_levels, scene_count_table
from loom.modules.assessment.engine.results import LevelCheck, SceneCount, ScoreDict, Shortfall


class ScoreResult:
    """A scored questionnaire; ``to_dict()`` gives the JSON form described in docs/assessment.md."""

    __slots__ = (
        "_options",
        "_points",
        "_rates",
        "all_counts",
        "constrained_counts",
        "id",
        "level",
        "rules",
        "scene_levels",
        "total",
    )

    def __init__(self, rules: CompiledRules, resolved: Resolved, ident: object = None) -> None:
        options, points, rates, scene_levels = resolved
        self.rules = rules
        self._options = options
        self._points = points
        self._rates = rates
        #: scene levels in rule-set order (S01 first)
        self.scene_levels = scene_levels
        #: the exact total score in points x ``rules.scale``
        self.total = total = sum(points)
        # scenes at or above each level 0…max, in all and among constrained scenes, and the
        # digital level reached (0 = not graded): count_scenes and grade, written out per rule
        # set (generated.py)
        self.all_counts, self.constrained_counts, self.level = rules.generated.standing(
            scene_levels, total
        )
        #: the questionnaire's own ``id``, echoed for batch work
        self.id = ident if type(ident) is str or type(ident) is int else None

    @property
    def score(self) -> float:
        """Return the total score in points."""
        return self.total / self.rules.scale

    @property
    def rules_version(self) -> str:
        """Return the id of the rule set this result was scored with."""
        return self.rules.rules_version

    @property
    def indicator_points(self) -> dict[str, float]:
        """Return points per indicator id."""
        scale = self.rules.scale
        return dict(zip(self.rules.indicator_ids, [v / scale for v in self._points], strict=True))

    @property
    def indicator_options(self) -> dict[str, list[str]]:
        """Return the option ids each indicator resolved to (the band letter for rate questions)."""
        return {k: list(v) for k, v in zip(self.rules.indicator_ids, self._options, strict=True)}

    @property
    def rates(self) -> dict[str, float]:
        """Return each rate question's percentage, for display (bands were tested exactly)."""
        return {key: 100 * num / den for key, num, den in self._rates}

    def _second_totals(self) -> list[int]:
        totals = [0] * len(self.rules.second_ids)
        for second, earned in zip(self.rules.indicator_second, self._points, strict=True):
            totals[second] += earned
        return totals

    @property
    def second_level_scores(self) -> dict[str, float]:
        """Return points per second-level group (设备系统 …)."""
        scale = self.rules.scale
        totals = self._second_totals()
        return dict(zip(self.rules.second_ids, [v / scale for v in totals], strict=True))

    @property
    def dimension_scores(self) -> dict[str, float]:
        """Return points per scored dimension (foundation, management, results)."""
        rules = self.rules
        totals = [0] * len(rules.dimension_ids)
        for dimension, earned in zip(rules.second_dimension, self._second_totals(), strict=True):
            totals[dimension] += earned
        return dict(zip(rules.dimension_ids, [v / rules.scale for v in totals], strict=True))

    @property
    def scene_counts(self) -> dict[str, SceneCount]:
        """Return ``{"1": {"all": …, "constrained": …}, …}``: scenes at or above each level."""
        return scene_count_table(self.rules, self.all_counts, self.constrained_counts)

    def explain(self) -> tuple[list[LevelCheck], dict[str, Shortfall]]:
        """Return every condition of every level, and what is missing for each level."""
        _, checks, unmet = explain_levels(
            self.rules, self.total, self.all_counts, self.constrained_counts
        )
        return checks, unmet

    @property
    def unverified_rules_used(self) -> list[str]:
        """Return ids of unverified rule-set items that affected this result, for the UI to flag."""
        rules = self.rules
        used = [
            indicator_id
            for position, indicator_id, flagged in rules.unverified_options
            if not flagged.isdisjoint(self._options[position])
        ]
        used += [flag for position, flag in rules.unverified_scenes if self.scene_levels[position]]
        # every level rule is evaluated and shown in "levels", so each unverified one is "used"
        used += rules.unverified_levels
        return used

    def to_dict(self) -> ScoreDict:
        """Return the full result as JSON-ready plain data."""
        rules = self.rules
        checks, unmet = self.explain()
        result: ScoreDict = {
            "standard": rules.standard,
            "rules_version": rules.rules_version,
            "score": self.score,
            "max_score": rules.max_score / rules.scale,
            "dimension_scores": self.dimension_scores,
            "second_level_scores": self.second_level_scores,
            "indicator_points": self.indicator_points,
            "indicator_options": self.indicator_options,
            "rates": self.rates,
            "scene_counts": self.scene_counts,
            "level": self.level,
            "levels": checks,
            "unmet": unmet,
            "unverified_rules_used": self.unverified_rules_used,
        }
        if self.id is not None:
            result["id"] = self.id
        return result

    def __repr__(self) -> str:
        return f"ScoreResult(level={self.level}, score={self.score}, rules={self.rules_version!r})"
