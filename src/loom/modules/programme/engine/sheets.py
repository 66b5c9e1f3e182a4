"""Score sheets and weights shared by pilot and contractor selection, and a tie-broken order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, TypeVar

from loom.modules.programme.engine.errors import PathProblem
from loom.modules.programme.engine.numbers import Number, exact, plain

T = TypeVar("T")

#: weights of principles and criteria add up to this, so a weighted sheet scores 0..100
PERCENT = Fraction(100)


def read_weights(
    weights: Mapping[str, object], total: Fraction, path: str, found: list[PathProblem]
) -> dict[str, Fraction]:
    """Return exact weights, recording any that is not a number >= 0 and a sum not ``total``."""
    exact_weights: dict[str, Fraction] = {}
    if not weights:
        found.append(PathProblem(path, "no weights given"))
        return exact_weights
    for key, value in weights.items():
        weight = exact(value)
        if weight is None or weight < 0:
            found.append(PathProblem(f"{path}.{key}", f"expected a number >= 0, got {value!r}"))
            continue
        exact_weights[key] = weight
    if len(exact_weights) == len(weights) and sum(exact_weights.values()) != total:
        summed = plain(sum(exact_weights.values(), Fraction(0)))
        found.append(PathProblem(path, f"the weights add up to {summed}, not {plain(total)}"))
    return exact_weights


def check_weights(weights: Mapping[str, object], total: Number) -> list[PathProblem]:
    """Return why ``weights`` cannot be used (empty: they can), e.g. for a form editing them."""
    found: list[PathProblem] = []
    read_weights(weights, Fraction(total), "weights", found)
    return found


def read_scales(
    max_score: int | Mapping[str, int], keys: Iterable[str], path: str, found: list[PathProblem]
) -> dict[str, int]:
    """Return the highest allowed score of each key, recording scales that are not >= 1."""
    scales = (
        {key: max_score.get(key, 0) for key in keys}
        if isinstance(max_score, Mapping)
        else dict.fromkeys(keys, max_score)
    )
    for key, scale in scales.items():
        if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
            found.append(PathProblem(f"{path}.{key}", f"needs a highest score >= 1, got {scale!r}"))
    return scales


def read_sheet(
    sheet: Mapping[str, object], scales: Mapping[str, int], path: str, found: list[PathProblem]
) -> dict[str, Fraction]:
    """Return one evaluator's exact scores, recording missing, unknown and out-of-range ones."""
    scores: dict[str, Fraction] = {}
    for key in sheet:
        if key not in scales:
            found.append(
                PathProblem(f"{path}.{key}", f"not scored here; expected {sorted(scales)}")
            )
    for key, scale in scales.items():
        if key not in sheet:
            found.append(PathProblem(f"{path}.{key}", "missing"))
            continue
        value = exact(sheet[key])
        if value is None or not 0 <= value <= scale:
            found.append(
                PathProblem(
                    f"{path}.{key}", f"expected a number from 0 to {scale}, got {sheet[key]!r}"
                )
            )
            continue
        scores[key] = value
    return scores


def weighted(
    scores: Mapping[str, Fraction], weights: Mapping[str, Fraction], scales: Mapping[str, int]
) -> Fraction:
    """Return sum(weight x score / highest score): 0..100 when the weights add up to 100."""
    return sum((weights[key] * scores[key] / scales[key] for key in weights), start=Fraction(0))


def mean(values: Sequence[Fraction]) -> Fraction:
    """Return the exact mean of a non-empty sequence."""
    return sum(values, Fraction(0)) / len(values)


def order(
    items: Iterable[T],
    sector: Callable[[T], str],
    keys: Sequence[tuple[str, Callable[[T], Any]]],
) -> list[tuple[int, int, T, str | None]]:
    """Sort ``items`` by ``keys`` (ascending, first key first).

    Return ``(position, position in its sector, item, decided_by)`` per item, where
    ``decided_by`` names the first key that put the item below the one before it in its sector
    (``None`` for the first of a sector).
    """
    ranked = sorted(items, key=lambda item: tuple(key(item) for _, key in keys))
    last: dict[str, T] = {}
    counts: dict[str, int] = {}
    result = []
    for position, item in enumerate(ranked, start=1):
        group = sector(item)
        previous = last.get(group)
        decided_by = None
        if previous is not None:
            decided_by = next(
                (name for name, key in keys if key(item) != key(previous)), keys[-1][0]
            )
        counts[group] = counts.get(group, 0) + 1
        last[group] = item
        result.append((position, counts[group], item, decided_by))
    return result
