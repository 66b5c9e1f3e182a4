"""The one door through which the brain reads enterprises' data: consented, coarsened, logged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_each
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.base import utcnow
from loom.kernel.db.repository import acting_as
from loom.kernel.errors import NotFound
from loom.kernel.plugins.enablement import is_enabled, preload
from loom.kernel.plugins.spec import AppSpec, BrainMetric, MetricSample
from loom.kernel.tenancy.models import Organisation
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.engine.series import coarsen
from loom.modules.brain.models import BrainRead
from loom.modules.brain.service.consent import sharing_enterprises
from loom.modules.brain.service.sample_cache import SAMPLES, engine_of

#: one row of the enterprise's read log, its id returned for the audit event naming it
_READS = cast(Table, BrainRead.__table__)
_LOG_READ = insert(_READS).returning(_READS.c.id)


@dataclass(frozen=True)
class OrgSeries:
    """What one consenting enterprise shared of one metric, at its granularity."""

    org_id: int
    granularity: str
    samples: list[MetricSample]
    #: the enterprise's name, and a number that changes whenever its samples are read anew
    name: str = ""
    generation: int = 0


@dataclass(frozen=True)
class Sharing:
    """The enterprises a metric may be read from now: consenting, active, using the app."""

    spec: AppSpec
    metric: BrainMetric
    orgs: list[tuple[Organisation, str]]


def find_metric(apps: dict[str, AppSpec], name: str) -> tuple[AppSpec, BrainMetric]:
    """Return the app offering metric ``name`` and the metric; NotFound otherwise."""
    for spec in apps.values():
        for metric in spec.brain_metrics:
            if metric.name == name:
                return spec, metric
    raise NotFound(f"No app offers the metric {name!r}")


def brain_metrics(apps: dict[str, AppSpec]) -> list[BrainMetric]:
    """Return every metric the installed apps offer, by name."""
    return sorted((m for s in apps.values() for m in s.brain_metrics), key=lambda m: m.name)


def sharing(
    session: Session,
    apps: dict[str, AppSpec],
    metric_name: str,
    org_ids: Iterable[int] | None = None,
) -> Sharing:
    """Return who shares ``metric_name``'s category now (of ``org_ids`` when given).

    Read on every call, never kept: a revoked consent, a disabled app or a deactivated
    enterprise leaves the list at once.
    """
    spec, metric = find_metric(apps, metric_name)
    found = sharing_enterprises(session, metric.category)
    if org_ids is not None:
        wanted = set(org_ids)
        found = [(org, granularity) for org, granularity in found if org.id in wanted]
    preload(session, [org.id for org, _ in found])  # one query, not one per enterprise
    enabled = [(org, g) for org, g in found if is_enabled(session, org, spec)]
    return Sharing(spec, metric, enabled)


def collect(
    session: Session,
    reader: Scope,
    apps: dict[str, AppSpec],
    metric_name: str,
    start: date,
    end: date,
    *,
    purpose: str,
    org_ids: Iterable[int] | None = None,
    reuse: bool = False,
) -> list[OrgSeries]:
    """Read ``metric_name`` from every enterprise sharing its category (or those of ``org_ids``).

    ``sharing`` then ``read_shared``; ``reuse`` as there.
    """
    found = sharing(session, apps, metric_name, org_ids)
    return read_shared(session, reader, found, start, end, purpose=purpose, reuse=reuse)


def read_shared(
    session: Session,
    reader: Scope,
    shared: Sharing,
    start: date,
    end: date,
    *,
    purpose: str,
    reuse: bool = False,
) -> list[OrgSeries]:
    """Read the metric of each enterprise of ``shared``, coarsened and logged.

    Each enterprise is read under its own system scope, so the provider sees nothing else;
    the samples are coarsened to what it consented to; the read is logged in the enterprise's
    read log and audit chain in the same transaction, naming ``reader`` and ``purpose``.
    ``reuse`` takes samples read by an earlier view of the last ``REUSE_SECONDS``
    (``sample_cache``) instead of asking the provider again; the read is logged all the same.
    """
    metric = shared.metric
    if not shared.orgs:
        return []
    reader_org = session.get(Organisation, reader.org_id)
    reader_name = reader_org.name if reader_org is not None else ""
    engine = engine_of(session) if reuse else None
    found: list[OrgSeries] = []
    reads: list[tuple[int, int, int]] = []
    for org, granularity in shared.orgs:
        with acting_as(session, system_scope(org.id, org.kind, "brain")) as scope:

            def ask(scope: Scope = scope, granularity: str = granularity) -> list[MetricSample]:
                return coarsen(metric.provider(session, scope, start, end), granularity)

            if engine is None:
                samples, generation = ask(), 0
            else:
                key = (org.id, metric.name, metric.provider, start, end, granularity)
                kept = SAMPLES.get_or_read(engine, key, ask)
                samples, generation = list(kept.samples), kept.generation
            # under the enterprise's own scope, so row-level security admits only its own row;
            # a plain insert, not a unit-of-work flush (a fifth of a kept-samples view's CPU)
            read_id = session.execute(
                _LOG_READ,
                {
                    "org_id": org.id,
                    "reader_org_id": reader.org_id,
                    "reader_org_name": reader_name,
                    "reader": reader.actor.label,
                    "category": metric.category,
                    "metric": metric.name,
                    "granularity": granularity,
                    "purpose": purpose,
                    "period_start": start,
                    "period_end": end,
                    "read_at": utcnow(),
                },
            ).scalar_one()
        reads.append((org.id, read_id, len(samples)))
        found.append(OrgSeries(org.id, granularity, samples, org.name, generation))
    # The audit events last, in one batch: each locks its enterprise's chain until the commit,
    # and other readers of the same enterprises should wait for the rest of this request only,
    # not for every provider read after the first (likely the load runs' 4 s medians here).
    record_each(
        session,
        [
            (org_id, read_id, {"metric": metric.name, "purpose": purpose, "samples": count})
            for org_id, read_id, count in reads
        ],
        actor=reader.actor,
        action="brain.data.read",
        target_type="brain_read",
        request_id=reader.request_id,
    )
    return found
