"""Where a quote's earlier awards come from: a JSON file today, the award ledger later.

A source is any callable from a rule to that rule's earlier awards. When the ledger exists it
adds a source reading the database for one organisation (and ``loom subsidy quote --org``);
nothing else in the quote path changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from loom.modules.subsidy.engine import (
    InvalidInput,
    PriorAward,
    Rule,
    parse_json,
    read_prior_awards,
)

PriorAwardSource = Callable[[Rule], Sequence[PriorAward]]


def no_prior_awards(rule: Rule) -> Sequence[PriorAward]:
    """Return no earlier awards: every cap is untouched."""
    return ()


def prior_awards_from_file(path: Path) -> PriorAwardSource:
    """Read a JSON list of awards once; the source returns those of the quoted rule.

    An award naming another rule is skipped (one file may hold several rules' awards); an award
    without a ``rule`` counts under whichever rule is quoted. Raises ``OSError`` if the file
    cannot be read and ``InvalidInput`` naming every bad field.
    """
    label = path.name
    try:
        # utf-8-sig: a file saved by a Windows editor starts with a byte-order mark
        document = parse_json(path.read_text(encoding="utf-8-sig"))
    except ValueError as error:
        raise InvalidInput.at(label, f"not valid JSON: {error}") from error
    awards = read_prior_awards(document, path=label)

    def source(rule: Rule) -> Sequence[PriorAward]:
        return tuple(award for award in awards if award.rule in (None, rule.id))

    return source
