"""The sample apparel catalogue and answers, and seeded random catalogues and enterprises.

Docs, tests and benchmarks use these; the random generators make valid inputs by construction
so that brute-force checks and timings cover many shapes the sample does not.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from importlib import resources
from typing import Any

from loom.modules.assessment.engine import CompiledRules, Indicator, Rules, compiled
from loom.modules.assessment.planner.catalogue import Catalogue, parse_catalogue
from loom.modules.assessment.planner.state import Baseline

SAMPLE_CATALOGUE = "catalogue_sample.json"


def sample_catalogue_document() -> dict[str, Any]:
    """Return the sample apparel-SME catalogue (40 options) as parsed JSON."""
    text = resources.files(__package__).joinpath(SAMPLE_CATALOGUE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return document


def sample_catalogue(rules: Rules = None) -> Catalogue:
    """Return the sample apparel-SME catalogue, validated against the rules."""
    return parse_catalogue(sample_catalogue_document(), compiled(rules))


def sample_answers() -> dict[str, Any]:
    """Return answers.json of a typical cut-make-trim apparel SME before transformation.

    It scores 30.3 points with five scenes at level 2 (two constrained: S03, S13), so it is
    graded level 1; level 2 needs 40 points, six scenes and three constrained scenes at 2+.
    """
    return {
        "standard": "2024-manufacturing",
        "answers": {
            "B1": ["B"],  # a shop-floor control network: 2
            "B2": {"production_devices": 120, "digital_devices": 18},  # 15%: 1.5
            "B3": {"networked_devices": 6},  # 5%: 0
            "B4": ["D", "N", "O"],  # sales, finance, HR data: 0.7 + 0.7 + 0.9
            "B5": "C",  # several business links (finance, sales): 5
            "B6": ["B"],  # 1.25
            "B7": ["A"],  # 无: 0
            "M1": "C",  # a plan: 3
            "M2": ["B"],  # 1.875
            "M3": ["B", "D"],  # 3
            "M4": {"digital_investment": 6, "revenue": 40},  # 15%: 1.875
            "R1": "B",  # 3.5
            "R2": "B",  # 3.5
            "R3": "B",  # 1.5
            "R4": "A",  # 0
        },
        "scenes": {
            "S01": 1, "S02": 1, "S03": 2, "S04": 1, "S05": 1, "S06": 1, "S07": 1, "S08": 1,
            "S09": 1, "S10": 0, "S11": 1, "S12": 1, "S13": 2, "S14": 2, "S15": 2, "S16": 2,
        },
    }  # fmt: skip


def sample_answers_after() -> dict[str, Any]:
    """Return the same SME after a transformation project: graded level 2.

    Every scene reaches level 2 (16 scenes, all constrained ones, where level 2 needs 6 and 3)
    and four answers improve (M1 "D"; R1, R2, R3 "C"), taking the score past level 2's 40.
    """
    q = sample_answers()
    q["scenes"] = dict.fromkeys(q["scenes"], 2)
    q["answers"].update({"M1": "D", "R1": "C", "R2": "C", "R3": "C"})
    return q


def _upgradable(indicator: Indicator) -> list[str]:
    return [o.id for o in indicator.options if not o.exclusive and o.points > 0]


def random_catalogue_document(
    rules: Rules, size: int, seed: int, *, links: bool = True
) -> dict[str, Any]:
    """Return a random valid catalogue document of ``size`` options (seeded, reproducible).

    Costs are multiples of 5,000 CNY so that equal-cost plans, and thus the tie-breaks, occur.
    With ``links`` some options require or exclude earlier ones.
    """
    c = compiled(rules)
    rng = random.Random(seed)
    indicators = list(c.ruleset.indicators())
    options: list[dict[str, Any]] = []
    for n in range(size):
        raised: dict[str, Any] = {}
        for indicator in rng.sample(indicators, rng.randint(0, 2)):
            letters = _upgradable(indicator)
            if indicator.type == "multi":
                raised[indicator.id] = sorted(rng.sample(letters, rng.randint(1, 2)))
            else:
                raised[indicator.id] = rng.choice(letters)
        scenes = {
            scene_id: rng.randint(1, c.scene_max_level[c.scene_position[scene_id]])
            for scene_id in rng.sample(c.scene_ids, rng.randint(0 if raised else 1, 3))
        }
        option: dict[str, Any] = {
            "id": f"u{n:02d}",
            "cost": 5_000 * rng.randint(1, 40),
            "weeks": rng.randint(1, 12),
            "indicators": raised,
            "scenes": scenes,
        }
        if links and n and rng.random() < 0.2:
            option["requires"] = [f"u{rng.randrange(n):02d}"]
        if links and n and rng.random() < 0.15:
            other = f"u{rng.randrange(n):02d}"
            if other not in option.get("requires", ()):
                option["excludes"] = [other]
        options.append(option)
    return {"catalogue": f"random-{size}-{seed}", "standard": c.standard, "options": options}


def random_catalogue(rules: Rules, size: int, seed: int, *, links: bool = True) -> Catalogue:
    """Return a random valid catalogue of ``size`` options (seeded, reproducible)."""
    c = compiled(rules)
    return parse_catalogue(random_catalogue_document(c, size, seed, links=links), c)


def random_selection(
    rules: CompiledRules, rng: random.Random, *, spread: float = 0.35
) -> tuple[dict[str, str | list[str]], dict[str, int]]:
    """Return random option letters (band letters for rates) and scene levels of an SME.

    ``spread`` is the chance of each upgrade step: low values give enterprises at level 0–1,
    which is where pilots start.
    """
    options: dict[str, str | list[str]] = {}
    for indicator in rules.ruleset.indicators():
        letters = [o.id for o in indicator.options]
        if indicator.type == "multi":
            ticked = [x for x in _upgradable(indicator) if rng.random() < spread]
            exclusive = [o.id for o in indicator.options if o.exclusive]
            options[indicator.id] = ticked or exclusive[:1] or letters[:1]
        else:
            step = 0
            while step + 1 < len(letters) and rng.random() < spread * 1.6:
                step += 1
            options[indicator.id] = letters[step]
    scenes = {}
    for scene_id, top in zip(rules.scene_ids, rules.scene_max_level, strict=True):
        level = 0
        while level < top and rng.random() < 0.3 + spread - 0.15 * level:
            level += 1
        scenes[scene_id] = level
    return options, scenes


def random_baselines(rules: Rules, count: int, seed: int) -> list[Baseline]:
    """Return ``count`` random enterprises' baselines (seeded, reproducible)."""
    c = compiled(rules)
    rng = random.Random(seed)
    return [Baseline.from_selection(*random_selection(c, rng), rules=c) for _ in range(count)]
