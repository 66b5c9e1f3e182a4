"""DHU as the brain reads it: defects and pieces checked per day, every kind of inspection."""

from __future__ import annotations

from datetime import UTC, date, datetime

from loom.apps.quality.models import Inspection
from loom.apps.quality.service.brain_metrics import dhu
from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.spec import MetricSample
from loom.kernel.tenancy.models import OrgKind
from loom.modules.masterdata.models import ProductionLine
from loom.testing.factory import Factory


def test_defects_and_pieces_are_summed_per_day(factory: Factory) -> None:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    other = factory.org("others", OrgKind.ENTERPRISE)
    with session_scope(factory.runtime.session_factory) as s:
        lines = {}
        for ref in (org, other):
            line = ProductionLine(org_id=ref.id, code="L01", name="一线")
            s.add(line)
            s.flush()
            lines[ref.id] = line.id
        rows = [
            # (org, day, kind, pieces, defects)
            (org.id, 10, "inline", 50, 3),
            (org.id, 10, "endline", 150, 5),
            (org.id, 11, "endline", 80, 0),
            (org.id, 9, "endline", 100, 50),  # before the span
            (other.id, 10, "endline", 10, 10),  # another enterprise
        ]
        for owner, day, kind, pieces, defects in rows:
            s.add(
                Inspection(
                    org_id=owner,
                    kind=kind,
                    inspected_at=datetime(2026, 3, day, 2, tzinfo=UTC),
                    day=date(2026, 3, day),
                    line_id=lines[owner],
                    pieces_checked=pieces,
                    defects_total=defects,
                )
            )
        s.flush()
        with acting_as(s, system_scope(org.id, org.kind, "brain")) as scope:
            samples = dhu(s, scope, date(2026, 3, 10), date(2026, 3, 11))
    # 03-10: (3 + 5) defects in (50 + 150) pieces = DHU 4.0; 03-11: 0 in 80
    assert samples == [
        MetricSample(date(2026, 3, 10), 8.0, 200.0),
        MetricSample(date(2026, 3, 11), 0.0, 80.0),
    ]
