"""The one door through which the brain reads enterprises' data: consented, coarsened, logged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_each
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.errors import NotFound
from loom.kernel.plugins.enablement import is_enabled, preload
from loom.kernel.plugins.spec import AppSpec, BrainMetric, MetricSample
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.brain.engine.series import coarsen
from loom.modules.brain.models import BrainRead
from loom.modules.brain.service.consent import sharing_orgs


@dataclass(frozen=True)
class OrgSeries:
    """What one consenting enterprise shared of one metric, at its granularity."""

    org_id: int
    granularity: str
    samples: list[MetricSample]


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
) -> list[OrgSeries]:
    """Read ``metric_name`` from every enterprise sharing its category (or those of ``org_ids``).

    Each enterprise is read under its own system scope, so the provider sees nothing else;
    the samples are coarsened to what it consented to; the read is logged in the enterprise's
    read log and audit chain in the same transaction, naming ``reader`` and ``purpose``.
    """
    spec, metric = find_metric(apps, metric_name)
    sharing = sharing_orgs(session, metric.category)
    wanted = set(sharing) if org_ids is None else set(sharing) & set(org_ids)
    if not wanted:
        return []
    reader_org = session.get(Organisation, reader.org_id)
    orgs = session.scalars(
        select(Organisation)
        .where(
            Organisation.id.in_(wanted),
            Organisation.kind == OrgKind.ENTERPRISE,
            Organisation.is_active.is_(True),
        )
        .order_by(Organisation.id)
    ).all()
    found: list[OrgSeries] = []
    reads: list[tuple[BrainRead, int]] = []
    preload(session, [org.id for org in orgs])  # one query, not one per enterprise
    for org in orgs:
        if not is_enabled(session, org, spec):
            continue
        granularity = sharing[org.id]
        with acting_as(session, system_scope(org.id, org.kind, "brain")) as scope:
            samples = coarsen(metric.provider(session, scope, start, end), granularity)
            read = BrainRead(
                org_id=org.id,
                reader_org_id=reader.org_id,
                reader_org_name=reader_org.name if reader_org is not None else "",
                reader=reader.actor.label,
                category=metric.category,
                metric=metric.name,
                granularity=granularity,
                purpose=purpose,
                period_start=start,
                period_end=end,
            )
            session.add(read)
            session.flush()  # under the enterprise's own scope: the row is its own
        reads.append((read, len(samples)))
        found.append(OrgSeries(org.id, granularity, samples))
    # The audit events last, in one batch: each locks its enterprise's chain until the commit,
    # and other readers of the same enterprises should wait for the rest of this request only,
    # not for every provider read after the first (likely the load runs' 4 s medians here).
    record_each(
        session,
        [
            (read.org_id, read.id, {"metric": metric.name, "purpose": purpose, "samples": count})
            for read, count in reads
        ],
        actor=reader.actor,
        action="brain.data.read",
        target_type="brain_read",
        request_id=reader.request_id,
    )
    return found
