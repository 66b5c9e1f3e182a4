"""Turn a stored scoring result into rows for the result, report, export and compare views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loom.modules.assessment.engine import Indicator, RuleSet
from loom.modules.assessment.pages.common import msgid


def _same(text: str, **params: Any) -> str:
    return text % params if params else text


def _figures(ind: Indicator, raw: Any, gettext: Callable[..., str]) -> list[tuple[str, Any]]:
    if ind.rate is None or not isinstance(raw, dict):
        return []
    fields = (ind.rate.denominator, ind.rate.numerator)
    return [(f.text or gettext(f.label), raw[f.id]) for f in fields if f.id in raw]


def _chosen_texts(ind: Indicator, letters: list[str]) -> list[tuple[str, str]]:
    texts = {o.id: o.text for o in ind.options}
    return [(letter, texts.get(letter, "")) for letter in letters]


def indicator_rows(
    rules: RuleSet,
    result: dict[str, Any],
    questionnaire: dict[str, Any],
    gettext: Callable[..., str] = _same,
) -> list[dict[str, Any]]:
    """Return one row per indicator: dimension, question, chosen options, figures, points."""
    answers = questionnaire.get("answers", {})
    points = result.get("indicator_points", {})
    chosen = result.get("indicator_options", {})
    rates = result.get("rates", {})
    rows = []
    for dimension in rules.dimensions:
        for second in dimension.second_level:
            for ind in second.indicators:
                raw = answers.get(ind.id)
                rows.append(
                    {
                        "id": ind.id,
                        "name": ind.name,
                        "question": ind.question,
                        "dimension": dimension.name,
                        "second": second.name,
                        "type": ind.type,
                        "options": _chosen_texts(ind, list(chosen.get(ind.id, []))),
                        "figures": _figures(ind, raw, gettext),
                        "rate": rates.get(ind.id),
                        "points": float(points.get(ind.id, 0)),
                        "max": float(ind.max_points),
                        "verified": ind.verified,
                    }
                )
    return rows


def scene_rows(rules: RuleSet, questionnaire: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one row per scene with the level given and its published text."""
    levels = questionnaire.get("scenes", {})
    rows = []
    for group in rules.scene_dimension.groups:
        for scene in group.scenes:
            level = levels.get(scene.id)
            level = level if isinstance(level, int) else 0
            text = next((x.text for x in scene.levels if x.level == level), "")
            rows.append(
                {
                    "id": scene.id,
                    "name": scene.name,
                    "group": group.name,
                    "constrained": scene.constrained,
                    "level": level,
                    "text": text,
                    "verified": scene.verified and scene.constrained_verified,
                }
            )
    return rows


def unverified_labels(
    rules: RuleSet, used: list[str], gettext: Callable[..., str] = _same
) -> list[str]:
    """Return readable labels of the unverified rules a result relied on."""
    names = {i.id: i.name for i in rules.indicators()} | {s.id: s.name for s in rules.scenes()}
    thresholds = {rule.id: rule.level for rule in rules.level_rules.levels}
    labels = []
    for key in used:
        item = key.split(".")[0]
        if item in names:
            what = (
                gettext(msgid("whether it is constrained")) if key.endswith(".constrained") else ""
            )
            labels.append(f"{item} {names[item]}" + (f"（{what}）" if what else ""))
        elif key in thresholds:
            labels.append(gettext(msgid("level %(n)s thresholds"), n=thresholds[key]))
        else:
            labels.append(key)
    return labels


def result_view(
    rules: RuleSet,
    result: dict[str, Any],
    questionnaire: dict[str, Any],
    gettext: Callable[..., str] = _same,
) -> dict[str, Any]:
    """Return everything the result pages show about one scored questionnaire."""
    level = int(result.get("level", 0))
    unmet = result.get("unmet", {})
    dims = result.get("dimension_scores", {})
    dimensions = [
        {"name": d.name, "score": float(dims.get(d.id, 0)), "max": float(d.max_points)}
        for d in rules.dimensions
    ]
    counts = result.get("scene_counts", {})
    return {
        "level": level,
        "score": float(result.get("score", 0)),
        "max_score": float(result.get("max_score", rules.max_score)),
        "rules_version": result.get("rules_version", rules.id),
        "dimensions": dimensions,
        "indicators": indicator_rows(rules, result, questionnaire, gettext),
        "scenes": scene_rows(rules, questionnaire),
        "counts": [
            {"level": int(k), **v} for k, v in sorted(counts.items(), key=lambda kv: int(kv[0]))
        ],
        "checks": result.get("levels", []),
        "unmet": unmet,
        "next": level + 1 if str(level + 1) in unmet else None,
        "next_missing": unmet.get(str(level + 1)),
        "unverified": unverified_labels(
            rules, list(result.get("unverified_rules_used", [])), gettext
        ),
    }
