"""Catalogue of upgrade options: a typed model and a loader that lists every problem at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from loom.modules.assessment.engine import CompiledRules, Problem, ProblemsError
from loom.modules.assessment.planner.jsonio import describe, exact_number, read_json

CATALOGUE_KEYS = frozenset({"catalogue", "standard", "currency", "options", "notes"})
OPTION_KEYS = frozenset(
    {"id", "name", "provider", "cost", "weeks", "indicators", "scenes", "requires", "excludes"}
).union({"notes"})
#: no single option of a transformation programme costs anywhere near this; a typo guard
MAX_COST_CNY = Decimal(100_000_000)
MAX_WEEKS = 520
_MISSING = object()


class InvalidCatalogue(ProblemsError):
    """A catalogue that cannot be planned with; every problem is listed with its path."""

    summary = "catalogue cannot be used"


@dataclass(frozen=True, slots=True)
class Upgrade:
    """One catalogue option: what it raises, what it costs (in fen) and how long it takes."""

    id: str
    name: str
    provider: str | None
    cost_fen: int
    weeks: int
    #: indicator id -> option ids it ticks (multi) or the one option/band it reaches (single, rate)
    indicators: Mapping[str, tuple[str, ...]]
    #: scene id -> level it reaches
    scenes: Mapping[str, int]
    requires: tuple[str, ...]
    excludes: tuple[str, ...]
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A validated list of upgrade options for one rule set."""

    name: str
    rules_version: str
    upgrades: tuple[Upgrade, ...]

    def by_id(self) -> dict[str, Upgrade]:
        """Return the options keyed by id."""
        return {u.id: u for u in self.upgrades}

    def excluded_pairs(self) -> set[tuple[str, str]]:
        """Return every excluded pair once, ordered by id (an exclusion works both ways)."""
        pairs: set[tuple[str, str]] = set()
        for upgrade in self.upgrades:
            for other in upgrade.excludes:
                pairs.add((min(upgrade.id, other), max(upgrade.id, other)))
        return pairs


class _Reader:
    """Collects problems while reading one catalogue document."""

    def __init__(self, rules: CompiledRules) -> None:
        self.rules = rules
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def keys(self, value: Mapping[str, Any], path: str, allowed: frozenset[str]) -> None:
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else str(key), "unknown key")

    def money(self, value: Any, path: str) -> int:
        amount = exact_number(value)
        if value is _MISSING:
            self.fail(path, "missing")
        elif amount is None:
            self.fail(path, f"expected a cost in CNY, got {describe(value)}")
        elif amount < 0:
            self.fail(path, f"cost {amount} is negative")
        elif amount > MAX_COST_CNY:
            self.fail(path, f"cost {amount} exceeds {MAX_COST_CNY} CNY; a typo?")
        elif (amount * 100) % 1:
            self.fail(path, f"cost {amount} has fractions of a fen")
        else:
            return int(amount * 100)
        return 0

    def weeks(self, value: Any, path: str) -> int:
        weeks = exact_number(value)
        if value is _MISSING:
            self.fail(path, "missing")
        elif weeks is None or weeks % 1:
            self.fail(path, f"expected a whole number of weeks, got {describe(value)}")
        elif not 0 <= weeks <= MAX_WEEKS:
            self.fail(path, f"{weeks} weeks is outside 0–{MAX_WEEKS}")
        else:
            return int(weeks)
        return 0

    def ids(self, value: Any, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(path, f"expected a list of option ids, got {describe(value)}")
            return ()
        return tuple(value)

    def indicators(self, value: Any, path: str) -> dict[str, tuple[str, ...]]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, f"expected an object of indicator id -> options, got {describe(value)}")
            return {}
        raised: dict[str, tuple[str, ...]] = {}
        for indicator_id, target in value.items():
            where = f"{path}.{indicator_id}"
            try:
                indicator = self.rules.ruleset.indicator(indicator_id)
            except KeyError:
                known = ", ".join(i.id for i in self.rules.ruleset.indicators())
                self.fail(where, f"unknown indicator; indicators are {known}")
                continue
            letters = {o.id: o for o in indicator.options}
            names = ", ".join(letters)
            if indicator.type == "multi":
                ticks = [target] if isinstance(target, str) else target
                if not isinstance(ticks, list) or not ticks:
                    self.fail(
                        where, f"expected option letters such as ['B'], got {describe(target)}"
                    )
                    continue
            elif isinstance(target, str):
                ticks = [target]
            else:
                self.fail(
                    where, f"expected one option letter (the level reached), got {describe(target)}"
                )
                continue
            good = True
            for index, letter in enumerate(ticks):
                spot = where if len(ticks) == 1 else f"{where}[{index}]"
                option = letters.get(letter) if isinstance(letter, str) else None
                if option is None:
                    self.fail(spot, f"option {letter!r} does not exist; options are {names}")
                    good = False
                elif option.exclusive:
                    self.fail(spot, f"option {letter} ({option.text}) cannot be an upgrade")
                    good = False
                elif letter in ticks[:index]:
                    self.fail(spot, f"option {letter} is listed twice")
                    good = False
            if good:
                raised[indicator_id] = tuple(ticks)
        return raised

    def scenes(self, value: Any, path: str) -> dict[str, int]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, f"expected an object of scene id -> level, got {describe(value)}")
            return {}
        raised: dict[str, int] = {}
        positions = self.rules.scene_position
        for scene_id, level in value.items():
            where = f"{path}.{scene_id}"
            if scene_id not in positions:
                self.fail(where, f"unknown scene; scenes are {', '.join(self.rules.scene_ids)}")
                continue
            top = self.rules.scene_max_level[positions[scene_id]]
            if isinstance(level, bool) or not isinstance(level, int):
                self.fail(where, f"expected a level 1–{top}, got {describe(level)}")
            elif not 1 <= level <= top:
                self.fail(where, f"level {level} is outside 1–{top}")
            else:
                raised[scene_id] = level
        return raised

    def upgrade(self, value: Any, path: str) -> Upgrade | None:
        if not isinstance(value, Mapping):
            self.fail(path, f"expected an object, got {describe(value)}")
            return None
        self.keys(value, path, OPTION_KEYS)
        ident = value.get("id")
        if not isinstance(ident, str) or not ident.strip():
            self.fail(f"{path}.id", f"expected a non-empty string, got {describe(ident)}")
        name = value.get("name", ident)
        if not isinstance(name, str):
            self.fail(f"{path}.name", f"expected a string, got {describe(name)}")
        provider = value.get("provider")
        if provider is not None and not isinstance(provider, str):
            self.fail(f"{path}.provider", f"expected a string, got {describe(provider)}")
        notes = value.get("notes")
        if notes is not None and not isinstance(notes, str):
            self.fail(f"{path}.notes", f"expected a string, got {describe(notes)}")
        cost = self.money(value.get("cost", _MISSING), f"{path}.cost")
        weeks = self.weeks(value.get("weeks", _MISSING), f"{path}.weeks")
        indicators = self.indicators(value.get("indicators"), f"{path}.indicators")
        scenes = self.scenes(value.get("scenes"), f"{path}.scenes")
        if not value.get("indicators") and not value.get("scenes"):
            self.fail(path, "raises no indicator and no scene")
        requires = self.ids(value.get("requires"), f"{path}.requires")
        excludes = self.ids(value.get("excludes"), f"{path}.excludes")
        if not isinstance(ident, str) or not isinstance(name, str):
            return None
        return Upgrade(
            id=ident,
            name=name,
            provider=provider if isinstance(provider, str) else None,
            cost_fen=cost,
            weeks=weeks,
            indicators=MappingProxyType(indicators),
            scenes=MappingProxyType(scenes),
            requires=requires,
            excludes=excludes,
            notes=notes if isinstance(notes, str) else None,
        )

    def links(self, upgrades: list[tuple[int, Upgrade]]) -> None:
        """Check ``requires``/``excludes`` once every option id is known."""
        known = {u.id for _, u in upgrades}
        for index, upgrade in upgrades:
            for key, targets in (("requires", upgrade.requires), ("excludes", upgrade.excludes)):
                for n, target in enumerate(targets):
                    where = f"options[{index}].{key}[{n}]"
                    if target == upgrade.id:
                        self.fail(where, f"option {target!r} names itself")
                    elif target not in known:
                        self.fail(where, f"unknown option {target!r}")
            for target in sorted(set(upgrade.requires) & set(upgrade.excludes)):
                self.fail(f"options[{index}]", f"both requires and excludes {target!r}")


def parse_catalogue(document: Any, rules: CompiledRules) -> Catalogue:
    """Return the catalogue in a parsed JSON document; raise ``InvalidCatalogue`` listing all."""
    reader = _Reader(rules)
    if not isinstance(document, Mapping):
        raise InvalidCatalogue([Problem("$", f"expected an object, got {describe(document)}")])
    reader.keys(document, "", CATALOGUE_KEYS)
    standard = document.get("standard", rules.standard)
    if standard != rules.standard:
        reader.fail(
            "standard",
            f"is {describe(standard)}; rule set {rules.rules_version} grades {rules.standard!r}",
        )
    if document.get("currency", "CNY") != "CNY":
        reader.fail("currency", f"only CNY is supported, got {describe(document['currency'])}")
    name = document.get("catalogue", "catalogue")
    if not isinstance(name, str):
        reader.fail("catalogue", f"expected a name, got {describe(name)}")
        name = "catalogue"
    options = document.get("options")
    if not isinstance(options, list):
        reader.fail("options", f"expected a list of options, got {describe(options)}")
        options = []
    upgrades: list[tuple[int, Upgrade]] = []
    first_seen: dict[str, int] = {}
    for index, value in enumerate(options):
        upgrade = reader.upgrade(value, f"options[{index}]")
        if upgrade is None:
            continue
        if upgrade.id in first_seen:
            reader.fail(
                f"options[{index}].id",
                f"duplicate id {upgrade.id!r} (first at options[{first_seen[upgrade.id]}])",
            )
            continue
        first_seen[upgrade.id] = index
        upgrades.append((index, upgrade))
    reader.links(upgrades)
    if reader.problems:
        raise InvalidCatalogue(reader.problems)
    return Catalogue(name, rules.rules_version, tuple(u for _, u in upgrades))


def load_catalogue(path: Path, rules: CompiledRules) -> Catalogue:
    """Read and validate a catalogue JSON file; raise ``InvalidCatalogue`` or ``OSError``."""
    try:
        document = read_json(path)
    except ValueError as error:
        raise InvalidCatalogue([Problem("$", f"not valid JSON: {error}")]) from error
    return parse_catalogue(document, rules)
