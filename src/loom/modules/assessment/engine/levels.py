"""Scene counts and the digital level: the highest level whose every condition holds."""

from __future__ import annotations

from collections.abc import Sequence

from loom.modules.assessment.engine.compiled import CompiledRules
from loom.modules.assessment.engine.results import LevelCheck, SceneCount, Shortfall


def count_scenes(c: CompiledRules, scene_levels: Sequence[int]) -> tuple[list[int], list[int]]:
    """Return counts of scenes at or above each level 0…max, in all and among constrained scenes.

    ``all_counts[2]`` is the number of scenes rated 2 or higher.
    """
    top = c.max_scene_level
    all_counts = [0] * (top + 2)
    constrained_counts = [0] * (top + 2)
    for level in scene_levels:
        all_counts[level] += 1
    for position in c.constrained_positions:
        constrained_counts[scene_levels[position]] += 1
    for level in range(top - 1, -1, -1):
        all_counts[level] += all_counts[level + 1]
        constrained_counts[level] += constrained_counts[level + 1]
    return all_counts, constrained_counts


def scene_count_table(
    c: CompiledRules, all_counts: Sequence[int], constrained_counts: Sequence[int]
) -> dict[str, SceneCount]:
    """Return ``{"1": {"all": …, "constrained": …}, …}`` for levels 1…max."""
    return {
        key: {"all": all_counts[level], "constrained": constrained_counts[level]}
        for key, level in c.scene_level_keys
    }


def grade(
    c: CompiledRules, score: int, all_counts: Sequence[int], constrained_counts: Sequence[int]
) -> int:
    """Return the highest level whose rule holds for a scaled score and scene counts (0 = none)."""
    reached = 0
    for rule in c.levels:
        if (
            score >= rule.min_score
            and all_counts[rule.level] >= rule.min_scenes
            and constrained_counts[rule.level] >= rule.min_constrained
        ):
            reached = rule.level
    return reached


def explain_levels(
    c: CompiledRules, score: int, all_counts: Sequence[int], constrained_counts: Sequence[int]
) -> tuple[int, list[LevelCheck], dict[str, Shortfall]]:
    """Return the level, every condition of every level, and what is missing per level."""
    scale = c.scale
    actual_score = score / scale
    reached = 0
    checks: list[LevelCheck] = []
    unmet: dict[str, Shortfall] = {}
    for rule in c.levels:
        level = rule.level
        points_short = rule.min_score - score
        scenes = all_counts[level]
        constrained = constrained_counts[level]
        scenes_short = rule.min_scenes - scenes
        constrained_short = rule.min_constrained - constrained
        shortfall: Shortfall = {}
        if points_short > 0:
            shortfall["points_short"] = points_short / scale
        if scenes_short > 0:
            shortfall["scenes_short"] = scenes_short
        if constrained_short > 0:
            shortfall["constrained_scenes_short"] = constrained_short
        if not shortfall:
            # no "break": an edited rule set need not nest its levels
            reached = level
        unmet[rule.key] = shortfall
        checks.append(
            {
                "level": level,
                "rule": rule.id,
                "met": not shortfall,
                "verified": rule.verified,
                "score": {
                    "required": rule.required_score,
                    "actual": actual_score,
                    "met": points_short <= 0,
                    "short": shortfall.get("points_short", 0.0),
                },
                "scenes": {
                    "required": rule.min_scenes,
                    "actual": scenes,
                    "met": scenes_short <= 0,
                    "short": shortfall.get("scenes_short", 0),
                },
                "constrained_scenes": {
                    "required": rule.min_constrained,
                    "actual": constrained,
                    "met": constrained_short <= 0,
                    "short": shortfall.get("constrained_scenes_short", 0),
                },
            }
        )
    return reached, checks, unmet
