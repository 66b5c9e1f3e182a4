"""The hot path: resolve a well-formed questionnaire with as few Python operations as possible.

It answers only "is every value exactly as expected?"; on the first doubt it returns ``None`` and
the thorough checker in ``validation.py`` runs instead to list every problem. So this path must
never accept what the thorough one rejects; every bad-input test exercises both.
"""

from __future__ import annotations

from typing import Any

from loom.modules.assessment.engine.compiled import CompiledField, CompiledIndicator, CompiledRules
from loom.modules.assessment.engine.numbers import to_ratio

#: one rate question's exact value: (indicator id, numerator, denominator)
Rate = tuple[str, int, int]

#: (chosen option ids and scaled points per indicator position, exact rates, scene levels);
#: all tuples, which the cyclic garbage collector stops tracking, so that holding many
#: results (a batch) does not slow every collection down
Resolved = tuple[tuple[tuple[str, ...], ...], tuple[int, ...], tuple[Rate, ...], tuple[int, ...]]

_INT_ONLY = frozenset({int})

#: how many distinct ticked-option lists per indicator a compiled rule set remembers as valid;
#: real questionnaires repeat a few patterns, and the bound keeps odd input from growing it
MULTI_MEMO_LIMIT = 4096


def fast_resolve(c: CompiledRules, q: Any) -> Resolved | None:
    """Return the resolved questionnaire, or ``None`` if anything needs the thorough checker."""
    if type(q) is not dict or q.get("standard") != c.standard:
        return None
    answers = q.get("answers")
    scenes = q.get("scenes")
    if type(answers) is not dict or type(scenes) is not dict:
        return None
    if len(q) != 3:
        ident = q.get("id")
        if len(q) != 4 or (type(ident) is not str and type(ident) is not int):
            return None
    if not c.all_indicators_required or len(answers) != len(c.indicators):
        return None

    options: list[tuple[str, ...]] = []
    points: list[int] = []
    add_option = options.append
    add_points = points.append
    rates: list[Rate] = []
    shared: dict[tuple[str, str], tuple[int, int]] = {}
    get = answers.get
    for indicator_id, kind, table, extra, ind in c.plan:
        value = get(indicator_id)
        if kind == 0:  # SINGLE, the commonest: one lookup gives the points and the option tuple
            if type(value) is not str:
                return None
            entry = table.get(value)
            if entry is None:
                return None
            add_points(entry[0])
            add_option(entry[1])
        elif kind == 1:  # MULTI
            if type(value) is not list:
                return None
            chosen = tuple(value)
            try:
                earned = extra.get(chosen)
            except TypeError:  # an unhashable item in the list
                return None
            if earned is None:
                earned = _multi_points(ind, chosen)
                if earned is None:
                    return None
                if len(extra) < MULTI_MEMO_LIMIT:
                    extra[chosen] = earned
            add_points(earned)
            add_option(chosen)
        else:
            band = _rate(ind, value, shared, rates)
            if band is None:
                return None
            entry = table[band]
            add_points(entry[0])
            add_option(entry[1])

    if not c.all_scenes_required or len(scenes) != len(c.scene_ids):
        return None
    try:
        levels = tuple(map(scenes.__getitem__, c.scene_ids))
    except KeyError:
        return None
    if set(map(type, levels)) != _INT_ONLY or min(levels) < 0:
        return None
    top = c.uniform_scene_max
    if top is None or max(levels) > top:
        return None
    return tuple(options), tuple(points), tuple(rates), levels


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


def _rate(
    ind: CompiledIndicator,
    value: Any,
    shared: dict[tuple[str, str], tuple[int, int]],
    rates: list[Rate],
) -> str | None:
    """Return the option id of the band the rate falls in, recording the exact rate."""
    if type(value) is not dict:
        return None
    numerator, denominator = ind.numerator, ind.denominator
    assert numerator is not None
    assert denominator is not None
    raw_top = value.get(numerator.id)
    raw_bottom = value.get(denominator.id)
    if (raw_top is not None) + (raw_bottom is not None) != len(value):
        return None  # an unknown field, or an explicit null
    # whole, non-negative counts that share nothing are the common case: no conversion needed
    if type(raw_top) is int and raw_top >= 0 and numerator.shared_from is None:
        a, b = raw_top, 1
    else:
        figure = _figure(numerator, raw_top, shared)
        if figure is None:
            return None
        a, b = figure
    if type(raw_bottom) is int and raw_bottom > 0 and denominator.shared_from is None:
        c, d = raw_bottom, 1
    else:
        figure = _figure(denominator, raw_bottom, shared)
        if figure is None or figure[0] == 0:
            return None
        c, d = figure
    shared[numerator.key] = (a, b)
    shared[denominator.key] = (c, d)
    rate_num, rate_den = a * d, b * c
    if rate_num > rate_den and not ind.numerator_may_exceed_denominator:
        return None
    at_percent = ind.band_at_percent
    if not at_percent:
        return None  # bands with fractional edges: the thorough path tests them one by one
    # percent = 100 x rate = whole + remainder / rate_den, exactly
    whole, remainder = divmod(100 * rate_num, rate_den)
    table = ind.band_after_percent if remainder else at_percent
    if whole >= len(table):
        return None
    option = table[whole]
    if option is not None:
        rates.append((ind.id, rate_num, rate_den))
    return option


def _figure(
    field: CompiledField, raw: Any, shared: dict[tuple[str, str], tuple[int, int]]
) -> tuple[int, int] | None:
    """Return a figure that is not a plain count, or one shared with an earlier indicator."""
    source = None if field.source_key is None else shared.get(field.source_key)
    if raw is None:
        return source  # omitted: the earlier indicator's figure, if it was given
    figure = to_ratio(raw)
    if figure is None or figure[0] < 0 or (field.integer and figure[1] != 1):
        return None
    if source is not None and source != figure:
        return None
    return figure
