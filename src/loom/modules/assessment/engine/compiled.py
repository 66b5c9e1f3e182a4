"""A rule set compiled once into plain lookup tables, so that scoring one questionnaire is cheap.

Points are held as integers scaled by ``CompiledRules.scale`` (1000 for the 2024 table, whose
finest point value is 1.875), so sums and threshold tests are exact and a CP-SAT planner can use
the same integers directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from loom.modules.assessment.engine.bands import CompiledBand, compile_bands, percent_tables
from loom.modules.assessment.engine.ruleset import Indicator, RuleSet

if TYPE_CHECKING:
    from loom.modules.assessment.engine.generated import GeneratedCode

SINGLE = 0
MULTI = 1
RATE = 2
_KINDS = {"single": SINGLE, "multi": MULTI, "rate": RATE}


@dataclass(frozen=True, slots=True)
class CompiledField:
    """A raw-number field of a rate question."""

    id: str
    integer: bool
    unit: str
    shared_from: str | None
    #: where this figure is kept for later indicators: (indicator id, field id)
    key: tuple[str, str]
    #: where the figure it shares lives, if any
    source_key: tuple[str, str] | None


@dataclass(frozen=True, slots=True)
class CompiledIndicator:
    """Everything needed to check and score one indicator's answer."""

    id: str
    kind: int
    required: bool
    position: int
    second: int
    points: MappingProxyType[str, int]
    texts: MappingProxyType[str, str]
    exclusive: frozenset[str]
    unverified: frozenset[str]
    option_names: str
    numerator: CompiledField | None
    denominator: CompiledField | None
    numerator_may_exceed_denominator: bool
    bands: tuple[CompiledBand, ...]
    #: when every band edge is a whole percentage: the band holding exactly q% at index q,
    #: and the band holding the values strictly between q% and (q+1)%; else empty
    band_at_percent: tuple[str | None, ...]
    band_after_percent: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class CompiledLevel:
    """One level rule with its score threshold scaled like the points."""

    level: int
    id: str
    min_score: int
    min_scenes: int
    min_constrained: int
    verified: bool
    key: str
    required_score: float


#: a valid answer's scaled points and the option ids it resolves to
MultiEntry = tuple[int, tuple[str, ...]]

#: one indicator's tables for the hot path (see ``CompiledRules.plan``)
PlanStep = tuple[
    str,
    int,
    MappingProxyType[str, tuple[int, tuple[str]]],
    dict[tuple[str, ...], MultiEntry],
    CompiledIndicator,
]


class CompiledRules:
    """Lookup tables built from a ``RuleSet``; build once, score many questionnaires with it.

    Stable for other modules (planners, reports): ``ruleset``, ``rules_version``, ``standard``,
    ``scale``, ``max_score``, ``points()``, ``indicator_ids``, ``indicator_by_id``,
    ``dimension_ids``, ``second_ids``, ``scene_ids``, ``scene_position``, ``scene_max_level``,
    ``scene_constrained``, ``max_scene_level`` and ``levels``. The rest serves the hot path.
    """

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        #: the rule set's id, recorded with every result (``2024-manufacturing.v1``)
        self.rules_version = ruleset.id
        self.standard = ruleset.standard
        #: points x scale are integers: exact sums, and coefficients a CP-SAT model can use
        self.scale = _scale_for(ruleset)
        scale = self.scale
        self.max_score = int(ruleset.max_score * scale)
        self.dimension_ids = tuple(d.id for d in ruleset.dimensions)
        seconds = [(s, n) for n, d in enumerate(ruleset.dimensions) for s in d.second_level]
        self.second_ids = tuple(s.id for s, _ in seconds)
        #: index of the dimension that each second-level group belongs to
        self.second_dimension = tuple(n for _, n in seconds)
        indicators: list[CompiledIndicator] = []
        for second_index, (second, _) in enumerate(seconds):
            for indicator in second.indicators:
                indicators.append(
                    _compile_indicator(indicator, len(indicators), second_index, scale)
                )
        self.indicators: tuple[CompiledIndicator, ...] = tuple(indicators)
        self.indicator_by_id = MappingProxyType({i.id: i for i in indicators})
        self.indicator_names = ", ".join(i.id for i in indicators)

        scenes = list(ruleset.scenes())
        self.scene_ids = tuple(s.id for s in scenes)
        self.scene_position = MappingProxyType({s.id: n for n, s in enumerate(scenes)})
        self.scene_required = tuple(s.required for s in scenes)
        self.scene_max_level = tuple(s.max_level for s in scenes)
        self.scene_constrained = tuple(s.constrained for s in scenes)
        #: what to report as unverified when a scene counts towards a constrained total
        self.scene_unverified = tuple(
            None if s.constrained_verified or not s.constrained else f"{s.id}.constrained"
            for s in scenes
        )
        self.unverified_scenes = tuple(
            (n, flag) for n, flag in enumerate(self.scene_unverified) if flag is not None
        )
        self.scene_names = ", ".join(self.scene_ids)
        self.max_scene_level = max(self.scene_max_level)
        self.levels = tuple(
            CompiledLevel(
                level=rule.level,
                id=rule.id,
                min_score=int(rule.min_score * scale),
                min_scenes=rule.min_scenes_at_or_above_level,
                min_constrained=rule.min_constrained_scenes_at_or_above_level,
                verified=rule.verified,
                key=str(rule.level),
                required_score=float(rule.min_score),
            )
            for rule in ruleset.level_rules.levels
        )
        self.unverified_levels = tuple(rule.id for rule in self.levels if not rule.verified)
        #: (level, scaled min score, min scenes, min constrained scenes) per level rule
        self.level_thresholds = tuple(
            (r.level, r.min_score, r.min_scenes, r.min_constrained) for r in self.levels
        )

        # flat tables for the per-questionnaire hot path (see generated.py)
        self.indicator_ids = tuple(i.id for i in indicators)
        self.indicator_second = tuple(i.second for i in indicators)
        self.all_indicators_required = all(i.required for i in indicators)
        self.all_scenes_required = all(self.scene_required)
        self.uniform_scene_max = (
            self.max_scene_level if len(set(self.scene_max_level)) == 1 else None
        )
        #: (position, indicator id, option ids whose facts are unverified)
        self.unverified_options = tuple(
            (i.position, i.id, i.unverified) for i in indicators if i.unverified
        )
        self.constrained_positions = tuple(
            n for n, constrained in enumerate(self.scene_constrained) if constrained
        )
        #: (id, kind, {option: (points, (option,))}, memo of valid multi answers, indicator);
        #: the memo (ticked options -> (points, the same options)) is the only thing that
        #: changes after compiling; handing out its own tuple lets results share it
        self.plan: tuple[PlanStep, ...] = tuple(
            (
                i.id,
                i.kind,
                MappingProxyType({o: (p, (o,)) for o, p in i.points.items()}),
                {},
                i,
            )
            for i in indicators
        )
        self.scene_level_keys = tuple((str(n), n) for n in range(1, self.max_scene_level + 1))

    @cached_property
    def generated(self) -> GeneratedCode:
        """Return the resolver and level grading generated for these tables, with their source."""
        # imported here: the generator reads these tables, so it imports this module
        from loom.modules.assessment.engine.generated import generate

        return generate(self)

    def points(self, indicator_id: str, option_id: str) -> int:
        """Return the scaled points of one option (for planners that build their own models)."""
        return self.indicator_by_id[indicator_id].points[option_id]

    def __repr__(self) -> str:
        return f"CompiledRules({self.rules_version!r})"


def compile_rules(ruleset: RuleSet) -> CompiledRules:
    """Compile a rule set into lookup tables."""
    return CompiledRules(ruleset)


def _scale_for(ruleset: RuleSet) -> int:
    """Return the smallest power of ten that makes every point value and threshold whole."""
    values = [o.points for i in ruleset.indicators() for o in i.options]
    values += [rule.min_score for rule in ruleset.level_rules.levels]
    values.append(ruleset.max_score)
    digits = 0
    for value in values:
        exponent = value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)  # finite by construction
        digits = max(digits, -exponent)
    return int(10**digits)


def _compile_indicator(
    indicator: Indicator, position: int, second: int, scale: int
) -> CompiledIndicator:
    bands = compile_bands(indicator, scale)
    band_at_percent, band_after_percent = percent_tables(indicator)
    rate = indicator.rate
    fields = (
        (None, None)
        if rate is None
        else tuple(
            CompiledField(
                id=f.id,
                integer=f.integer,
                unit=f.unit,
                shared_from=f.shared_from,
                key=(indicator.id, f.id),
                source_key=None if f.shared_from is None else (f.shared_from, f.id),
            )
            for f in (rate.numerator, rate.denominator)
        )
    )
    return CompiledIndicator(
        id=indicator.id,
        kind=_KINDS[indicator.type],
        required=indicator.required,
        position=position,
        second=second,
        points=MappingProxyType({o.id: int(o.points * scale) for o in indicator.options}),
        texts=MappingProxyType({o.id: o.text for o in indicator.options}),
        exclusive=frozenset(o.id for o in indicator.options if o.exclusive),
        unverified=frozenset(o.id for o in indicator.options if not o.verified),
        option_names=", ".join(o.id for o in indicator.options),
        numerator=fields[0],
        denominator=fields[1],
        numerator_may_exceed_denominator=bool(rate and rate.numerator_may_exceed_denominator),
        bands=bands,
        band_at_percent=band_at_percent,
        band_after_percent=band_after_percent,
    )
