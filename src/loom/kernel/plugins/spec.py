"""The typed manifest every app (built-in N or third-party X) hands to Loom."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import APIRouter
from pydantic import BaseModel

from loom.kernel.authz.registry import Permission
from loom.kernel.tenancy.models import OrgKind

if TYPE_CHECKING:
    import typer
    from sqlalchemy.orm import Session

    from loom.kernel.tenancy.scope import Scope

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


@dataclass(frozen=True)
class NavItem:
    """A navigation entry; ``label`` is an English msgid looked up in the catalogues."""

    label: str
    path: str
    permission: str
    icon: str = ""


@dataclass(frozen=True)
class Evidence:
    """What the platform can prove about one assessment indicator or scene."""

    item_id: str
    summary: str
    suggested_level: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


class EvidenceProvider(Protocol):
    """Callable an app offers to the assessment module: evidence for one organisation."""

    def __call__(self, session: Session, scope: Scope) -> Sequence[Evidence]: ...


class UpgradeOptionProvider(Protocol):
    """Callable an app offers to the assessment planner: upgrade options anyone may buy.

    Options are plain mappings in the planner's catalogue format (``docs/assessment-planner.md``)
    for the compiled rule set given; the planner checks each one on its own and leaves out, and
    lists, those that do not fit.
    """

    def __call__(self, session: Session, rules: Any) -> Sequence[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class IngestResult:
    """What a channel did with one batch of device records, after its transaction commits."""

    accepted: int
    duplicates: int = 0
    rejected: tuple[tuple[int, str], ...] = ()  # (index in the batch, error naming the field)


class IngestHandler(Protocol):
    """Store one batch of device records for the scope's organisation; flush, never commit."""

    def __call__(self, session: Session, scope: Scope, records: Sequence[Any]) -> IngestResult: ...


class IngestSetAside(Protocol):
    """Keep what the MQTT transport could not apply, with a reason; flush, never commit.

    ``items`` pairs each record (or, for an unreadable message, ``{"message": text}``) with
    the reason it was refused. Over MQTT nobody can be told, so nothing is dropped silently.
    """

    def __call__(
        self, session: Session, scope: Scope, items: Sequence[tuple[Any, str]]
    ) -> None: ...


@dataclass(frozen=True)
class IngestChannel:
    """A device stream: HTTP ``POST /api/v1/ingest/{name}`` and MQTT ``loom/{org}/{name}``.

    Devices authenticate with a device token holding ``permission``; a batch holds at most
    ``max_records`` records (a JSON array); records carry their own ids so a resent batch
    is counted as duplicates, never applied twice. ``set_aside`` keeps what MQTT could not
    apply; without it the transport records it in the organisation's audit log.
    """

    name: str
    handler: IngestHandler
    permission: str
    max_records: int = 10_000
    set_aside: IngestSetAside | None = None


#: What an enterprise may share with the industry brain, each at its own granularity.
SHARING_CATEGORIES = ("capacity", "output", "quality", "energy", "digital_level", "orders")


@dataclass(frozen=True)
class MetricSample:
    """One organisation's figure for one day: a sum, or the two sums of a ratio.

    Ratios (DHU, energy per piece, on-time share) are summed across enterprises before
    dividing, so a small factory weighs what its volume weighs. ``dims`` split a figure
    further, e.g. ``(("category", "shirt"), ("skill", "3"))`` for free capacity.
    """

    day: date
    numerator: float
    denominator: float = 1.0
    dims: tuple[tuple[str, str], ...] = ()


class MetricProvider(Protocol):
    """Return one organisation's daily samples of a metric over ``[start, end]``."""

    def __call__(
        self, session: Session, scope: Scope, start: date, end: date
    ) -> Sequence[MetricSample]: ...


@dataclass(frozen=True)
class BrainMetric:
    """A figure an app offers to the industry brain under one consent category.

    The brain calls ``provider`` only for enterprises that share ``category``, coarsens the
    samples to the granularity they consented to, and logs the read for the enterprise.
    ``label`` is an English msgid; ``ratio`` metrics are shown as numerator / denominator
    times ``scale`` (e.g. 100 for a percentage).
    """

    name: str
    category: str
    label: str
    unit: str
    provider: MetricProvider
    ratio: bool = False
    scale: float = 1.0


@dataclass(frozen=True)
class AppSpec:
    """Everything Loom needs to know about an app; discovered via the ``loom.apps`` group."""

    slug: str
    name: str
    version: str
    requires_core: str = ">=0.1"
    description: str = ""
    dependencies: tuple[str, ...] = ()
    permissions: tuple[Permission, ...] = ()
    api_router: APIRouter | None = None
    pages_router: APIRouter | None = None
    nav: tuple[NavItem, ...] = ()
    cli: typer.Typer | None = None
    cli_name: str | None = None  # `loom <cli_name> …`; the slug when not given
    templates_dir: Path | None = None
    # served at /static/apps/<slug>/: the page scripts an app needs (no inline scripts: CSP)
    static_dir: Path | None = None
    translations_dir: Path | None = None
    migrations_dir: Path | None = None
    models_module: str | None = None
    settings_model: type[BaseModel] | None = None
    evidence_providers: tuple[EvidenceProvider, ...] = ()
    upgrade_options: tuple[UpgradeOptionProvider, ...] = ()
    ingest_channels: tuple[IngestChannel, ...] = ()
    brain_metrics: tuple[BrainMetric, ...] = ()
    org_kinds: frozenset[OrgKind] = frozenset({OrgKind.ENTERPRISE})
    enabled_by_default: bool = True
    builtin: bool = False
    on_load: Callable[[], None] | None = None
