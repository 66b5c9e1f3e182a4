"""Pure helpers on metric samples: coarsening to a consented granularity."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from loom.kernel.plugins.spec import MetricSample


def week_of(day: date) -> date:
    """Return the Monday that starts ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def coarsen(samples: Iterable[MetricSample], granularity: str) -> list[MetricSample]:
    """Return the samples as shared at ``granularity``: daily as is, weekly summed per week.

    A weekly sample is dated the Monday of its week; numerators and denominators are summed
    separately (per set of dims) so a ratio keeps its weight. "none" shares nothing.
    """
    if granularity == "none":
        return []
    if granularity == "daily":
        return sorted(samples, key=lambda s: (s.day, s.dims))
    if granularity != "weekly":
        raise ValueError(f"unknown granularity {granularity!r}")
    sums: dict[tuple[date, tuple[tuple[str, str], ...]], list[float]] = {}
    for sample in samples:
        acc = sums.setdefault((week_of(sample.day), sample.dims), [0.0, 0.0])
        acc[0] += sample.numerator
        acc[1] += sample.denominator
    return [
        MetricSample(day=week, numerator=num, denominator=den, dims=dims)
        for (week, dims), (num, den) in sorted(sums.items())
    ]
