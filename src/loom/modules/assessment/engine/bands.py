"""Published bands compiled for exact tests: integer-fraction edges and a whole-percent table."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from loom.modules.assessment.engine.model import Indicator


@dataclass(frozen=True, slots=True)
class CompiledBand:
    """A band with exact edges as fractions of one: ``low_num/low_den`` to ``high_num/high_den``."""

    option: str
    points: int
    low_num: int
    low_den: int
    low_inclusive: bool
    high_num: int
    high_den: int
    high_inclusive: bool
    text: str


def _edge(percent: Decimal) -> tuple[int, int]:
    numerator, denominator = percent.as_integer_ratio()
    return numerator, denominator * 100


def compile_bands(indicator: Indicator, scale: int) -> tuple[CompiledBand, ...]:
    """Return the indicator's bands in order, with points scaled like all points."""
    bands = []
    for option in indicator.options:
        if option.band is not None:
            low_num, low_den = _edge(option.band.low)
            high_num, high_den = _edge(option.band.high)
            bands.append(
                CompiledBand(
                    option=option.id,
                    points=int(option.points * scale),
                    low_num=low_num,
                    low_den=low_den,
                    low_inclusive=option.band.low_inclusive,
                    high_num=high_num,
                    high_den=high_den,
                    high_inclusive=option.band.high_inclusive,
                    text=option.text,
                )
            )
    return tuple(bands)


def percent_tables(
    indicator: Indicator,
) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    """Tabulate the bands by whole percentage, so a rate finds its band with one division.

    Between two consecutive whole percentages there is no edge, so one probe in the middle
    tells the band of every value strictly between them.
    """
    bands = [(o.id, o.band) for o in indicator.options if o.band is not None]
    edges = [edge for _, band in bands for edge in (band.low, band.high)]
    if not bands or any(edge != edge.to_integral_value() or edge > 1000 for edge in edges):
        return (), ()

    def holder(value: Decimal) -> str | None:
        for option_id, band in bands:
            above_low = value >= band.low if band.low_inclusive else value > band.low
            below_high = value <= band.high if band.high_inclusive else value < band.high
            if above_low and below_high:
                return option_id
        return None

    top = range(int(max(edges)) + 1)
    half = Decimal("0.5")
    return tuple(holder(Decimal(q)) for q in top), tuple(holder(q + half) for q in top)
