"""The hot path: resolve a well-formed questionnaire with as few Python operations as possible.

It answers only "is every value exactly as expected?"; on the first doubt it returns ``None`` and
the thorough checker in ``validation.py`` runs instead to list every problem. So this path must
never accept what the thorough one rejects; every bad-input test exercises both.

The walk itself is straight-line code generated once per compiled rule set (``generated.py``);
this module keeps its types and the helpers it calls off the common case: a ticked-option list
not remembered yet, and a rate whose figures are neither whole counts nor a float beside one.
"""

from __future__ import annotations

from typing import Any

from loom.modules.assessment.engine.compiled import (
    CompiledField,
    CompiledIndicator,
    CompiledRules,
    MultiEntry,
)
from loom.modules.assessment.engine.numbers import to_ratio

#: one rate question's exact value: (indicator id, numerator, denominator)
Rate = tuple[str, int, int]

#: (chosen option ids and scaled points per indicator position, exact rates, scene levels);
#: all tuples, which the cyclic garbage collector stops tracking, so that holding many
#: results (a batch) does not slow every collection down
Resolved = tuple[tuple[tuple[str, ...], ...], tuple[int, ...], tuple[Rate, ...], tuple[int, ...]]

#: figures of rate fields by (indicator id, field id), for a later indicator that shares one
Shared = dict[tuple[str, str], tuple[int, int]]

#: how many distinct ticked-option lists per indicator a compiled rule set remembers as valid;
#: real questionnaires repeat a few patterns, and the bound keeps odd input from growing it
MULTI_MEMO_LIMIT = 4096


def fast_resolve(c: CompiledRules, q: Any) -> Resolved | None:
    """Return the resolved questionnaire, or ``None`` if anything needs the thorough checker."""
    return c.generated.resolve(q)


def multi_entry(
    ind: CompiledIndicator, memo: dict[tuple[str, ...], MultiEntry], chosen: tuple[str, ...]
) -> MultiEntry | None:
    """Return ``(points, chosen)`` for a valid tuple of ticked options not yet remembered."""
    earned = _multi_points(ind, chosen)
    if earned is None:
        return None
    entry = (earned, chosen)
    if len(memo) < MULTI_MEMO_LIMIT:
        memo[chosen] = entry
    return entry


def _multi_points(ind: CompiledIndicator, chosen: tuple[str, ...]) -> int | None:
    """Return the points of a valid list of ticked options, or ``None``."""
    if not chosen:
        return None
    try:
        earned = sum(map(ind.points.__getitem__, chosen))
    except (KeyError, TypeError):
        return None
    if len(chosen) > 1:
        distinct = set(chosen)
        if len(distinct) != len(chosen) or not ind.exclusive.isdisjoint(distinct):
            return None
    return earned


def rate_figures(ind: CompiledIndicator, value: Any, shared: Shared) -> tuple[int, int] | None:
    """Return the exact rate ``(numerator, denominator)`` of a rate answer, or ``None``.

    For the answers the generated code does not convert itself (shared figures given in another
    form, Decimal or Fraction figures, anything doubtful); it bands the rate itself. Records
    both figures in ``shared`` under the indicator's field keys.
    """
    if type(value) is not dict:
        return None
    numerator, denominator = ind.numerator, ind.denominator
    assert numerator is not None
    assert denominator is not None
    raw_top = value.get(numerator.id)
    raw_bottom = value.get(denominator.id)
    if (raw_top is not None) + (raw_bottom is not None) != len(value):
        return None  # an unknown field, or an explicit null
    top = _figure(numerator, raw_top, shared)
    bottom = _figure(denominator, raw_bottom, shared)
    if top is None or bottom is None or bottom[0] == 0:
        return None
    shared[numerator.key] = top
    shared[denominator.key] = bottom
    # (a/b) / (c/d) = (a*d) / (b*c); both denominators are positive
    return top[0] * bottom[1], top[1] * bottom[0]


def _figure(field: CompiledField, raw: Any, shared: Shared) -> tuple[int, int] | None:
    """Return a figure as an exact ratio, or the figure shared with an earlier indicator."""
    source = None if field.source_key is None else shared.get(field.source_key)
    if raw is None:
        return source  # omitted: the earlier indicator's figure, if it was given
    figure = to_ratio(raw)
    if figure is None or figure[0] < 0 or (field.integer and figure[1] != 1):
        return None
    if source is not None and source != figure:
        return None
    return figure
