"""Tests of the upgrade planner; builders and an independent brute-force planner live here.

Point values in comments come from the 2024 manufacturing table (2024-manufacturing.v1):
level 2 needs 40 points, 6 scenes at level 2+ and 3 constrained scenes at level 2+.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from loom.modules.assessment.engine import CompiledRules, default_rules, score_selection
from loom.modules.assessment.planner import Baseline, Catalogue, Upgrade, parse_catalogue

ALL_SCENES = tuple(f"S{n:02d}" for n in range(1, 17))

#: every indicator at its 0-point option ("无", the lowest band, or the worst result)
ZERO: dict[str, str | list[str]] = {
    "B1": ["A"], "B2": "A", "B3": "A", "B4": ["A"], "B5": "A", "B6": ["A"], "B7": ["A"],
    "M1": "A", "M2": ["A"], "M3": ["A"], "M4": "A", "R1": "A", "R2": "A", "R3": "A", "R4": "A",
}  # fmt: skip


def selection(**answers: str | list[str]) -> dict[str, str | list[str]]:
    """Return option letters for every indicator: 0 points except the ones given."""
    return {**ZERO, **answers}


def scene_levels(default: int = 1, **levels: int) -> dict[str, int]:
    """Return a level for every scene: ``default`` except the ones given."""
    return {**dict.fromkeys(ALL_SCENES, default), **levels}


def baseline(answers: Mapping[str, str | list[str]], scenes: Mapping[str, int]) -> Baseline:
    """Return the baseline of option letters and scene levels under the built-in rules."""
    return Baseline.from_selection(answers, scenes, default_rules())


def catalogue(*options: dict[str, Any]) -> Catalogue:
    """Return a catalogue of the given option objects (weeks default to 1)."""
    document = {"options": [{"weeks": 1, **option} for option in options]}
    return parse_catalogue(document, default_rules())


# --- an independent brute-force planner: its own merge rules, the engine's grading ---------


def _merge(
    rules: CompiledRules, indicator_id: str, current: Sequence[str], targets: list[Any]
) -> Any:
    indicator = rules.ruleset.indicator(indicator_id)
    if indicator.type == "multi":
        letters = set(current).union(*targets)
        real = {x for x in letters if not indicator.option(x).exclusive}
        chosen = real or letters
        return [o.id for o in indicator.options if o.id in chosen]
    candidates = [current[0], *(t[0] for t in targets)]
    return max(candidates, key=lambda letter: indicator.option(letter).points)


def level_after(
    rules: CompiledRules,
    answers: Mapping[str, str | list[str]],
    scenes: Mapping[str, int],
    chosen: Sequence[Upgrade],
) -> int:
    """Return the level the engine grades after taking ``chosen`` (merged independently)."""
    merged: dict[str, Any] = {}
    for indicator_id, answer in answers.items():
        current = [answer] if isinstance(answer, str) else list(answer)
        targets = [u.indicators[indicator_id] for u in chosen if indicator_id in u.indicators]
        merged[indicator_id] = _merge(rules, indicator_id, current, targets) if targets else answer
    levels = dict(scenes)
    for upgrade in chosen:
        for scene_id, level in upgrade.scenes.items():
            levels[scene_id] = max(levels[scene_id], level)
    return score_selection(merged, levels, rules).level


@dataclass(frozen=True)
class Best:
    """The brute-force optimum: (cost in fen, total weeks, option count) and one optimal set."""

    key: tuple[int, int, int]
    ids: frozenset[str]


def brute_force(
    rules: CompiledRules,
    answers: Mapping[str, str | list[str]],
    scenes: Mapping[str, int],
    cat: Catalogue,
    target: int,
    budget_fen: int | None = None,
) -> Best | None:
    """Return the lexicographically cheapest valid subset reaching ``target``, or None."""
    upgrades = cat.upgrades
    subsets: list[tuple[tuple[int, int, int], int]] = []
    for mask in range(1 << len(upgrades)):
        picked = [u for n, u in enumerate(upgrades) if mask >> n & 1]
        key = (sum(u.cost_fen for u in picked), sum(u.weeks for u in picked), len(picked))
        if budget_fen is None or key[0] <= budget_fen:
            subsets.append((key, mask))
    subsets.sort()
    for key, mask in subsets:
        picked = [u for n, u in enumerate(upgrades) if mask >> n & 1]
        ids = {u.id for u in picked}
        if any(not set(u.requires) <= ids or set(u.excludes) & ids for u in picked):
            continue
        if level_after(rules, answers, scenes, picked) >= target:
            return Best(key, frozenset(ids))
    return None
