"""Facts about a claim (``accepted``, ``level``, ``listed_as``…), checked against their types."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from loom.modules.subsidy.engine.errors import InvalidInput, Problem
from loom.modules.subsidy.engine.model import FactType, RuleSet

FactValue = bool | int | frozenset[str]
Facts = Mapping[str, bool | int | Collection[str]]

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


def check_fact(fact_id: str, fact_type: FactType, value: object, path: str) -> FactValue:
    """Return a given fact as its declared type; raise ``InvalidInput`` naming ``path``."""
    if fact_type == "boolean" and isinstance(value, bool):
        return value
    if fact_type == "integer" and type(value) is int:
        return value
    # a bare string is a collection of characters: refuse it rather than test letters
    if (
        fact_type == "designations"
        and isinstance(value, Collection)
        and not isinstance(value, str)
        and all(isinstance(item, str) for item in value)
    ):
        return frozenset(value)
    wanted = {"boolean": "true or false", "integer": "a whole number"}.get(
        fact_type, "a list of designations"
    )
    raise InvalidInput.at(path, f"fact {fact_id!r} must be {wanted}, got {value!r}")


def parse_fact_assignments(
    ruleset: RuleSet, assignments: Iterable[str], option: str = "--fact"
) -> dict[str, FactValue]:
    """Read ``NAME=VALUE`` texts into facts typed as the rule set declares them.

    A designation fact may be given several times, or as ``a,b``; its values accumulate.
    """
    facts: dict[str, FactValue] = {}
    problems: list[Problem] = []
    known = [fact.id for fact in ruleset.facts]
    for text in assignments:
        name, sep, raw = (part.strip() for part in text.partition("="))
        where = f"{option} {name or text}"
        spec = ruleset.fact(name)
        if not sep or not raw:
            problems.append(Problem(where, f"expected NAME=VALUE, got {text!r}"))
        elif spec is None:
            problems.append(Problem(where, f"unknown fact {name!r}; facts: {', '.join(known)}"))
        elif spec.type == "boolean" and raw.lower() in _TRUE | _FALSE:
            facts[name] = raw.lower() in _TRUE
        elif spec.type == "integer" and raw.isascii() and raw.isdigit():
            facts[name] = int(raw)
        elif spec.type == "designations":
            values = {value.strip() for value in raw.split(",") if value.strip()}
            allowed = {designation.id for designation in ruleset.designations}
            unknown = sorted(values - allowed)
            if unknown:
                listed = ", ".join(sorted(allowed))
                problems.append(Problem(where, f"unknown designation {unknown}; known: {listed}"))
            previous = facts.get(name, frozenset())
            facts[name] = (previous if isinstance(previous, frozenset) else frozenset()) | values
        else:
            wanted = "true or false" if spec.type == "boolean" else "a whole number"
            problems.append(Problem(where, f"must be {wanted}, got {raw!r}"))
    if problems:
        raise InvalidInput(problems)
    return facts
