"""Which version of a piece rate applies on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

V = TypeVar("V")


def rate_valid_on(versions: Iterable[tuple[date, V]], day: date) -> V | None:
    """Return the version with the latest ``effective_from`` on or before ``day``, if any."""
    best: tuple[date, V] | None = None
    for effective_from, value in versions:
        if effective_from <= day and (best is None or effective_from > best[0]):
            best = (effective_from, value)
    return None if best is None else best[1]
