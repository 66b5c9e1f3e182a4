"""Loom's reference catalogue joined by options that apps offer (contractors' products …)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from loom.modules.assessment.engine import CompiledRules, Problem
from loom.modules.assessment.planner.catalogue import Catalogue, InvalidCatalogue, parse_catalogue
from loom.modules.assessment.planner.samples import sample_catalogue_document

#: the name of a catalogue that others' options joined (translated where it is shown)
MERGED_NAME = "Loom reference catalogue and published products"


@dataclass(frozen=True)
class MergedCatalogue:
    """The planner's catalogue, how many offered options joined it, and those that did not."""

    catalogue: Catalogue
    joined: int
    #: problems of options that do not fit the rules planned with, by option id
    skipped: tuple[Problem, ...]


def merge_options(rules: CompiledRules, options: Iterable[Mapping[str, Any]]) -> MergedCatalogue:
    """Return the reference catalogue with every offered option that fits ``rules``.

    Each option is checked on its own, so one that a corrected rule set no longer fits is left
    out and listed rather than blocking every enterprise's plan.
    """
    document = sample_catalogue_document()
    skipped: list[Problem] = []
    joined = 0
    for option in options:
        alone = {"standard": rules.standard, "options": [dict(option)]}
        try:
            parse_catalogue(alone, rules)
        except InvalidCatalogue as exc:
            name = str(option.get("id", "?"))
            skipped.extend(
                Problem(p.path.replace("options[0]", name, 1), p.message) for p in exc.problems
            )
            continue
        document["options"].append(dict(option))
        joined += 1
    if joined:
        document["catalogue"] = MERGED_NAME
    return MergedCatalogue(parse_catalogue(document, rules), joined, tuple(skipped))
