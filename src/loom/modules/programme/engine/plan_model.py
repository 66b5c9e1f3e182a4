"""The action plan as data: sectors, phases, batches, targets, selection weights and rules.

The JSON keys of a plan document are the field names of these dataclasses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal, TypeVar

SCHEMA_VERSION: Final = 1
UNITS: Final = ("count", "percent")
COMPARATORS: Final = (">=", "==")
#: where a weight or parameter comes from: the plan's text, or a default Loom chose
ORIGINS: Final = ("plan", "loom_default")
#: the plan's parameters that carry a provenance entry
PARAMETERS: Final = ("acceptance_min_level", "n_share_threshold", "pilot_min_score")

Unit = Literal["count", "percent"]
Comparator = Literal[">=", "=="]
Origin = Literal["plan", "loom_default"]


@dataclass(frozen=True, slots=True)
class Document:
    """The official document the plan encodes."""

    doc_no: str
    title: str
    issuer: str
    issued: date
    valid_until: date
    text_file: str


@dataclass(frozen=True, slots=True)
class Sector:
    """A key sub-industry of the programme."""

    id: str
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class Phase:
    """An implementation phase (五、推进计划) with its tasks."""

    id: str
    title: str
    start: date
    end: date
    tasks: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Batch:
    """A batch of pilots, with its deadline and places per sector."""

    id: str
    title: str
    phase: str
    deadline: date
    total: int
    quotas: Mapping[str, int]
    source: str
    notes: tuple[str, ...] = ()

    def quota(self, sector: str) -> int:
        """Return the batch's places for ``sector`` (0 if it has none)."""
        return self.quotas.get(sector, 0)


@dataclass(frozen=True, slots=True)
class PilotTotals:
    """How many pilots the whole programme transforms, per sector."""

    total: int
    quotas: Mapping[str, int]
    source: str


@dataclass(frozen=True, slots=True)
class Metric:
    """A measured quantity that targets are set on; ``description`` says how it is counted."""

    id: str
    title: str
    unit: Unit
    description: str


@dataclass(frozen=True, slots=True)
class Target:
    """A target of the plan: ``metric`` compared with ``value`` by ``deadline``.

    ``sector`` and ``batch`` narrow what is counted (``None``: everything). A percent target's
    ``value`` is a percentage (90); its actual value is a share (9/10).
    """

    id: str
    title: str
    metric: str
    comparator: Comparator
    value: Decimal
    unit: Unit
    deadline: date
    sector: str | None
    batch: str | None
    source: str

    @property
    def required(self) -> Fraction:
        """Return the value to reach in the unit of the actual value (a share for percents)."""
        value = Fraction(self.value)
        return value / 100 if self.unit == "percent" else value


@dataclass(frozen=True, slots=True)
class ScoredItem:
    """A pilot principle or contractor criterion: scored 0..``max_score``, weighted."""

    id: str
    title: str
    weight: Decimal
    weight_origin: Origin
    max_score: int
    source: str


@dataclass(frozen=True, slots=True)
class EvaluatorGroup:
    """A group that scores contractors; its weight is a share of 1."""

    id: str
    title: str
    weight: Decimal
    weight_origin: Origin
    source: str


@dataclass(frozen=True, slots=True)
class Stage:
    """A business stage the N+X survey covers."""

    id: str
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class Label:
    """A Chinese title for an id of the engine (a project status)."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class HonourSpec:
    """A designation of accepted pilots, with the plan's words for it."""

    id: str
    title: str
    source: str


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a parameter of the plan comes from."""

    origin: Origin
    source: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """One version of a district's action plan."""

    schema: int
    id: str
    programme: str
    version: int
    title: str
    document: Document
    notes: tuple[str, ...]
    sectors: tuple[Sector, ...]
    phases: tuple[Phase, ...]
    batches: tuple[Batch, ...]
    pilot_totals: PilotTotals
    metrics: tuple[Metric, ...]
    targets: tuple[Target, ...]
    pilot_principles: tuple[ScoredItem, ...]
    pilot_min_score: Decimal | None
    contractor_criteria: tuple[ScoredItem, ...]
    evaluator_groups: tuple[EvaluatorGroup, ...]
    business_stages: tuple[Stage, ...]
    n_share_threshold: Decimal
    acceptance_min_level: int
    project_statuses: tuple[Label, ...]
    honours: tuple[HonourSpec, ...]
    provenance: Mapping[str, Provenance]

    @property
    def programme_start(self) -> date:
        """Return the first day of the first phase."""
        return min(phase.start for phase in self.phases)

    @property
    def programme_end(self) -> date:
        """Return the last day of the last phase."""
        return max(phase.end for phase in self.phases)

    def sector(self, sector_id: str) -> Sector:
        """Return the sector ``sector_id``; raise ``KeyError`` if the plan has none."""
        return _find(self.sectors, sector_id)

    def batch(self, batch_id: str) -> Batch:
        """Return the batch ``batch_id``; raise ``KeyError`` if the plan has none."""
        return _find(self.batches, batch_id)

    def target(self, target_id: str) -> Target:
        """Return the target ``target_id``; raise ``KeyError`` if the plan has none."""
        return _find(self.targets, target_id)

    def batch_deadline(self, batch_id: str | None) -> date | None:
        """Return the deadline of ``batch_id``, or ``None`` for no or an unknown batch."""
        match = [batch for batch in self.batches if batch.id == batch_id]
        return match[0].deadline if match else None

    def sector_names(self) -> dict[str, str]:
        """Return sector id -> Chinese name."""
        return {sector.id: sector.name for sector in self.sectors}

    def pilot_weights(self) -> dict[str, Decimal]:
        """Return principle id -> default weight (they sum to 100)."""
        return {item.id: item.weight for item in self.pilot_principles}

    def criterion_weights(self) -> dict[str, Decimal]:
        """Return contractor criterion id -> default weight (they sum to 100)."""
        return {item.id: item.weight for item in self.contractor_criteria}

    def group_weights(self) -> dict[str, Decimal]:
        """Return evaluator group id -> default weight (they sum to 1)."""
        return {group.id: group.weight for group in self.evaluator_groups}

    def pilot_max_scores(self) -> dict[str, int]:
        """Return principle id -> the highest score an expert may give it."""
        return {item.id: item.max_score for item in self.pilot_principles}

    def criterion_max_scores(self) -> dict[str, int]:
        """Return contractor criterion id -> the highest score an evaluator may give it."""
        return {item.id: item.max_score for item in self.contractor_criteria}


_Item = TypeVar("_Item", Sector, Batch, Target)


def _find(items: tuple[_Item, ...], wanted: str) -> _Item:
    for item in items:
        if item.id == wanted:
            return item
    raise KeyError(wanted)
