"""The read log is written in one batch per view and still chains in each enterprise's audit."""

from __future__ import annotations

from sqlalchemy import select

from loom.kernel.audit.models import AuditEvent
from loom.kernel.audit.verify import verify_chains
from loom.kernel.db.session import session_scope
from loom.modules.brain.models import BrainRead
from loom.modules.brain.service.indices import index_table
from loom.testing.factory import Factory
from loom.testing.plugin import both_backends
from tests.modules.brain.district import END, METRIC, START, seed_district


@both_backends
def test_two_views_log_two_reads_per_enterprise_each_chained(factory: Factory) -> None:
    district = seed_district(factory)
    for _ in range(2):
        with session_scope(factory.runtime.session_factory) as s:
            index_table(s, district.reader(), factory.runtime.apps, METRIC, START, END, "all")
    sharing = {district.orgs[n].id for n in ("E1", "E2", "E3", "E4", "E6")}
    with session_scope(factory.runtime.session_factory) as s:
        assert verify_chains(s).problem is None
        reads = s.scalars(select(BrainRead).order_by(BrainRead.id)).all()
        events = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "brain.data.read")
            .order_by(AuditEvent.chain, AuditEvent.seq)
        ).all()
    assert sorted(r.org_id for r in reads) == sorted(list(sharing) * 2)
    # each event names its own read, in the read enterprise's chain
    by_id = {str(r.id): r for r in reads}
    assert sorted(e.target_id for e in events) == sorted(by_id)
    assert all(by_id[e.target_id].org_id == e.org_id == e.chain for e in events)
    for org_id in sharing:
        first, second = (e for e in events if e.chain == org_id)
        assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
