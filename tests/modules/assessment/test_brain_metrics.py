"""The digital level as the brain reads it: the last submitted level of each assessment day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from loom.kernel.authz.guard import system_scope
from loom.kernel.db.repository import acting_as
from loom.kernel.db.session import session_scope
from loom.kernel.plugins.spec import MetricSample
from loom.kernel.tenancy.models import OrgKind
from loom.modules.assessment.models import Assessment
from loom.modules.assessment.service.brain_metrics import level
from loom.modules.assessment.service.rulesets import get_ruleset
from loom.testing.factory import Factory


def test_one_level_per_assessment_day(factory: Factory) -> None:
    org = factory.org("garments", OrgKind.ENTERPRISE)
    other = factory.org("others", OrgKind.ENTERPRISE)
    with session_scope(factory.runtime.session_factory) as s:
        ruleset = get_ruleset(s, None).id
        rows = [
            # (org, day, status, level, submitted at hour)
            (org.id, date(2025, 6, 1), "submitted", 1, 9),
            (org.id, date(2025, 12, 1), "submitted", 1, 9),
            (org.id, date(2025, 12, 1), "submitted", 2, 15),  # the later one that day wins
            (org.id, date(2026, 1, 5), "draft", 3, None),  # not submitted
            (org.id, date(2026, 2, 1), "submitted", None, 9),  # no level worked out
            (org.id, date(2024, 1, 1), "submitted", 4, 9),  # before the span
            (other.id, date(2025, 12, 1), "submitted", 4, 9),  # another enterprise
        ]
        for owner, day, status, value, hour in rows:
            s.add(
                Assessment(
                    org_id=owner,
                    kind="self",
                    phase="before",
                    assessed_on=day,
                    status=status,
                    ruleset_id=ruleset,
                    level=value,
                    submitted_at=None if hour is None else datetime(2026, 3, 1, hour, tzinfo=UTC),
                )
            )
        s.flush()
        with acting_as(s, system_scope(org.id, org.kind, "brain")) as scope:
            samples = level(s, scope, date(2025, 1, 1), date(2026, 3, 1))
    assert samples == [MetricSample(date(2025, 6, 1), 1.0), MetricSample(date(2025, 12, 1), 2.0)]
