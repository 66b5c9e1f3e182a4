"""Rate questions: raw numbers to an exact ratio, and the ratio into its published band."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from loom.modules.assessment.engine.compiled import CompiledField, CompiledIndicator
from loom.modules.assessment.engine.document import describe
from loom.modules.assessment.engine.errors import Problem
from loom.modules.assessment.engine.numbers import to_ratio

#: figures already read, by (indicator id, field id); None = given but invalid (already reported)
SharedFigures = dict[tuple[str, str], tuple[int, int] | None]

_MISSING = object()


def resolve_rate(
    ind: CompiledIndicator, value: Any, shared: SharedFigures, problems: list[Problem]
) -> tuple[str, tuple[int, int]] | None:
    """Return ``(option id, (numerator, denominator))`` of the band the rate falls in, or ``None``.

    Band edges are compared by cross-multiplying integers, so 10% is exactly 10/100 and falls in
    ``[0-10%]`` while 1001/10000 (10.01%) falls in ``(10%,20%]``, with no floating-point doubt.
    """
    numerator, denominator = ind.numerator, ind.denominator
    assert numerator is not None
    assert denominator is not None
    path = f"answers.{ind.id}"
    if not isinstance(value, Mapping):
        shared[numerator.key] = shared[denominator.key] = None
        problems.append(
            Problem(
                path,
                f"expected an object of raw numbers {{{numerator.id!r}: …, "
                f"{denominator.id!r}: …}}, got {describe(value)}",
            )
        )
        return None
    before = len(problems)
    for key in value:
        if key != numerator.id and key != denominator.id:
            problems.append(
                Problem(
                    f"{path}.{key}", f"unknown field; fields are {numerator.id}, {denominator.id}"
                )
            )
    top = _figure(ind, numerator, value, shared, problems)
    bottom = _figure(ind, denominator, value, shared, problems)
    if bottom is not None and bottom[0] == 0:
        # a shared figure of 0 is reported once, where it was given
        if denominator.id in value:
            problems.append(
                Problem(
                    f"{path}.{denominator.id}", "must be greater than 0: the rate divides by it"
                )
            )
        return None
    if top is None or bottom is None or len(problems) > before:
        return None
    # (a/b) / (c/d) = (a*d) / (b*c); both denominators are positive, so the sign is kept
    rate_num, rate_den = top[0] * bottom[1], top[1] * bottom[0]
    if rate_num > rate_den and not ind.numerator_may_exceed_denominator:
        problems.append(
            Problem(
                f"{path}.{numerator.id}",
                f"{_show(top)} is more than {denominator.id} ({_show(bottom)}): impossible",
            )
        )
        return None
    for band in ind.bands:
        high_ok = (
            rate_num * band.high_den <= band.high_num * rate_den
            if band.high_inclusive
            else rate_num * band.high_den < band.high_num * rate_den
        )
        if not high_ok:
            continue
        low_ok = (
            rate_num * band.low_den >= band.low_num * rate_den
            if band.low_inclusive
            else rate_num * band.low_den > band.low_num * rate_den
        )
        if low_ok:
            return band.option, (rate_num, rate_den)
        break
    bands = f"{ind.bands[0].text} … {ind.bands[-1].text}"
    problems.append(
        Problem(
            path, f"the rate {percent(rate_num, rate_den)} lies outside the published bands {bands}"
        )
    )
    return None


def _figure(
    ind: CompiledIndicator,
    field: CompiledField,
    value: Mapping[str, Any],
    shared: SharedFigures,
    problems: list[Problem],
) -> tuple[int, int] | None:
    path = f"answers.{ind.id}.{field.id}"
    raw = value.get(field.id, _MISSING)
    source_key = field.source_key
    source_path = f"answers.{field.shared_from}.{field.id}"
    if raw is _MISSING:
        if source_key is None:
            problems.append(Problem(path, f"missing ({field.unit})"))
            return None
        if source_key not in shared:
            problems.append(Problem(path, f"missing: give it here or as {source_path}"))
        # when the source figure was given but is invalid, its own problem already says so
        figure = shared.get(source_key)
        shared[field.key] = figure
        return figure
    figure = _number(raw, field, path, problems)
    shared[field.key] = figure
    if source_key is not None and figure is not None:
        source = shared.get(source_key)
        if source is not None and source != figure:
            problems.append(
                Problem(
                    path,
                    f"is {_show(figure)} but {source_path} is {_show(source)}; "
                    "the standard asks for this figure once",
                )
            )
            return None
    return figure


def _number(
    raw: Any, field: CompiledField, path: str, problems: list[Problem]
) -> tuple[int, int] | None:
    figure = to_ratio(raw)
    if figure is None:
        problems.append(Problem(path, f"expected a number ({field.unit}), got {describe(raw)}"))
        return None
    if figure[0] < 0:
        problems.append(Problem(path, f"must not be negative, got {_show(figure)}"))
        return None
    if field.integer and figure[1] != 1:
        problems.append(
            Problem(path, f"must be a whole number of {field.unit}, got {_show(figure)}")
        )
        return None
    return figure


def _show(figure: tuple[int, int]) -> str:
    numerator, denominator = figure
    if denominator == 1:
        return str(numerator)
    return str(Decimal(numerator) / Decimal(denominator))


def percent(numerator: int, denominator: int) -> str:
    """Format an exact ratio as a percentage for messages, such as ``'10.01%'``."""
    try:
        return f"{100 * numerator / denominator:.6g}%"
    except OverflowError:  # a figure of hundreds of digits is valid JSON, too big for a float
        return f"{Decimal(100 * numerator) / Decimal(denominator):.6g}%"
