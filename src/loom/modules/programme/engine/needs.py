"""N+X classification (二, 四(一)1): a need common to enough of a sector's pilots is N, else X.

The plan separates common (N) from individual (X) needs without a number; the share comes from
the plan document (``n_share_threshold``, Loom's default 0.5) and is compared exactly.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Set
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from loom.modules.programme.engine.errors import InvalidInput, PathProblem, Problem
from loom.modules.programme.engine.messages import problem
from loom.modules.programme.engine.numbers import Number, exact


class NeedKind(StrEnum):
    """Common (共性) or individual (个性)."""

    N = "N"
    X = "X"


@dataclass(frozen=True, slots=True)
class Classification:
    """How one need was classified, with the counts behind it."""

    need_key: str
    kind: NeedKind
    pilots: int  # pilots of the sector that reported the need
    sector_pilots: int
    share: Fraction | None  # None when the sector has no pilots
    threshold: Fraction
    notes: tuple[Problem, ...] = ()


def classify_needs(
    needs: Mapping[str, Set[Hashable]], sector_pilots: Set[Hashable], threshold: Number
) -> dict[str, Classification]:
    """Classify each need: N when (its pilots in the sector / the sector's pilots) >= threshold.

    Enterprises that are not pilots of the sector are not counted, and a note says so. With no
    pilots in the sector every need is X, with a note.
    """
    limit = exact(threshold)
    if limit is None or not 0 < limit <= 1:
        raise InvalidInput(
            [PathProblem("threshold", f"expected a share above 0 and at most 1, got {threshold!r}")]
        )
    total = len(sector_pilots)
    result = {}
    for key, reporters in needs.items():
        inside = len(reporters & sector_pilots)
        notes = []
        outside = len(reporters) - inside
        if outside:
            notes.append(problem("outside_sector", count=outside))
        if total == 0:
            notes.append(problem("no_sector_pilots"))
            share = None
            kind = NeedKind.X
        else:
            share = Fraction(inside, total)
            kind = NeedKind.N if share >= limit else NeedKind.X
        result[key] = Classification(key, kind, inside, total, share, limit, tuple(notes))
    return result
